import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  DATASET_NAMES,
  DatasetFileError,
  MissingDatasetError,
  countLabels,
  datasetAvailable,
  formatMissingDatasetHelp,
  getDatasetSpec,
  loadDataset,
  takeFirst,
  takeFirstPerClass,
  takeRows,
  verifyDataset,
  type DatasetSpec,
} from '../../src/data';
import { idxImageBytes, idxLabelBytes, tempDir, tinyCifarDataset, tinyIdxDataset, writeFiles } from './fixtures';

test('the registry describes the three datasets and the paper split', () => {
  assert.deepEqual([...DATASET_NAMES], ['mnist', 'fashion-mnist', 'cifar10']);
  for (const name of DATASET_NAMES) {
    const spec = getDatasetSpec(name);
    assert.equal(spec.classNames.length, 10);
    assert.deepEqual(spec.splits.paper, { train: 50000, test: 10000 });
    assert.deepEqual(spec.splits.official, spec.officialCounts);
    for (const f of spec.files) {
      assert.match(f.published.md5 ?? '', /^[0-9a-f]{32}$/, `${name} ${f.name} md5`);
      assert.match(f.published.sha256 ?? '', /^[0-9a-f]{64}$/, `${name} ${f.name} sha256`);
    }
  }
  assert.deepEqual(getDatasetSpec('cifar10').shape, [32, 32, 3]);
  assert.equal(getDatasetSpec('mnist').source.kind, 'files');
  assert.throws(() => getDatasetSpec('svhn'), /unknown dataset 'svhn' \(known: mnist, fashion-mnist, cifar10\)/);
});

test('loads the paper split of an IDX dataset as float32 in [0, 1] with provenance', (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyIdxDataset();
  writeFiles(path.join(dir, spec.folder), files);
  const data = loadDataset(spec, { dataDir: dir });
  assert.equal(data.split, 'paper');
  assert.deepEqual(data.classNames, ['a', 'b', 'c']);
  assert.equal(data.folder, path.join(dir, spec.folder));
  const { train, test: testPart } = data;
  assert.equal(train.n, 5);
  assert.equal(train.inputSize, 6);
  assert.deepEqual(train.shape, [2, 3, 1]);
  assert.equal(train.origin, 'train');
  assert.deepEqual(Array.from(train.y), [0, 1, 2, 0, 1]);
  assert.deepEqual(Array.from(train.indices), [0, 1, 2, 3, 4]);
  assert.ok(train.x instanceof Float32Array && train.x.length === 30);
  assert.equal(train.x[6 * 4 + 5], Math.fround((4 * 7 + 5) / 255)); // image 4, pixel 5
  assert.equal(testPart.n, 4);
  assert.deepEqual(Array.from(testPart.y), [2, 1, 0, 0]);
  assert.equal(testPart.origin, 'test');
  assert.equal(loadDataset(spec, { dataDir: dir, split: 'official' }).train.n, 8);
});

test('files stored decompressed (without .gz) are found too', (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyIdxDataset();
  const folder = path.join(dir, spec.folder);
  writeFiles(
    folder,
    Object.fromEntries(Object.entries(files).map(([name, gz]) => [name.replace(/\.gz$/, ''), zlib.gunzipSync(gz)])),
  );
  assert.ok(datasetAvailable(spec, dir));
  assert.deepEqual(Array.from(loadDataset(spec, { dataDir: dir }).test.y), [2, 1, 0, 0]);
});

test('a missing dataset names the missing files and the command that fetches it', (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyIdxDataset();
  writeFiles(path.join(dir, spec.folder), { 'train-images-idx3-ubyte.gz': files['train-images-idx3-ubyte.gz']! });
  assert.equal(datasetAvailable(spec, dir), false);
  assert.throws(
    () => loadDataset(spec, { dataDir: dir }),
    (err: unknown) => {
      assert.ok(err instanceof MissingDatasetError);
      assert.equal(err.dataset, 'tiny-idx');
      assert.equal(err.missingFiles.length, 3);
      assert.ok(err.missingFiles.includes(path.join(dir, spec.folder, 't10k-labels-idx1-ubyte.gz')));
      assert.match(err.message, /t10k-labels-idx1-ubyte\.gz/);
      assert.match(err.message, /si download tiny-idx/);
      assert.doesNotMatch(err.message, /train-images/, 'present files are not listed as missing');
      return true;
    },
  );
  assert.match(
    formatMissingDatasetHelp('cifar10', { dataDir: dir }),
    /cifar-10-batches-bin lacks data_batch_1\.bin.*\n.*si download cifar10/,
  );
});

