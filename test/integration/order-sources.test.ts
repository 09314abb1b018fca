/**
 * `si order-sources` on the smoke profile's MNIST: the NLL orders from each seed run under both
 * readings and the τ orders from each seed run, one run each, with the spread across sources; the
 * default source reuses the profile's own construction run; the same table from the cache.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { datasetAvailable } from '../../src/data/locate';
import { seedRunConfig } from '../../src/experiments/plan';
import { getProfile } from '../../src/experiments/profiles';
import { readRunMetas } from '../../src/experiments/run-summary';
import { loadRunData } from '../../src/run/run-data';
import { trainRun } from '../../src/run/train';
import { tempDir } from '../support/tmp';

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');

test('si order-sources: every construction from every source, with the spread across sources', {
  skip: !datasetAvailable('mnist') && 'MNIST is not in the data directory (set SI_DATA_DIR)',
  timeout: 300_000,
}, async () => {
  const smoke = getProfile('smoke');
  const runs = tempDir();
  const engine = await loadEngine('auto');
  for (const seed of smoke.seeds) {
    const cfg = seedRunConfig(smoke, 'mnist', seed);
    const { train, test: held, classes } = loadRunData(cfg);
    await trainRun(cfg, { engine, train, test: held, classes, runsDir: runs });
  }
  const env = { ...process.env, SI_FIGURE_DATA_DIR: tempDir(), OPENBLAS_NUM_THREADS: '1' };
  const si = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [MAIN, 'order-sources', '--profile', 'smoke', '--datasets', 'mnist', '--runs', '1', '--out', runs, ...extra],
      { encoding: 'utf8', env },
    );
  const first = si();
  assert.equal(first.status, 0, first.stderr);
  const rows = first.stdout.split('\n').filter((l) => /^\| (NLO|RNLO|NLM|SIO|RSIO) \|/.test(l));
  assert.equal(rows.length, 3 * 6 + 2 * 3, first.stdout);
  assert.match(first.stdout, /\| NLO \| seed 2, last-epoch NLL \| \d+\.\d\d% \(1\) \|/);
  assert.match(first.stdout, /\| SIO \| seed 3 \| /);
  assert.match(first.stdout, /Spread of the mean final test error across order sources: NLO .* over 6 sources; /);
  const names = readRunMetas(runs).flatMap((m) => (m.config.order.kind === 'fixed' ? [m.config.order.name] : []));
  assert.ok(names.includes('NLO'), "the default source is the profile's own NLO run");
  assert.ok(names.includes('NLO (seed 3, final NLL)') && names.includes('RSIO (seed 2)'), names.join(', '));
  const again = si('--finished-only');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, first.stdout);
});
