/**
 * The project's settings file (si.config.json): read with checks that name the file and the
 * setting, merged by `si config`, and ranked below the environment.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSetting } from '../../src/paths';
import { readProjectConfig, updateProjectConfig } from '../../src/project-config';
import { tempDir } from '../support/tmp';

test('settings are merged, removed with undefined, and read back; a missing file is no settings', () => {
  const file = path.join(tempDir(), 'si.config.json');
  assert.deepEqual(readProjectConfig(file), {});
  updateProjectConfig(file, { dataDir: '../shared/data', profile: 'paper' });
  updateProjectConfig(file, { runsDir: 'runs', profile: undefined });
  assert.deepEqual(readProjectConfig(file), { dataDir: '../shared/data', runsDir: 'runs' });
});

test('a malformed settings file is an error naming the file and the problem', () => {
  const file = path.join(tempDir(), 'si.config.json');
  const cases: [string, RegExp][] = [
    ['{"dataDir": ', /si\.config\.json is not valid JSON/],
    ['[1]', /must hold a JSON object/],
    ['{"datadir": "x"}', /unknown setting 'datadir' \(known: dataDir, runsDir, profile\)/],
    ['{"runsDir": 3}', /'runsDir' must be a non-empty string, not 3/],
  ];
  for (const [content, message] of cases) {
    fs.writeFileSync(file, content);
    assert.throws(
      () => readProjectConfig(file),
      (err: Error) => message.test(err.message) && err.message.includes(file),
    );
  }
});

test('an environment variable wins over the settings file and the default', () => {
  const before = process.env.SI_PROFILE;
  try {
    process.env.SI_PROFILE = 'smoke';
    assert.deepEqual(resolveSetting('profile', 'SI_PROFILE', 'quick'), { value: 'smoke', source: 'environment' });
    assert.deepEqual(resolveSetting('profile', 'SI_PROFILE', 'quick', 'paper'), { value: 'paper', source: 'flag' });
  } finally {
    if (before === undefined) delete process.env.SI_PROFILE;
    else process.env.SI_PROFILE = before;
  }
});
