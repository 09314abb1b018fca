/**
 * The real Fashion-MNIST files: the data directory's, else Debian's dataset-fashion-mnist in
 * /usr/share/datasets/fashion-mnist; skipped when neither is there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countLabels, datasetAvailable, loadDataset, verifyDataset } from '../../src/data';
import { projectRoot } from '../../src/paths';
import { realDataDir } from '../data/fixtures';

const dataDir = realDataDir(projectRoot());
const skip = datasetAvailable('fashion-mnist', dataDir)
  ? false
  : `Fashion-MNIST not found under ${dataDir} nor in /usr/share/datasets/fashion-mnist ` +
    '(apt-get install dataset-fashion-mnist)';

test('real Fashion-MNIST: 60,000 + 10,000 images, 6,000 / 1,000 per class', { skip }, () => {
  const { train, test: testPart, classNames } = loadDataset('fashion-mnist', { dataDir, split: 'official' });
  assert.equal(train.n, 60000);
  assert.equal(testPart.n, 10000);
  assert.deepEqual(train.shape, [28, 28, 1]);
  assert.deepEqual(countLabels(train.y, 10), new Array(10).fill(6000));
  assert.deepEqual(countLabels(testPart.y, 10), new Array(10).fill(1000));
  assert.equal(classNames[train.y[0]!], 'Ankle boot');
  assert.equal(loadDataset('fashion-mnist', { dataDir }).train.n, 50000);
});

test('real Fashion-MNIST: files match the published checksums or their content does', { skip }, async () => {
  for (const r of await verifyDataset('fashion-mnist', { dataDir })) assert.ok(r.ok, `${r.path}: ${r.problem}`);
});
