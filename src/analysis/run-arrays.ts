/**
 * Shared views of a run's arrays for the analyses: epoch numbering (importance row t is epoch
 * t + 1; metrics count epoch 0 as the initial model), layer names, and per-sample sums.
 *
 * @example
 *   epochNumber(0);                  // 1
 *   runLayerNames(run);                 // ['L1', 'L2', 'L3', 'Out']
 *   importanceByLayer(run)[i * D + d]   // Σ_t β_{i,d}^t
 */
import type { OpenRun } from '../run/open-run';

/** The paper's epoch number of importance/NLL row t. */
export function epochNumber(t: number): number {
  return t + 1;
}

export function runLayerNames(run: OpenRun): string[] {
  return run.meta.layers.map((l) => l.name);
}

/** Σ_t β_{i,d}^t as [n, D] in float64. */
export function importanceByLayer(run: OpenRun): Float64Array {
  const { n, layers: D, importance } = run;
  const out = new Float64Array(n * D);
  const width = n * D;
  for (let t = 0; t < run.epochs; t++) {
    const base = t * width;
    for (let k = 0; k < width; k++) out[k]! += importance[base + k]!;
  }
  return out;
}

/** Positions whose label is `label`. */
export function positionsOfClass(labels: Int32Array, label: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === label) out.push(i);
  return out;
}

/** Labels by run position, from a data part's rows (matched through their official indices). */
export function labelsByPosition(run: OpenRun, part: { y: Int32Array; indices: Int32Array }): Int32Array {
  const rowOf = new Map<number, number>();
  part.indices.forEach((official, row) => {
    rowOf.set(official, row);
  });
  return Int32Array.from(run.trainIndices, (official) => {
    const row = rowOf.get(official);
    if (row === undefined)
      throw new RangeError(`${run.meta.key} trains on official sample ${official}, which the data part lacks`);
    return part.y[row]!;
  });
}

/** Throws unless the run is complete (figures that need final NLL or all epochs). */
export function requireFinalNll(run: OpenRun): Float32Array {
  if (!run.finalNll)
    throw new Error(`${run.meta.key} is ${run.meta.status}: it has no final NLL (only complete runs do)`);
  return run.finalNll;
}

/** Positions sorted by value, largest first; ties keep position order. */
export function sortedPositionsDescending(values: ArrayLike<number>): Int32Array {
  const positions = Array.from({ length: values.length }, (_, i) => i);
  positions.sort((a, b) => values[b]! - values[a]! || a - b);
  return Int32Array.from(positions);
}
