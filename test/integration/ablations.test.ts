/**
 * `si ablations` on the smoke profile's MNIST: trains the default and each variant's seed runs,
 * writes the figure data, prints one row per variant with ρ at every compared epoch, and gives the
 * same table from the cache with --finished-only.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetAvailable } from '../../src/data/locate';
import { readRunMetas } from '../../src/experiments/run-summary';
import { tempDir } from '../support/tmp';

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');

test('si ablations: four variants, each with ρ between seeds; cached the second time', {
  skip: !datasetAvailable('mnist') && 'MNIST is not in the data directory (set SI_DATA_DIR)',
  timeout: 300_000,
}, () => {
  const runs = tempDir();
  const figures = tempDir();
  const env = { ...process.env, SI_FIGURE_DATA_DIR: figures, OPENBLAS_NUM_THREADS: '1' };
  const si = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [MAIN, 'ablations', '--profile', 'smoke', '--datasets', 'mnist', '--out', runs, ...extra],
      {
        encoding: 'utf8',
        env,
      },
    );
  const first = si();
  assert.equal(first.status, 0, first.stderr);
  const rows = first.stdout.split('\n').filter((l) => /^\| (default|inputs|Glorot|η)/.test(l));
  assert.equal(rows.length, 4, first.stdout);
  for (const row of rows) assert.match(row, /\| 0\.\d{3} \(0\.\d{3}\) \| .*% ± .* \(3 runs\) \|$/, row);
  const metas = readRunMetas(runs);
  assert.equal(metas.length, 12, 'three seeds of the default and of each variant');
  assert.equal(metas.filter((m) => m.config.preprocessing === 'standardise-channels').length, 3);
  assert.equal(metas.filter((m) => m.config.init.output === 'glorot').length, 3);
  assert.equal(metas.filter((m) => m.config.lr === 0.05).length, 3);
  assert.ok(fs.existsSync(path.join(figures, 'smoke', 'mnist', 'fig01-ablations.json')));
  const again = si('--finished-only');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, first.stdout);
});
