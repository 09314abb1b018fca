/**
 * Figure 4: is importance correlated with NLL? Left: per-epoch Spearman and Pearson correlation
 * between NLL_i^t and α_i^t. Right: final NLL against τ, a point per sample for up to 5,000
 * samples and a seeded random draw of 5,000 beyond (the committed figure data stays small); the
 * panel says which. The numbers quoted are over all samples.
 *
 * @example
 *   const frames = fig04.compute(inputs);
 *   await renderSvg(fig04.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames, Row } from '../analysis/frames';
import { highNllOutsideTopTau, nllImportance } from '../analysis/nll-importance';
import { defineFigure, NO_SETTINGS } from './figure';
import { firstSeedRun, fmt, item, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, logScale, specOptions, type FigureSpecOptions } from './theme';

function computeFig04(inputs: FigureInputs): Frames {
  return { ...nllImportance(firstSeedRun(inputs)) };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The scatter's title: "one point per sample", or how many of how many samples it draws. */
function scatterTitle(frames: Frames): { text: string; subtitle: string } {
  const drawn = rowsOf(frames, 'scatter').length;
  const samples = num(item(rowsOf(frames, 'overall'), 0, 'overall correlation'), 'samples');
  return {
    text: 'final NLL vs overall importance τ',
    subtitle:
      drawn >= samples ? 'one point per sample' : `${count(drawn)} of the ${count(samples)} samples, drawn at random`,
  };
}

function fig04Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
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
          color: {
            field: 'measure',
            type: 'nominal',
            title: 'correlation',
            scale: { domain: ['spearman', 'pearson'], range: ['#4e79a7', '#f28e2b'] },
            // Below its own panel: on the right it would sit past the scatter, far from its lines.
            legend: { orient: 'bottom', direction: 'horizontal' },
          },
        },
      },
      {
        ...panel,
        title: scatterTitle(frames),
        data: { values: rowsOf(frames, 'scatter') },
        transform: [{ filter: 'datum.finalNll > 0 && datum.tau > 0' }],
        mark: { type: 'circle', size: 6, opacity: 0.35, color: '#4e79a7' },
        encoding: {
          x: logScale('finalNll', 'final NLL (nats, log scale)'),
          y: logScale('tau', 'τ (squared param. change, log)'),
        },
      },
    ],
  };
}

/**
 * Of the top 10% by final NLL, the share outside the top 10% by τ, and over how many samples:
 * all of them, or only the drawn ones in figure data written before the share was stored.
 */
function topNllShare(frames: Frames): { share: number; over: number } {
  const overall = item(rowsOf(frames, 'overall'), 0, 'overall correlation');
  if (overall.highNllOutsideTopTau !== undefined)
    return { share: num(overall, 'highNllOutsideTopTau'), over: num(overall, 'samples') };
  const rows = rowsOf(frames, 'scatter');
  return {
    share: highNllOutsideTopTau(
      rows.map((r) => num(r, 'finalNll')),
      rows.map((r) => num(r, 'tau')),
    ),
    over: rows.length,
  };
}

export interface Fig04Measures {
  /** Spearman and Pearson of NLL^t vs α^t at the first and last epochs. */
  first: { epoch: number; spearman: number; pearson: number };
  last: { epoch: number; spearman: number; pearson: number };
  /** Where the Pearson correlation peaks (on MNIST it peaks mid-training and falls). */
  pearsonPeak: { epoch: number; pearson: number };
  /** Share of epoch-to-epoch steps in which the Spearman correlation rises. */
  risingSteps: number;
  /** Spearman at the second epoch (how much of the rise happens in the first). */
  secondSpearman: number;
  /** Final NLL vs τ over all samples. */
  overallSpearman: number;
  samples: number;
  /** Of the top 10% by final NLL, the share outside the top 10% by τ, and over how many samples. */
  highNllOutsideTopTau: number;
  highNllSamples: number;
}

