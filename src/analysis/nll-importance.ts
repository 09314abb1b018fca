/**
 * Figure 4: is importance correlated with NLL? Per epoch, Spearman and Pearson correlation over
 * samples between NLL_i^t (at the sample's own step) and α_i^t; the scatter of final NLL against
 * τ, subsampled (seeded) so the committed figure data stays small; and the numbers the figure is
 * judged by, over all samples rather than the drawn ones.
 *
 * @example
 *   const { correlation, scatter } = nllImportance(run, { maxPoints: 5000, seed: 1 });
 */
import type { OpenRun } from '../run/open-run';
import { Rng } from '../util/rng';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { epochNumber, requireFinalNll } from './run-arrays';
import { pearson, spearman } from './stats';

export interface NllImportanceOptions {
  /** Most scatter points kept (a seeded random subset when n is larger). */
  maxPoints: number;
  seed: number;
}

export const NLL_IMPORTANCE_DEFAULTS: Required<NllImportanceOptions> = { maxPoints: 5000, seed: 1 };

export interface NllImportance {
  /** epoch, spearman, pearson. */
  correlation: DataFrame;
  /** position, finalNll, tau: one row per kept sample. */
  scatter: DataFrame;
  /**
   * One row over all n samples (not only the scatter subset): Spearman and Pearson of final NLL
   * vs τ, and of the top 10% by final NLL, the share outside the top 10% by τ.
   */
  overall: DataFrame;
}

/** Among the samples in the top decile of final NLL, the share outside the top decile of τ. */
export function highNllOutsideTopTau(finalNll: ArrayLike<number>, tau: ArrayLike<number>): number {
  const decileCut = (values: ArrayLike<number>): number =>
    Float64Array.from(values).sort().reverse()[Math.floor(values.length / 10)] ?? NaN;
  const [nllCut, tauCut] = [decileCut(finalNll), decileCut(tau)];
  let high = 0;
  let outside = 0;
  for (let i = 0; i < finalNll.length; i++) {
    if (!(finalNll[i]! > nllCut)) continue;
    high++;
    if (tau[i]! <= tauCut) outside++;
  }
  return outside / Math.max(1, high);
}

export function nllImportance(run: OpenRun, opts: Partial<NllImportanceOptions> = {}): NllImportance {
  const { maxPoints, seed } = { ...NLL_IMPORTANCE_DEFAULTS, ...opts };
  const { n } = run;
  const correlation: Row[] = [];
  for (let t = 0; t < run.epochs; t++) {
    const nll = run.nll.subarray(t * n, (t + 1) * n);
    const alpha = run.alpha(t);
    correlation.push({ epoch: epochNumber(t), spearman: spearman(nll, alpha), pearson: pearson(nll, alpha) });
  }
  const finalNll = requireFinalNll(run);
  const tau = run.tau();
  const kept =
    n <= maxPoints
      ? Array.from({ length: n }, (_, i) => i)
      : Array.from(new Rng(seed).permutation(n).subarray(0, maxPoints)).sort((a, b) => a - b);
  const scatter: Row[] = kept.map((i) => ({ position: i, finalNll: finalNll[i]!, tau: tau[i]! }));
  return {
    correlation: frameFromRows(correlation, ['epoch', 'spearman', 'pearson']),
    scatter: frameFromRows(scatter, ['position', 'finalNll', 'tau']),
    overall: frameFromRows(
      [
        {
          samples: n,
          spearman: spearman(finalNll, tau),
          pearson: pearson(finalNll, tau),
          highNllOutsideTopTau: highNllOutsideTopTau(finalNll, tau),
        },
      ],
      ['samples', 'spearman', 'pearson', 'highNllOutsideTopTau'],
    ),
  };
}
