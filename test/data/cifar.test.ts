import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetFileError, parseCifarBatch, readCifarBatch } from '../../src/data';
import { cifarBytes, tempDir } from './fixtures';

test('parses CIFAR-10 records: labels and planar pixels', (t) => {
  const file = path.join(tempDir(t), 'data_batch_1.bin');
  fs.writeFileSync(file, cifarBytes([6, 9, 0]));
  const batch = readCifarBatch(file);
  assert.equal(batch.n, 3);
  assert.deepEqual(Array.from(batch.labels), [6, 9, 0]);
  assert.equal(batch.pixels.length, 3 * 3072);
  // record 2, byte 1024 (first green pixel) = (2 + 1024) mod 256
  assert.equal(batch.pixels[2 * 3072 + 1024], (2 + 1024) % 256);
});

test('a length that is not a multiple of 3,073 is refused', () => {
  const bytes = cifarBytes([1, 2]);
  assert.throws(
    () => parseCifarBatch(bytes.subarray(0, 6000), 'cut.bin'),
    (err: unknown) => {
      assert.ok(err instanceof DatasetFileError);
      assert.match(err.message, /^cut\.bin: length 6000 is not a positive multiple of the 3073-byte CIFAR-10 record/);
      return true;
    },
  );
  assert.throws(() => parseCifarBatch(new Uint8Array(0), 'empty.bin'), /empty\.bin: length 0/);
});

test('labels above 9 are refused', () => {
  assert.throws(
    () => parseCifarBatch(cifarBytes([3, 10, 1]), 'b.bin'),
    /b\.bin: label 10 in record 1 is out of range \(classes 0\.\.9\)/,
  );
});

test('a missing batch names the file', (t) => {
  const file = path.join(tempDir(t), 'test_batch.bin');
  assert.throws(
    () => readCifarBatch(file),
    new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file not found`),
  );
});
