import test from 'node:test';
import assert from 'node:assert/strict';
import { logCodes, logScaleOf, packArrays, unpackArrays } from '../../src/explorer/pack';
import { fromLogCode } from '../../src/explorer/page-meta';

test('packed arrays come back with their types, values and 4-byte-aligned offsets', () => {
  const arrays = {
    labels: new Uint8Array([3, 1, 4]),
    index: new Int32Array([-7, 70000, 2]),
    tau: new Float32Array([0.5, 2, 1e-20]),
    empty: new Uint8Array(0),
  };
  const packed = packArrays(arrays);
  assert.deepEqual(
    packed.manifest.map((e) => [e.name, e.type, e.offset, e.length]),
    [
      ['labels', 'u8', 0, 3],
      ['index', 'i32', 4, 3],
      ['tau', 'f32', 16, 3],
      ['empty', 'u8', 28, 0],
    ],
  );
  assert.equal(packed.rawBytes, 28);
  const back = unpackArrays(packed);
  for (const [name, a] of Object.entries(arrays)) {
    assert.equal(back[name]!.constructor, a.constructor, name);
    assert.deepEqual(Array.from(back[name]!), Array.from(a), name);
  }
});

test('log codes: 0 for zero, negatives and values below the scale; 1 and 255 at its ends', () => {
  const scale = { lo: -4, hi: 0 };
  const codes = logCodes(new Float32Array([0, -1, 1e-6, 1e-4, 1e-2, 1, 10]), scale);
  assert.deepEqual(Array.from(codes), [0, 0, 0, 1, 128, 255, 255]);
});

test('a value read back from its code is within half a step (in log10) of the value', () => {
  const scale = { lo: -12, hi: -2 };
  const step = (scale.hi - scale.lo) / 254;
  for (const v of [1e-12, 3.3e-9, 7e-5, 0.0099]) {
    const back = fromLogCode(logCodes(new Float32Array([v]), scale)[0]!, scale);
    assert.ok(Math.abs(Math.log10(back) - Math.log10(v)) <= step / 2 + 1e-6, `${v} → ${back}`);
  }
  assert.equal(fromLogCode(0, scale), 0);
});

test('the log scale runs from a low quantile of the positive values to the largest', () => {
  const values = new Float32Array(10_000);
  for (let k = 0; k < values.length; k++) values[k] = 10 ** (-10 + (10 * k) / (values.length - 1));
  values[0] = 0; // not positive: left out
  values[1] = 1e-30; // one outlier below: cut by the quantile
  const scale = logScaleOf(values, 0.01);
  assert.ok(scale.lo > -10 && scale.lo < -9.8, `lo ${scale.lo}`);
  assert.equal(scale.hi, 0);
  assert.deepEqual(logScaleOf(new Float32Array([0, 0])), { lo: 0, hi: 1 });
});
