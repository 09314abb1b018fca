/**
 * Figure 10: the distribution of τ. τ spans many orders of magnitude (on the paper-scale MNIST
 * run from 4e-13 to 0.18, median 1.3e-5), so equal-width bins would put almost every sample in
 * the first bin: bins are equal in log10 τ, over whole decades that cover the data.
 *
 * @example
 *   tauHistogram(run.tau(), { binsPerDecade: 4 });   // rows lower, upper, count, share
 */
import { frameFromRows, type DataFrame, type Row } from './frames';

export interface TauHistogramOptions {
  binsPerDecade: number;
}

export const TAU_HISTOGRAM_DEFAULTS: Required<TauHistogramOptions> = { binsPerDecade: 4 };

export interface TauHistogram {
  /** lower, upper (bin edges in τ), count, share (of all samples). */
  bins: DataFrame;
  /**
   * samples, zeros (τ = 0 cannot be placed on a log axis and is counted apart), median, mean,
   * belowMean (share of samples under the mean).
   */
  summary: DataFrame;
}

export function tauHistogram(tau: ArrayLike<number>, opts: Partial<TauHistogramOptions> = {}): TauHistogram {
  const { binsPerDecade } = { ...TAU_HISTOGRAM_DEFAULTS, ...opts };
  const positive = Array.from(tau).filter((v) => v > 0);
  if (positive.length === 0) throw new RangeError('τ has no positive value to bin');
  const logs = positive.map(Math.log10);
  const lo = Math.floor(Math.min(...logs));
  const hi = Math.max(lo + 1, Math.ceil(Math.max(...logs)));
  const binCount = (hi - lo) * binsPerDecade;
  const counts = new Array<number>(binCount).fill(0);
  for (const l of logs) counts[Math.min(binCount - 1, Math.floor((l - lo) * binsPerDecade))]!++;
  const rows: Row[] = counts.map((count, b) => ({
    lower: 10 ** (lo + b / binsPerDecade),
    upper: 10 ** (lo + (b + 1) / binsPerDecade),
    count,
    share: count / tau.length,
  }));
  const sorted = Float64Array.from(tau).sort();
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const summary = {
    samples: tau.length,
    zeros: tau.length - positive.length,
    median: sorted[Math.floor(sorted.length / 2)]!,
    mean,
    belowMean: sorted.filter((v) => v < mean).length / sorted.length,
  };
  return {
    bins: frameFromRows(rows, ['lower', 'upper', 'count', 'share']),
    summary: frameFromRows([summary], ['samples', 'zeros', 'median', 'mean', 'belowMean']),
  };
}
