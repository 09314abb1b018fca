/**
 * Visiting orders. By default epoch t visits a fresh permutation drawn from (orderSeed, t), so any
 * epoch's order can be rebuilt on resume without replaying the earlier ones.
 *
 * @example
 *   epochOrder({ kind: 'shuffle' }, 7, 3, 1000);   // Int32Array, a permutation of 0..999
 */
import { Rng } from '../util/rng';

export function shuffleSeed(orderSeed: number, epoch: number): number {
  return (Math.imul(orderSeed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(epoch + 1, 0x85ebca77)) >>> 0;
}

/** Checks a caller's fixed order: a permutation of 0..n-1 (each sample exactly once per epoch). */
export function checkFixedOrder(order: Int32Array, n: number): void {
  if (order.length !== n)
    throw new RangeError(`fixed order has ${order.length} entries but the training set has ${n} samples`);
  const seen = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const p = order[k]!;
    if (!(p >= 0 && p < n)) throw new RangeError(`fixed order entry ${k} is ${p}, outside [0, ${n})`);
    if (seen[p])
      throw new RangeError(`fixed order visits sample ${p} twice (entry ${k}); each sample must appear once`);
    seen[p] = 1;
  }
}

export function epochOrder(
  order: { kind: 'shuffle' } | { kind: 'fixed' },
  orderSeed: number,
  epoch: number,
  n: number,
  fixed?: Int32Array,
): Int32Array {
  if (order.kind === 'fixed') {
    if (!fixed) throw new Error('a fixed-order run needs its order');
    return fixed;
  }
  return new Rng(shuffleSeed(orderSeed, epoch)).permutation(n);
}
