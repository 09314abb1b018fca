/**
 * Which samples a pruned training set keeps, from one score per sample: the hardest, the easiest,
 * a coverage-centric stratified draw (Zheng et al. 2023), or a uniform random draw. "Hard" is a
 * high score except for the scores where low means hard (AUM, confidence). Ties are broken by a
 * seeded shuffle, so position in the dataset file never decides.
 *
 * @example
 *   selectSubset(scores.el2n, { score: 'el2n', strategy: 'hard', fraction: 0.5, seed: 1 });   // ascending positions
 *   randomSubset(50000, 0.2, 7);
 */
import { Rng } from '../util/rng';

export const STRATEGIES = ['hard', 'easy', 'stratified'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Scores whose hard samples are the low ones: a small margin or confidence marks a hard (or mislabelled) sample. */
const HARD_IS_LOW: ReadonlySet<string> = new Set(['aum', 'confidence']);

/** Strata of the stratified draw: equal-width bins of the finite scores (never-learned samples, ∞, form one more). */
export const STRATA = 50;

export interface SubsetChoice {
  readonly score: string;
  readonly strategy: Strategy;
  /** Fraction of the samples kept, in (0, 1]. */
  readonly fraction: number;
  /** Seeds the tie-breaking shuffle and the stratified draw. */
  readonly seed: number;
}

/** round(fraction · n), at least 1. */
export function keptCount(n: number, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`a kept fraction must lie in (0, 1], got ${fraction}`);
  return Math.max(1, Math.round(fraction * n));
}

const ascending = (positions: ArrayLike<number>) => Int32Array.from(positions).sort();

/** The positions kept by a uniform random draw of round(fraction · n) samples. */
export function randomSubset(n: number, fraction: number, seed: number): Int32Array {
  return ascending(new Rng(seed).permutation(n).subarray(0, keptCount(n, fraction)));
}

/** The positions (ascending) kept under `choice`, from `scores` by position. */
export function selectSubset(scores: Float64Array, choice: SubsetChoice): Int32Array {
  const n = scores.length;
  const m = keptCount(n, choice.fraction);
  if (scores.some((v) => Number.isNaN(v))) throw new RangeError(`the ${choice.score} scores contain NaN`);
  const rng = new Rng(choice.seed);
  if (choice.strategy === 'stratified') return stratified(scores, m, rng);
  const hardFirst = HARD_IS_LOW.has(choice.score) ? 1 : -1;
  const sign = choice.strategy === 'hard' ? hardFirst : -hardFirst;
  // A stable sort of a random permutation: equal scores keep a random order.
  const byScore = Array.from(rng.permutation(n)).sort((a, b) => sign * (scores[a]! - scores[b]!) || 0);
  return ascending(byScore.slice(0, m));
}

/**
 * Coverage-centric selection (CCS, Zheng et al. 2023, without its optional hard cut-off): the
 * score range split into equal-width strata, the budget spread as evenly as the strata allow —
 * strata smaller than their share give all their samples and the rest is shared among the others —
 * and a uniform draw inside each stratum.
 */
function stratified(scores: Float64Array, m: number, rng: Rng): Int32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of scores) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const width = hi > lo ? (hi - lo) / STRATA : 1;
  const strata: number[][] = Array.from({ length: STRATA + 1 }, () => []);
  for (const i of rng.permutation(scores.length)) {
    const v = scores[i]!;
    const k = Number.isFinite(v) ? Math.min(STRATA - 1, Math.floor((v - lo) / width)) : STRATA;
    strata[k]!.push(i);
  }
  const nonEmpty = strata.filter((s) => s.length > 0).sort((a, b) => a.length - b.length);
  const kept: number[] = [];
  let budget = m;
  // Smallest strata first; the last (largest) takes whatever budget is left, so exactly m are kept.
  nonEmpty.forEach((stratum, k) => {
    const share = Math.min(stratum.length, Math.floor(budget / (nonEmpty.length - k)));
    kept.push(...stratum.slice(0, share));
    budget -= share;
  });
  return ascending(kept);
}
