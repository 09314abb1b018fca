/**
 * Figure 4: is importance correlated with NLL? Left: per-epoch Spearman and Pearson correlation
 * between NLL_i^t and α_i^t. Right: final NLL against τ for (a seeded subset of) all samples.
 *
 * @example
 *   const frames = computeFig04(inputs);
 *   await renderSvg(fig04Spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames, Row } from '../analysis/figure-data';
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

export interface Fig04Measures {
  /** Spearman and Pearson of NLL^t vs α^t at the first and last epochs. */
  first: { epoch: number; spearman: number; pearson: number };
  last: { epoch: number; spearman: number; pearson: number };
  /** Share of epoch-to-epoch steps in which the Spearman correlation rises. */
  risingSteps: number;
  /** Spearman at the second epoch (how much of the rise happens in the first). */
  secondSpearman: number;
  /** Final NLL vs τ over all samples. */
  overallSpearman: number;
  samples: number;
  /** Of the top 10% by final NLL, the share outside the top 10% by τ. */
  highNllOutsideTopTau: number;
}

/** The numbers Figure 4's summary and the claims table quote. */
export function measureFig04(frames: Frames): Fig04Measures {
  const rows = rowsOf(frames, 'correlation');
  const at = (r: Row) => ({ epoch: num(r, 'epoch'), spearman: num(r, 'spearman'), pearson: num(r, 'pearson') });
  const overall = rowsOf(frames, 'overall')[0];
  return {
    first: at(rows[0]),
    last: at(rows[rows.length - 1]),
    risingSteps: rows.slice(1).filter((r, k) => num(r, 'spearman') > num(rows[k], 'spearman')).length / Math.max(1, rows.length - 1),
    secondSpearman: num(rows[Math.min(1, rows.length - 1)], 'spearman'),
    overallSpearman: num(overall, 'spearman'),
    samples: num(overall, 'samples'),
    highNllOutsideTopTau: highNllLowTauShare(frames),
  };
}

export function summarizeFig04(frames: Frames): string {
  const m = measureFig04(frames);
  return (
    `**Figure 4.** The Spearman correlation between NLL^t and α^t goes from ${fmt(m.first.spearman)} at epoch ${m.first.epoch} ` +
    `to ${fmt(m.last.spearman)} at epoch ${m.last.epoch} (Pearson ${fmt(m.first.pearson)} → ${fmt(m.last.pearson)}); ` +
    `paper: positive and rising with training. Over all ${m.samples} samples, final NLL and τ have Spearman ${fmt(m.overallSpearman)}, ` +
    `yet ${pct(m.highNllOutsideTopTau)} of the samples in the top 10% by final NLL are outside the top 10% by τ ` +
    `(paper: NLL is not predictive of importance).`
  );
}
