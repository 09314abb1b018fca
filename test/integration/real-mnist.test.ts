/** The real MNIST files (SI_DATA_DIR, else shared/data beside the project); skipped when absent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countLabels, datasetAvailable, loadDataset, verifyDataset } from '../../src/data';
import { projectRoot } from '../../src/paths';
import { openRun } from '../../src/run/open-run';
import { scoreNames } from '../../src/scores/sample-scores';
import { realDataDir } from '../data/fixtures';
import { tempDir } from '../support/tmp';

const dataDir = realDataDir(projectRoot());
const skip = datasetAvailable('mnist', dataDir) ? false : `MNIST not found under ${dataDir}`;

test('real MNIST: official split, label counts, first labels, pixel range', { skip }, () => {
  const { train, test: testPart, classNames } = loadDataset('mnist', { dataDir, split: 'official' });
  assert.equal(train.n, 60000);
  assert.equal(testPart.n, 10000);
  assert.equal(train.inputSize, 784);
  assert.deepEqual(train.shape, [28, 28, 1]);
  assert.deepEqual(countLabels(train.y, 10), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.deepEqual(countLabels(testPart.y, 10), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.deepEqual(Array.from(train.y.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.deepEqual(Array.from(testPart.y.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  assert.equal(classNames[train.y[0]!], '5');
  let min = Infinity;
  let max = -Infinity;
  for (const v of train.x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.deepEqual([min, max], [0, 1]);
});

test('real MNIST: the paper split is the first 50,000 training images and the 10,000 test images', { skip }, () => {
  const { train, test: testPart, split } = loadDataset('mnist', { dataDir });
  assert.equal(split, 'paper');
  assert.equal(train.n, 50000);
  assert.equal(testPart.n, 10000);
  assert.equal(train.indices[49999], 49999);
  assert.deepEqual(Array.from(train.y.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
});

test('real MNIST: files match the published checksums', { skip }, async () => {
  for (const r of await verifyDataset('mnist', { dataDir })) assert.ok(r.ok, `${r.path}: ${r.problem}`);
});

test('si scores on the committed run sample: its MNIST labels and the library scores, as CSV', { skip }, () => {
  const runDir = path.join(projectRoot(), 'test', 'fixtures', 'run-sample', 'mnist-72b2d407ee56');
  const out = path.join(tempDir(), 'scores.csv');
  const res = spawnSync(
    process.execPath,
    [path.join(projectRoot(), 'dist', 'cli', 'main.js'), 'scores', '--run', runDir, '--out', out],
    { encoding: 'utf8', env: { ...process.env, SI_DATA_DIR: dataDir } },
  );
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /20 samples × 11 scores \(tau, tau_L1, tau_Out, grand, el2n, forgetting, aum/);
  const [header, ...rows] = fs.readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(header, `position,index,label,${scoreNames(openRun(runDir)).join(',')}`);
  assert.equal(rows.length, 20);
  const cells = rows.map((r) => r.split(','));
  assert.deepEqual(
    cells.slice(0, 10).map((c) => Number(c[2])),
    [5, 0, 4, 1, 9, 2, 1, 3, 1, 4],
  );
  const tau = openRun(runDir).tau();
  cells.forEach((c, i) => {
    assert.equal(Number(c[3]), tau[i], `tau of position ${i}`);
  });
});

test('si prune and si noisy on the smoke profile: tables printed, figure data written', { skip }, () => {
  const runs = tempDir();
  const figureData = tempDir();
  const si = (args: string[]) =>
    spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'cli', 'main.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, SI_DATA_DIR: dataDir, SI_RUNS_DIR: runs, SI_FIGURE_DATA_DIR: figureData },
    });
  const pruned = si([
    'prune',
    '--profile',
    'smoke',
    '--datasets',
    'mnist',
    '--scores',
    'tau,aum',
    '--fractions',
    '0.5',
  ]);
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.match(pruned.stdout, /\| selection \| strategy \| kept 1 \| kept 0\.5 \|/);
  assert.match(pruned.stdout, /\| aum \| stratified \| {2}\| \d+\.\d\d% ± \d+\.\d\d/);
  assert.ok(fs.existsSync(path.join(figureData, 'smoke', 'mnist', 'fig11.json')));

  const noisy = si(['noisy', '--profile', 'smoke', '--datasets', 'mnist', '--fractions', '0.1']);
  assert.equal(noisy.status, 0, noisy.stderr);
  assert.match(noisy.stdout, /10\.00% of labels flipped \(100 samples; complete after 5 epochs/);
  assert.match(noisy.stdout, /\| el2n \| 0\.\d{3} \(epoch \d\) \|/);
  assert.ok(fs.existsSync(path.join(figureData, 'smoke', 'mnist', 'fig12.json')));
});
