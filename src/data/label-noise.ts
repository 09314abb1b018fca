/**
 * Label noise for the noisy-label benchmark: a seeded fraction of the training labels, each
 * replaced by a uniformly drawn other class (symmetric noise, as in Pleiss et al. 2020 and
 * Toneva et al. 2019).
 *
 * @example
 *   const { y, flipped } = flipLabels(train.y, 10, 0.1, 1);   // 10% of the labels changed
 *   flipped;   // ascending positions whose label changed
 */
import { Rng } from '../util/rng';

export interface FlippedLabels {
  /** The labels with the flipped ones replaced. */
  readonly y: Int32Array;
  /** Ascending positions of the flipped labels: round(fraction · n) of them. */
  readonly flipped: Int32Array;
}

export function flipLabels(y: Int32Array, classes: number, fraction: number, seed: number): FlippedLabels {
  if (!(fraction >= 0 && fraction < 1))
    throw new RangeError(`a label-noise fraction must lie in [0, 1), got ${fraction}`);
  if (!(Number.isInteger(classes) && classes >= 2))
    throw new RangeError(`label noise needs 2 or more classes, got ${classes}`);
  const rng = new Rng(seed);
  const flipped = rng
    .permutation(y.length)
    .subarray(0, Math.round(fraction * y.length))
    .sort();
  const noisy = y.slice();
  for (const i of flipped) noisy[i] = (y[i]! + 1 + rng.int(classes - 1)) % classes;
  return { y: noisy, flipped };
}