test('fallback folders are used when the data directory lacks the dataset', (t) => {
  const dir = tempDir(t);
  const { spec: base, files } = tinyIdxDataset();
  const fallback = path.join(dir, 'debian');
  writeFiles(fallback, files);
  const spec: DatasetSpec = { ...base, fallbackFolders: [fallback] };
  const data = loadDataset(spec, { dataDir: path.join(dir, 'empty') });
  assert.equal(data.folder, fallback);
  assert.equal(datasetAvailable(spec, path.join(dir, 'empty')), true);
  assert.throws(
    () => loadDataset(spec, { dataDir: path.join(dir, 'empty'), useFallbacks: false }),
    MissingDatasetError,
  );
  assert.match(formatMissingDatasetHelp(spec, { dataDir: path.join(dir, 'empty') }), /Also looked in .*debian/);
});

test('image and label counts are checked against each other and the registry (checksums aside)', (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyIdxDataset();
  const folder = path.join(dir, spec.folder);
  const unverified = { dataDir: dir, verify: 'never' } as const;
  writeFiles(folder, { ...files, 't10k-labels-idx1-ubyte.gz': zlib.gzipSync(idxLabelBytes([0, 1, 2])) });
  assert.throws(
    () => loadDataset(spec, unverified),
    (err: unknown) => {
      assert.ok(err instanceof DatasetFileError);
      assert.match(
        err.message,
        /t10k-images-idx3-ubyte\.gz: holds 4 images but .*t10k-labels-idx1-ubyte\.gz holds 3 labels/,
      );
      return true;
    },
  );
  writeFiles(folder, {
    ...files,
    't10k-images-idx3-ubyte.gz': zlib.gzipSync(idxImageBytes(3, 2, 3)),
    't10k-labels-idx1-ubyte.gz': zlib.gzipSync(idxLabelBytes([0, 1, 2])),
  });
  assert.throws(() => loadDataset(spec, unverified), /3 test images, Tiny IDX has 4/);
  writeFiles(folder, {
    ...files,
    'train-labels-idx1-ubyte.gz': zlib.gzipSync(idxLabelBytes([0, 1, 2, 0, 1, 2, 3, 1])),
  });
  assert.throws(
    () => loadDataset(spec, unverified),
    /train-labels-idx1-ubyte\.gz: label 3 at index 6 is out of range \(classes 0\.\.2\)/,
  );
});

test('loads CIFAR-10-format batches in order, keeping the planar R, G, B layout', (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyCifarDataset();
  writeFiles(path.join(dir, spec.folder), files);
  const { train, test: testPart, classNames } = loadDataset(spec, { dataDir: dir });
  assert.equal(train.n, 6);
  assert.equal(train.inputSize, 3072);
  assert.deepEqual(train.shape, [32, 32, 3]);
  assert.deepEqual(Array.from(train.y), [6, 9, 9, 4, 1, 2]);
  assert.equal(testPart.n, 2);
  assert.equal(classNames[testPart.y[0]!], 'cat');
  // Record 1 of data_batch_2 is train row 4; its green plane starts at byte 1024: (1 + 1024) mod 256.
  assert.equal(train.x[4 * 3072 + 1024], Math.fround(((1 + 1024) % 256) / 255));
});

test('a corrupt CIFAR batch is named', (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyCifarDataset();
  const truncated = files['data_batch_2.bin']!.subarray(0, 5000);
  writeFiles(path.join(dir, spec.folder), { ...files, 'data_batch_2.bin': truncated });
  assert.throws(
    () => loadDataset(spec, { dataDir: dir }),
    /data_batch_2\.bin: checksum mismatch: .*it is not Tiny CIFAR's/,
  );
  assert.throws(
    () => loadDataset(spec, { dataDir: dir, verify: 'never' }),
    /data_batch_2\.bin: length 5000 is not a positive multiple/,
  );
});

