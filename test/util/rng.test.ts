import test from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng';
import { initParams } from '../../src/model/init';
import { layerNames, layerSlices, mlpSpec, paramCount } from '../../src/model/spec';

test('Rng is deterministic per seed and differs across seeds', () => {
  const a = Array.from(
    { length: 5 },
    (
      (r) => () =>
        r.nextUint32()
    )(new Rng(1)),
  );
  const b = Array.from(
    { length: 5 },
    (
      (r) => () =>
        r.nextUint32()
    )(new Rng(1)),
  );
  const c = Array.from(
    { length: 5 },
    (
      (r) => () =>
        r.nextUint32()
    )(new Rng(2)),
  );
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('Rng.uniform is roughly uniform and permutation is a permutation', () => {
  const rng = new Rng(7);
  let sum = 0;
  for (let i = 0; i < 20000; i++) sum += rng.uniform();
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01, `mean ${sum / 20000}`);
  const p = rng.permutation(1000);
  assert.deepEqual(
    [...p].sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.throws(() => new Rng(-1), /seed must be an integer/);
});

test('the paper network has the expected layers and parameter counts', () => {
  const spec = mlpSpec(784, [512, 512, 512], 10);
  assert.deepEqual(layerNames(spec), ['L1', 'L2', 'L3', 'Out']);
  assert.deepEqual(
    layerSlices(spec).map((s) => s.count),
    [785 * 512, 513 * 512, 513 * 512, 513 * 10],
  );
  assert.equal(paramCount(mlpSpec(3072, [512, 512, 512], 10)), 3073 * 512 + 2 * 513 * 512 + 5130);
});

test('initParams: Glorot-uniform hidden weights, zero output weights and biases, seeded', () => {
  const spec = mlpSpec(20, [10, 8], 3);
  const p = initParams(spec, 1);
  const [l1, l2, out] = layerSlices(spec);
  assert.ok(l1 && l2 && out, 'three layers');
  const limit1 = Math.sqrt(6 / 30);
  const w1 = p.subarray(l1.wOffset, l1.bOffset);
  assert.ok(w1.every((v) => Math.abs(v) <= limit1) && w1.some((v) => Math.abs(v) > limit1 * 0.9));
  assert.ok(p.subarray(l1.bOffset, l2.wOffset).every((v) => v === 0));
  assert.ok(p.subarray(out.wOffset).every((v) => v === 0));
  assert.deepEqual(initParams(spec, 1), p);
  assert.notDeepEqual(initParams(spec, 2), p);
  assert.ok(
    initParams(spec, 1, 'glorot')
      .subarray(out.wOffset, out.bOffset)
      .some((v) => v !== 0),
  );
});
