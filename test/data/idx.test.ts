import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DatasetFileError, parseIdx, readIdxFile, readIdxImages, readIdxLabels } from '../../src/data';
import { idxBytes, idxImageBytes, idxLabelBytes, tempDir } from './fixtures';

/** Asserts that `fn` throws a DatasetFileError for `file` whose message matches `problem`. */
function throwsFor(fn: () => unknown, file: string, problem: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DatasetFileError, `expected DatasetFileError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.match(err.message, problem);
    assert.ok(err.message.includes(file), 'the message names the file');
    return true;
  });
}

test('parses raw IDX images and labels', () => {
  const idx = parseIdx(idxImageBytes(3, 2, 4), 'mem');
  assert.deepEqual(idx.dims, [3, 2, 4]);
  assert.equal(idx.data.length, 24);
  assert.equal(idx.data[8], 7); // image 1 pixel 0 = 1 * 7
  assert.deepEqual(Array.from(parseIdx(idxLabelBytes([4, 0, 9]), 'mem').data), [4, 0, 9]);
});

test('detects gzip by magic bytes, not by name', (t) => {
  const dir = tempDir(t);
  const content = idxLabelBytes([1, 2, 3]);
  const gzNoSuffix = path.join(dir, 'labels');
  const rawWithSuffix = path.join(dir, 'labels-raw.gz');
  fs.writeFileSync(gzNoSuffix, zlib.gzipSync(content));
  fs.writeFileSync(rawWithSuffix, content);
  assert.deepEqual(Array.from(readIdxLabels(gzNoSuffix, 10)), [1, 2, 3]);
  assert.deepEqual(Array.from(readIdxLabels(rawWithSuffix, 10)), [1, 2, 3]);
});

test('missing file names the file', (t) => {
  const file = path.join(tempDir(t), 'absent-idx1-ubyte.gz');
  throwsFor(() => readIdxFile(file), file, /file not found/);
});

test('truncated gzip is reported as such', (t) => {
  const file = path.join(tempDir(t), 'cut.gz');
  const gz = zlib.gzipSync(idxImageBytes(50, 28, 28));
  fs.writeFileSync(file, gz.subarray(0, gz.length >> 1));
  throwsFor(() => readIdxFile(file), file, /corrupt or truncated gzip/);
});

test('corrupt gzip is reported as such', (t) => {
  const file = path.join(tempDir(t), 'bad.gz');
  const gz = zlib.gzipSync(idxImageBytes(5, 28, 28));
  gz.fill(0xff, 10, 40);
  fs.writeFileSync(file, gz);
  throwsFor(() => readIdxFile(file), file, /corrupt or truncated gzip/);
});

test('wrong magic number', () => {
  const bytes = Buffer.from('PK\x03\x04 this is a zip file');
  throwsFor(() => parseIdx(bytes, 'x.idx'), 'x.idx', /not an IDX file: magic number 0x504b0304/);
});

test('unsupported data type', () => {
  throwsFor(() => parseIdx(idxBytes([1], new Uint8Array(4), 0x0d), 'f.idx'), 'f.idx', /unsupported IDX data type 0xd/);
});

test('header dimensions that disagree with the file length', () => {
  const full = idxImageBytes(4, 2, 2);
  throwsFor(
    () => parseIdx(full.subarray(0, full.length - 3), 'short'),
    'short',
    /header says 4×2×2 = 16 bytes of data, but the file holds 13 \(truncated\)/,
  );
  throwsFor(() => parseIdx(Buffer.concat([full, Buffer.alloc(2)]), 'long'), 'long', /holds 18 \(trailing bytes\)/);
  throwsFor(() => parseIdx(full.subarray(0, 10), 'header'), 'header', /truncated IDX header/);
  throwsFor(() => parseIdx(Buffer.from([0, 0]), 'tiny'), 'tiny', /too short/);
});

test('labels out of range', (t) => {
  const file = path.join(tempDir(t), 'labels');
  fs.writeFileSync(file, idxLabelBytes([3, 1, 10, 2]));
  throwsFor(() => readIdxLabels(file, 10), file, /label 10 at index 2 is out of range \(classes 0\.\.9\)/);
});

test('images and labels files are told apart, and image size is checked', (t) => {
  const dir = tempDir(t);
  const images = path.join(dir, 'images');
  const labels = path.join(dir, 'labels');
  fs.writeFileSync(images, idxImageBytes(2, 3, 3));
  fs.writeFileSync(labels, idxLabelBytes([0, 1]));
  throwsFor(() => readIdxLabels(images, 10), images, /expected a label file/);
  throwsFor(() => readIdxImages(labels), labels, /expected an image file/);
  throwsFor(() => readIdxImages(images, 28, 28), images, /images are 3×3, expected 28×28/);
  assert.deepEqual(readIdxImages(images, 3, 3).dims, [2, 3, 3]);
});
