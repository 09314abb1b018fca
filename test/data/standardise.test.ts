import test from 'node:test';
import assert from 'node:assert/strict';
import type { DataPart } from '../../src/data/part';
import { standardiseChannels } from '../../src/data/standardise';

/** Two 1×2 images with 2 channels (planar: channel 0's two pixels, then channel 1's). */
const part = (x: number[], n: number): DataPart => ({
  x: Float32Array.from(x),
  y: new Int32Array(n),
  n,
  inputSize: 4,
  shape: [1, 2, 2],
  indices: new Int32Array(n),
  origin: 'train',
});

test('channels get mean 0 and sd 1 over the training part; the test part uses its statistics', () => {
  // Channel 0 over training: 0, 0.2, 0.4, 0.6 (mean 0.3, sd √0.05); channel 1: 1, 1, 0, 0 (mean 0.5, sd 0.5).
  const train = part([0, 0.2, 1, 1, 0.4, 0.6, 0, 0], 2);
  const test = part([0.3, 0.3, 0.5, 1], 1);
  const out = standardiseChannels(train, test);
  assert.deepEqual(
    out.mean.map((m) => Number(m.toFixed(6))),
    [0.3, 0.5],
  );
  assert.deepEqual(
    out.std.map((s) => Number(s.toFixed(6))),
    [Number(Math.sqrt(0.05).toFixed(6)), 0.5],
  );
  const sd0 = Math.sqrt(0.05);
  const expected = [-0.3 / sd0, -0.1 / sd0, 1, 1, 0.1 / sd0, 0.3 / sd0, -1, -1];
  for (const [k, v] of out.train.x.entries()) assert.ok(Math.abs(v - expected[k]!) < 1e-6, `train[${k}]: ${v}`);
  assert.deepEqual(
    Array.from(out.test.x, (v) => Number(v.toFixed(5))),
    [0, 0, 0, 1],
  );
  assert.equal(train.x[1], Math.fround(0.2), 'the input part is left as it was');
});

test('a channel constant over the training samples is refused by name', () => {
  assert.throws(
    () => standardiseChannels(part([0, 0.2, 1, 1, 0.4, 0.6, 1, 1], 2), part([0, 0, 0, 0], 1)),
    /channel 1 is constant/,
  );
});
