/**
 * `si train` on real MNIST as a user runs it: a diverged run exits 3 every time it is asked for (the
 * first time and from the cache); snapshots asked of a finished run are added, not skipped.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetAvailable } from '../../src/data/locate';
import { tempDir } from '../support/tmp';

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const skip = datasetAvailable('mnist') ? false : 'MNIST is not in the data directory';
const SMALL = ['train', '--dataset', 'mnist', '--train-size', '200', '--test-size', '100', '--hidden', '8'];

function si(args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
}

test('a diverged run exits 3 when trained and again when read from the cache', { skip }, () => {
  const out = tempDir();
  for (const attempt of ['trained', 'cached']) {
    const res = si([...SMALL, '--epochs', '3', '--lr', '1000000', '--out', out]);
    assert.equal(res.status, 3, `${attempt}: ${res.stderr}`);
    assert.match(res.stderr, /error: training diverged (in|after) epoch \d+/, attempt);
  }
});

test('snapshots asked of a finished run are added by replaying it, and the record says so', { skip }, () => {
  const out = tempDir();
  assert.equal(si([...SMALL, '--epochs', '3', '--out', out]).status, 0);
  const [key] = fs.readdirSync(out);
  assert.ok(key);
  const again = si([...SMALL, '--epochs', '3', '--snapshot-every', '1', '--out', out]);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(fs.readdirSync(path.join(out, key, 'params')).sort(), [
    'e000.npy',
    'e001.npy',
    'e002.npy',
    'e003.npy',
  ]);
  const meta = JSON.parse(fs.readFileSync(path.join(out, key, 'run.json'), 'utf8')) as { snapshots: number[] };
  assert.deepEqual(meta.snapshots, [0, 1, 2, 3]);
});
