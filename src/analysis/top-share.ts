/**
 * Figure 3: are all samples equally important for all layers? Samples ranked by τ (largest
 * first) are split into the top 10%, the next 10% and the other 80%; for each layer (and all
 * layers together) the share of that layer's total importance Σ_t Σ_i β each group carries.
 *
 * @example
 *   topShare(run);   // rows layer, group, share; shares of one layer sum to 1
 */
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { importanceByLayer, runLayerNames, sortedPositionsDescending } from './run-arrays';

export const SHARE_GROUPS = ['top 10%', '10–20%', 'other 80%'] as const;
export const ALL_LAYERS = 'All';

/** Which group each sample rank (0 = most important) falls in, for n samples. */
export function shareGroupOfRank(rank: number, n: number): number {
  if (rank < Math.round(0.1 * n)) return 0;
  return rank < Math.round(0.2 * n) ? 1 : 2;
}

export function topShare(run: OpenRun): DataFrame {
  const { n, layers: D } = run;
  const perSample = importanceByLayer(run);
  const tau = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) tau[i]! += perSample[i * D + d]!;
  const byRank = sortedPositionsDescending(tau);
  const sums = Array.from({ length: D + 1 }, () => new Float64Array(SHARE_GROUPS.length));
  byRank.forEach((i, rank) => {
    const g = shareGroupOfRank(rank, n);
    for (let d = 0; d < D; d++) sums[d]![g]! += perSample[i * D + d]!;
    sums[D]![g]! += tau[i]!;
  });
  const rows: Row[] = [];
  [...runLayerNames(run), ALL_LAYERS].forEach((layer, d) => {
    const whole = sums[d]!.reduce((a, b) => a + b, 0);
    SHARE_GROUPS.forEach((group, g) => {
      rows.push({ layer, group, share: sums[d]![g]! / whole });
    });
  });
  return frameFromRows(rows, ['layer', 'group', 'share']);
}
