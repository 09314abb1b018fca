/**
 * The paper's seven fixed batch constructions (§3.6). Each is a visiting order: a permutation of
 * sample positions 0..n-1, used unchanged every epoch; batch k is entries kB … kB+B-1.
 *
 * - Rand: a seeded random split, visited in a fixed order.
 * - NLO / SIO: sort by final NLL / by τ ascending; B_1 holds the B lowest, visited B_1 … B_b.
 * - RNLO / RSIO: the same batches visited B_b … B_1 (each batch keeps its contents).
 * - NLM / SIM: the sample at sorted rank r goes to batch (r mod b), so every batch mixes easiness.
 *
 * @example
 *   const orders = batchConstructions(run.finalNll!, run.tau(), 100, 1);
 *   orders.NLO.subarray(0, 100);   // the 100 positions with the lowest final NLL
 */
import { Rng } from '../util/rng';

export const CONSTRUCTION_NAMES = ['Rand', 'NLO', 'RNLO', 'NLM', 'SIO', 'RSIO', 'SIM'] as const;
export type ConstructionName = (typeof CONSTRUCTION_NAMES)[number];

/** Positions sorted by value ascending; equal values keep position order, so the result is deterministic. */
export function sortedPositions(values: ArrayLike<number>): Int32Array {
  const positions = Array.from({ length: values.length }, (_, i) => i);
  positions.sort((a, b) => values[a]! - values[b]! || a - b);
  return Int32Array.from(positions);
}

/** Consecutive batches of `sorted`, visited last batch first. */
function reversedBatches(sorted: Int32Array, batchSize: number): Int32Array {
  const b = sorted.length / batchSize;
  const out = new Int32Array(sorted.length);
  for (let k = 0; k < b; k++) out.set(sorted.subarray((b - 1 - k) * batchSize, (b - k) * batchSize), k * batchSize);
  return out;
}

/** Batch j holds sorted ranks j, j+b, j+2b, …, in that order. */
function mixedBatches(sorted: Int32Array, batchSize: number): Int32Array {
  const b = sorted.length / batchSize;
  const out = new Int32Array(sorted.length);
  for (let r = 0; r < sorted.length; r++) out[(r % b) * batchSize + Math.floor(r / b)] = sorted[r]!;
  return out;
}

export function batchConstructions(
  finalNll: Float32Array,
  tau: Float64Array,
  batchSize: number,
  seed: number,
): Record<ConstructionName, Int32Array> {
  const n = finalNll.length;
  if (tau.length !== n) throw new RangeError(`finalNll has ${n} samples but tau has ${tau.length}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  if (n % batchSize !== 0) {
    throw new RangeError(
      `batch constructions need n divisible by the batch size so every batch is full: n = ${n}, B = ${batchSize}`,
    );
  }
  const byNll = sortedPositions(finalNll);
  const byTau = sortedPositions(tau);
  return {
    Rand: new Rng(seed).permutation(n),
    NLO: byNll,
    RNLO: reversedBatches(byNll, batchSize),
    NLM: mixedBatches(byNll, batchSize),
    SIO: byTau,
    RSIO: reversedBatches(byTau, batchSize),
    SIM: mixedBatches(byTau, batchSize),
  };
}
