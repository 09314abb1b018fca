import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readNpy, writeNpy } from '../../src/io/npy';
import { NpyEpochFile } from '../../src/io/npy-epochs';
import { tempDir } from '../support/tmp';
import { runPython, venvNumpyMissing } from '../support/python';

test('writeNpy/readNpy round-trip every record dtype', () => {
  const dir = tempDir();
  const cases = [
    { data: new Float32Array([1.5, -2, 3e-8, 0, 7, 8]), shape: [2, 3] },
    { data: new Int32Array([5, -1, 2147483647]), shape: [3] },
    { data: new Uint8Array([0, 1, 255, 3]), shape: [2, 1, 2] },
  ];
  for (const [k, c] of cases.entries()) {
    const file = path.join(dir, `a${k}.npy`);
    writeNpy(file, c.data, c.shape);
    const back = readNpy(file);
    assert.deepEqual(back.shape, c.shape);
    assert.deepEqual([...back.data], [...c.data]);
    // numpy requires the data to start on a multiple of 64 bytes in format 1.0 files we write.
    assert.equal((fs.statSync(file).size - c.data.byteLength) % 64, 0);
  }
});

test('writeNpy rejects a shape that does not match the data', () => {
  assert.throws(
    () => writeNpy(path.join(tempDir(), 'x.npy'), new Float32Array(5), [2, 3]),
    /holds 6 values but the array has 5/,
  );
});

test('readNpy names the file on a bad magic and on truncated data', () => {
  const dir = tempDir();
  const bad = path.join(dir, 'bad.npy');
  fs.writeFileSync(bad, 'not numpy at all');
  assert.throws(() => readNpy(bad), /bad\.npy: not a \.npy file/);
  const good = path.join(dir, 'good.npy');
  writeNpy(good, new Float32Array(10), [10]);
  fs.truncateSync(good, fs.statSync(good).size - 8);
  assert.throws(() => readNpy(good), /good\.npy: npy data is truncated/);
});

test('NpyEpochFile writes rows in place and refuses a mismatched existing file', () => {
  const file = path.join(tempDir(), 'nll.npy');
  const f = NpyEpochFile.open(file, 'float32', 3, [2, 2]);
  f.writeEpoch(1, new Float32Array([1, 2, 3, 4]));
  const again = NpyEpochFile.open(file, 'float32', 3, [2, 2]);
  assert.deepEqual([...again.readEpoch(1)], [1, 2, 3, 4]);
  assert.deepEqual([...again.readEpoch(0)], [0, 0, 0, 0]);
  const whole = readNpy(file);
  assert.deepEqual(whole.shape, [3, 2, 2]);
  assert.throws(() => NpyEpochFile.open(file, 'float32', 4, [2, 2]), /existing record has shape \[3,2,2\]/);
  assert.throws(() => f.writeEpoch(0, new Float32Array(3)), /needs 4 values, got 3/);
});

const noNumpy = venvNumpyMissing();
test('numpy reads what writeNpy and NpyEpochFile write', { skip: noNumpy }, () => {
  const dir = tempDir();
  writeNpy(path.join(dir, 'f.npy'), new Float32Array([0.5, 1.5, 2.5, 3.5]), [2, 2]);
  writeNpy(path.join(dir, 'i.npy'), new Int32Array([7, -3]), [2]);
  NpyEpochFile.open(path.join(dir, 'u.npy'), 'uint8', 2, [3]).writeEpoch(1, new Uint8Array([1, 0, 1]));
  const out = runPython(
    'import numpy as np, sys, os; d=sys.argv[1]\n' +
      "f=np.load(os.path.join(d,'f.npy')); i=np.load(os.path.join(d,'i.npy')); u=np.load(os.path.join(d,'u.npy'))\n" +
      'print(f.dtype, f.shape, f.sum(), i.dtype, i.tolist(), u.dtype, u.shape, u.tolist())',
    [dir],
  );
  assert.equal(out.trim(), 'float32 (2, 2) 8.0 int32 [7, -3] uint8 (2, 3) [[0, 0, 0], [1, 0, 1]]');
});
