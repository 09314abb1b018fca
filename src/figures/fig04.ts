/**
 * Figure 4: is importance correlated with NLL? Left: per-epoch Spearman and Pearson correlation
 * between NLL_i^t and α_i^t. Right: final NLL against τ for (a seeded subset of) all samples.
 *
 * @example
 *   const frames = computeFig04(inputs);
 *   await renderSvg(fig04Spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/figure-data';
import { nllImportance } from '../analysis/nll-importance';
import { firstSeedRun, fmt, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

export function computeFig04(inputs: FigureInputs): Frames {
  return { ...nllImportance(firstSeedRun(inputs)) };
}

export function fig04Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const panel = { width: opts.width, height: opts.height };
  return {
    ...baseSpec('Figure 4: sample importance and negative log-likelihood', opts),
    hconcat: [
      {
        ...panel,
        title: 'correlation of NLL^t and α^t over samples',
        data: { values: rowsOf(frames, 'correlation') },
        transform: [{ fold: ['spearman', 'pearson'], as: ['measure', 'correlation'] }],
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
          y: { field: 'correlation', type: 'quantitative', title: 'correlation coefficient' },
          color: { field: 'measure', type: 'nominal', title: 'correlation', scale: { domain: ['spearman', 'pearson'], range: ['#4e79a7', '#f28e2b'] } },
        },
      },
      {
        ...panel,
        title: 'final NLL vs overall importance τ (one point per sample)',
        data: { values: rowsOf(frames, 'scatter') },
        transform: [{ filter: 'datum.finalNll > 0 && datum.tau > 0' }],
        mark: { type: 'circle', size: 6, opacity: 0.35, color: '#4e79a7' },
        encoding: {
          x: { field: 'finalNll', type: 'quantitative', title: 'final NLL (nats, log scale)', scale: { type: 'log' }, axis: { format: '.0e' } },
          y: { field: 'tau', type: 'quantitative', title: 'τ (squared param. change, log)', scale: { type: 'log' }, axis: { format: '.0e' } },
        },
      },
    ],
  };
}

/** Among the scatter samples in the top decile of final NLL, the share outside the top decile of τ. */
function highNllLowTauShare(frames: Frames): number {
  const rows = rowsOf(frames, 'scatter');
  const decileCut = (field: string): number => rows.map((r) => num(r, field)).sort((a, b) => b - a)[Math.floor(rows.length / 10)];
  const nllCut = decileCut('finalNll');
  const tauCut = decileCut('tau');
  const high = rows.filter((r) => num(r, 'finalNll') > nllCut);
  return high.filter((r) => num(r, 'tau') <= tauCut).length / Math.max(1, high.length);
}

export function summarizeFig04(frames: Frames): string {
  const rows = rowsOf(frames, 'correlation');
  const [first, last] = [rows[0], rows[rows.length - 1]];
  const overall = rowsOf(frames, 'overall')[0];
  return (
    `**Figure 4.** The Spearman correlation between NLL^t and α^t goes from ${fmt(num(first, 'spearman'))} at epoch ${num(first, 'epoch')} ` +
    `to ${fmt(num(last, 'spearman'))} at epoch ${num(last, 'epoch')} (Pearson ${fmt(num(first, 'pearson'))} → ${fmt(num(last, 'pearson'))}); ` +
    `paper: positive and rising with training. Over all ${num(overall, 'samples')} samples, final NLL and τ have Spearman ${fmt(num(overall, 'spearman'))}, ` +
    `yet ${pct(highNllLowTauShare(frames))} of the samples in the top 10% by final NLL are outside the top 10% by τ ` +
    `(paper: NLL is not predictive of importance).`
  );
}
