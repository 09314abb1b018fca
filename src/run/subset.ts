/**
 * Training on part of a run's samples (pruning benchmarks): the caller's positions, checked
 * against the subset the config names, and the rows they select.
 *
 * @example
 *   const positions = Int32Array.from([0, 2, 5]);
 *   const cfg = resolveRunConfig({ ...base, subset: subsetOf('el2n-hard-0.5', positions) });
 *   subsetRows(train, cfg.subset, positions).n;   // 3
 */
import { takeRows } from '../data/part';
import { hashOrder, type RunConfig } from './config';
import type { LabelledSplit } from './train';

/** A config's subset field for these positions. */
export function subsetOf(name: string, positions: Int32Array): NonNullable<RunConfig['subset']> {
  return { name, hash: hashOrder(positions), size: positions.length };
}

/**
 * The rows of `train` at `positions`, which must be the ones `subset` names (same hash), ascending
 * and each once, inside the split.
 */
export function subsetRows(
  train: LabelledSplit,
  subset: NonNullable<RunConfig['subset']>,
  positions: Int32Array | undefined,
): LabelledSplit {
  if (!positions) throw new Error(`the run config names subset '${subset.name}' but no positions were given`);
  if (positions.length !== subset.size || hashOrder(positions) !== subset.hash)
    throw new RangeError(`the positions given are not those of subset '${subset.name}' (size or hash differ)`);
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]!;
    if (!(p >= 0 && p < train.n)) throw new RangeError(`subset position ${p} is outside the ${train.n} samples`);
    if (k > 0 && p <= positions[k - 1]!) throw new RangeError('subset positions must be ascending, each once');
  }
  return takeRows(train, positions);
}
