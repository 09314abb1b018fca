import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { batchConstructions, CONSTRUCTION_NAMES } from '../../src/analysis/batch-constructions';

// 12 samples, B = 3, so b = 4 batches. finalNll sorted ascending is positions 11, 10, …, 0.
const n = 12;
const B = 3;
const nll = Float32Array.from({ length: n }, (_, i) => n - i);
const tau = Float64Array.from({ length: n }, (_, i) => (i * 5) % n); // a permutation of 0..11
const orders = batchConstructions(nll, tau, B, 7);

function batches(order: Int32Array): number[][] {
  return Array.from({ length: order.length / B }, (_, k) => Array.from(order.subarray(k * B, (k + 1) * B)));
}

test('every construction is a permutation of 0..n-1', () => {
  for (const name of CONSTRUCTION_NAMES) {
    assert.deepEqual(
      [...orders[name]].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
      name,
    );
  }
});

test('NLO: lowest final NLL first, batches of consecutive ranks', () => {
  assert.deepEqual(batches(orders.NLO), [
    [11, 10, 9],
    [8, 7, 6],
    [5, 4, 3],
    [2, 1, 0],
  ]);
});

test('RNLO visits the NLO batches in reverse, each batch unchanged', () => {
  assert.deepEqual(batches(orders.RNLO), batches(orders.NLO).reverse());
  assert.deepEqual(batches(orders.RSIO), batches(orders.SIO).reverse());
});

test('NLM batch j holds sorted ranks j, j+b, j+2b', () => {
  const byRank = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
  const b = n / B;
  assert.deepEqual(
    batches(orders.NLM),
    Array.from({ length: b }, (_, j) => [byRank[j], byRank[j + b], byRank[j + 2 * b]]),
  );
});

test('SIO sorts by tau; SIM mixes it', () => {
  assert.deepEqual(
    Array.from(orders.SIO).map((p) => tau[p]),
    Array.from({ length: n }, (_, i) => i),
  );
  assert.deepEqual(
    batches(orders.SIM).map((batch) => batch.map((p) => tau[p])),
    [
      [0, 4, 8],
      [1, 5, 9],
      [2, 6, 10],
      [3, 7, 11],
    ],
  );
});

test('Rand is fixed by its seed and differs across seeds', () => {
  assert.deepEqual(batchConstructions(nll, tau, B, 7).Rand, orders.Rand);
  assert.notDeepEqual(batchConstructions(nll, tau, B, 8).Rand, orders.Rand);
});

test('n not divisible by B is refused with the reason', () => {
  assert.throws(() => batchConstructions(nll, tau, 5, 1), /divisible by the batch size.*n = 12, B = 5/);
});