test('data that keeps its length but not its content is refused, naming the file and the repair', (t) => {
  const dir = tempDir(t);
  const cifar = tinyCifarDataset();
  const cifarFolder = path.join(dir, cifar.spec.folder);
  // A training batch replaced by the test batch's records, and a label changed to another valid class.
  const relabelled = Buffer.from(cifar.files['data_batch_1.bin']!);
  relabelled[0] = (relabelled[0]! + 1) % 10;
  for (const [name, bytes] of [
    ['data_batch_2.bin', cifar.files['test_batch.bin']!],
    ['data_batch_1.bin', relabelled],
  ] as const) {
    writeFiles(cifarFolder, { ...cifar.files, [name]: bytes });
    assert.throws(
      () => loadDataset(cifar.spec, { dataDir: dir, verify: 'always' }),
      new RegExp(`${name}: checksum mismatch: .*fetch it again with \`si download tiny-cifar --force\``),
    );
  }
  const idx = tinyIdxDataset();
  const flipped = zlib.gunzipSync(idx.files['t10k-images-idx3-ubyte.gz']!);
  flipped[20] = 255 - flipped[20]!;
  writeFiles(path.join(dir, idx.spec.folder), { ...idx.files, 't10k-images-idx3-ubyte.gz': zlib.gzipSync(flipped) });
  assert.throws(() => loadDataset(idx.spec, { dataDir: dir }), /t10k-images-idx3-ubyte\.gz: neither the file nor its/);
  writeFiles(path.join(dir, idx.spec.folder), idx.files);
  assert.equal(loadDataset(idx.spec, { dataDir: dir }).test.n, 4, 'the published files load');
});

test('subsets keep provenance', (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyIdxDataset();
  writeFiles(path.join(dir, spec.folder), files);
  const { train } = loadDataset(spec, { dataDir: dir, split: 'official' });
  const first = takeFirst(train, 3);
  assert.deepEqual(Array.from(first.indices), [0, 1, 2]);
  assert.deepEqual(Array.from(first.x), Array.from(train.x.subarray(0, 18)));
  const picked = takeRows(first, [2, 0]);
  assert.deepEqual(Array.from(picked.indices), [2, 0]);
  assert.deepEqual(Array.from(picked.y), [2, 0]);
  const balanced = takeFirstPerClass(train, 2, 3); // labels 0 1 2 0 1 2 2 1
  assert.deepEqual(Array.from(balanced.indices), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(countLabels(balanced.y, 3), [2, 2, 2]);
  assert.throws(() => takeFirstPerClass(train, 3, 3), /class 0 has only 2 rows, 3 requested/);
  assert.throws(() => takeFirst(train, 9), /cannot take 9 of 8 rows/);
  assert.throws(() => takeRows(train, [8]), /row 8 is outside the part's 8 rows/);
});

test('verification accepts the published file or its decompressed content, and names a mismatch', async (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyIdxDataset();
  const folder = path.join(dir, spec.folder);
  writeFiles(folder, files);
  // Recompressed as Debian does: other gzip bytes, same content.
  const recompressed = zlib.gzipSync(zlib.gunzipSync(files['t10k-labels-idx1-ubyte.gz']!), { level: 1 });
  fs.writeFileSync(path.join(folder, 't10k-labels-idx1-ubyte.gz'), recompressed);
  fs.writeFileSync(path.join(folder, 't10k-images-idx3-ubyte.gz'), zlib.gzipSync(idxImageBytes(4, 2, 3).fill(9, 20)));
  const results = await verifyDataset(spec, { dataDir: dir });
  assert.deepEqual(
    results.map((r) => r.matched ?? 'none'),
    ['published', 'published', 'none', 'content'],
  );
  assert.equal(results[2]?.ok, false);
  const expected = spec.files[2]!;
  assert.ok(results[2]?.problem?.includes(expected.published.sha256 ?? ''));
  assert.ok(results[2]?.problem?.includes(expected.content?.sha256 ?? ''));
});