/** The numbers Figure 4's summary and the claims table quote. */
function measureFig04(frames: Frames): Fig04Measures {
  const rows = rowsOf(frames, 'correlation');
  const at = (r: Row) => ({ epoch: num(r, 'epoch'), spearman: num(r, 'spearman'), pearson: num(r, 'pearson') });
  const overall = item(rowsOf(frames, 'overall'), 0, 'overall correlation');
  const topNll = topNllShare(frames);
  return {
    first: at(item(rows, 0, 'correlation epoch')),
    last: at(item(rows, -1, 'correlation epoch')),
    pearsonPeak: at(rows.reduce((a, b) => (num(b, 'pearson') > num(a, 'pearson') ? b : a))),
    risingSteps:
      rows.slice(1).filter((r, k) => num(r, 'spearman') > num(item(rows, k, 'correlation epoch'), 'spearman')).length /
      Math.max(1, rows.length - 1),
    secondSpearman: num(item(rows, Math.min(1, rows.length - 1), 'correlation epoch'), 'spearman'),
    overallSpearman: num(overall, 'spearman'),
    samples: num(overall, 'samples'),
    highNllOutsideTopTau: topNll.share,
    highNllSamples: topNll.over,
  };
}

/** ' (of the 5,000 drawn samples)' where figure data predating the all-sample share allows only the draw. */
function drawnOnly(m: Fig04Measures): string {
  return m.highNllSamples < m.samples ? ` (of the ${count(m.highNllSamples)} drawn samples)` : '';
}

function summarizeFig04(frames: Frames): string {
  const m = measureFig04(frames);
  return (
    `**Figure 4.** The Spearman correlation between NLL^t and α^t ` +
    `goes from ${fmt(m.first.spearman)} at epoch ${m.first.epoch} ` +
    `to ${fmt(m.last.spearman)} at epoch ${m.last.epoch} (Pearson ${fmt(m.first.pearson)} → ${fmt(m.last.pearson)}); ` +
    `paper: positive and rising with training. ` +
    `Over all ${m.samples} samples, final NLL and τ have Spearman ${fmt(m.overallSpearman)}, ` +
    `yet ${pct(m.highNllOutsideTopTau)} of the samples in the top 10% by final NLL are outside the top 10% by τ` +
    `${drawnOnly(m)} ` +
    `(paper: NLL is not predictive of importance).`
  );
}

export const fig04 = defineFigure({
  id: 'fig04',
  notebook: 'nll-vs-importance',
  title: 'Sample importance and negative log-likelihood',
  claim:
    'NLL and importance are positively correlated, increasingly so over training, ' +
    'yet NLL does not predict importance sample by sample.',
  paperDatasets: ['mnist', 'cifar10'],
  drawnFor: 'every dataset',
  needs: ['seedRuns'],
  perSeed: true,
  ...NO_SETTINGS,
  compute: computeFig04,
  spec: fig04Spec,
  measure: measureFig04,
  summarize: summarizeFig04,
  claims: [
    {
      id: 'nll-correlation-rises',
      datasets: ['mnist', 'cifar10'],
      text: 'NLL and importance become more correlated as training goes on (§3.4)',
      rule:
        'holds: Spearman(NLL^t, α^t) ends higher than it starts, positive, ' +
        'and rises in at least 2/3 of epoch-to-epoch steps; partly: ends higher only (Pearson shown, not judged)',
      evaluate: (frames) => {
        const m = measureFig04(frames);
        const higher = m.last.spearman > m.first.spearman && m.last.spearman > 0;
        return {
          verdict: higher && m.risingSteps >= 2 / 3 ? 'holds' : higher ? 'partly holds' : 'does not hold',
          measured:
            `ρ ${fmt(m.first.spearman)} (epoch ${m.first.epoch}), ` +
            `${fmt(m.secondSpearman)} (epoch ${m.first.epoch + 1}), ` +
            `${fmt(m.last.spearman)} (epoch ${m.last.epoch}); rises in ${pct(m.risingSteps)} of steps; ` +
            `Pearson ${fmt(m.first.pearson)} → ${fmt(m.pearsonPeak.pearson)} (peak, epoch ${m.pearsonPeak.epoch}) ` +
            `→ ${fmt(m.last.pearson)}`,
        };
      },
    },
    {
      id: 'nll-not-predictive',
      datasets: ['mnist', 'cifar10'],
      text:
        'NLL is not predictive of importance: ' +
        'many samples have high NLL but small importance, and vice versa (§3.4)',
      rule: 'holds: ≥ 20% of the top 10% by final NLL fall outside the top 10% by τ; partly: ≥ 5%',
      evaluate: (frames) => {
        const m = measureFig04(frames);
        const share = m.highNllOutsideTopTau;
        return {
          verdict: share >= 0.2 ? 'holds' : share >= 0.05 ? 'partly holds' : 'does not hold',
          measured: `${pct(share)} outside${drawnOnly(m)}; Spearman(final NLL, τ) ${fmt(m.overallSpearman)}`,
        };
      },
    },
  ],
});
