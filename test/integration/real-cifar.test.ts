/** The real CIFAR-10 batches (SI_DATA_DIR, else shared/data beside the project), loaded once; skipped when absent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countLabels, datasetAvailable, loadDataset, type LoadedDataset } from '../../src/data';
import { projectRoot } from '../../src/paths';
import { realDataDir } from '../data/fixtures';

const dataDir = realDataDir(projectRoot());
const skip = datasetAvailable('cifar10', dataDir) ? false : `CIFAR-10 not found under ${dataDir}`;
const loaded: LoadedDataset | undefined = skip ? undefined : loadDataset('cifar10', { dataDir });

test('real CIFAR-10: 50,000 + 10,000 images, balanced, first labels', { skip }, () => {
  const { train, test: testPart, classNames } = loaded!;
  assert.equal(train.n, 50000);
  assert.equal(testPart.n, 10000);
  assert.equal(train.inputSize, 3072);
  assert.deepEqual(train.shape, [32, 32, 3]);
  assert.deepEqual(countLabels(train.y, 10), new Array(10).fill(5000));
  assert.deepEqual(countLabels(testPart.y, 10), new Array(10).fill(1000));
  assert.deepEqual(
    countLabels(train.y.subarray(0, 10000), 10),
    [1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981],
  );
  assert.deepEqual([classNames[train.y[0]!], classNames[train.y[1]!]], ['frog', 'truck']);
  assert.deepEqual([classNames[testPart.y[0]!], classNames[testPart.y[1]!]], ['cat', 'ship']);
});

test('real CIFAR-10: per-channel training means (planar R, G, B)', { skip }, () => {
  const { train } = loaded!;
  const plane = 1024;
  const sums = [0, 0, 0];
  for (let i = 0; i < train.n; i++) {
    const row = i * train.inputSize;
    for (let ch = 0; ch < 3; ch++) {
      let s = 0;
      for (let k = row + ch * plane, end = k + plane; k < end; k++) s += train.x[k]!;
      sums[ch]! += s;
    }
  }
  const means = sums.map((s) => s / (train.n * plane));
  const expected = [0.49139967861519607, 0.48215840839460783, 0.44653091444546567];
  means.forEach((m, ch) => {
    assert.ok(Math.abs(m - expected[ch]!) < 1e-6, `channel ${ch}: mean ${m}, expected ${expected[ch]}`);
  });
});
