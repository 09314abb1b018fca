/**
 * Figure 12 (beyond the paper): finding mislabelled samples. Top: each score's ROC-AUC for the
 * flipped samples, computed from epochs 1 … T, against T, one panel per noise level. Bottom: the
 * data map (Swayamdipta et al. 2020) of a seeded draw of samples at the last epoch, flipped ones
 * marked. The data is the noisy-label benchmark's (experiments/noisy-labels.ts).
 *
 * @example
 *   const frames = fig12.compute(inputs);   // inputs.noisyLabels from noisyLabelBenchmark
 *   await renderSvg(fig12.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/frames';
import { defineFigure, NO_SETTINGS } from './figure';
import { num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

function computeFig12(inputs: FigureInputs): Frames {
  const frames = inputs.noisyLabels;
  if (!frames) throw new Error('Figure 12 needs the noisy-label benchmark (inputs.noisyLabels)');
  return { curves: frames.curves!, best: frames.best!, dataMap: frames.dataMap!, runs: frames.runs! };
}

const noisePanel = { field: 'panel', type: 'nominal' as const, title: null };
const withPanel = [{ calculate: "format(datum.noise, '.0%') + ' of labels flipped'", as: 'panel' }];

function fig12Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const panel = { width: opts.width * 0.8, height: opts.height * 0.9 };
  return {
    ...baseSpec('Figure 12: which score finds flipped labels, and when', opts, 'ROC-AUC; data map at the last epoch'),
    // The two rows colour different things: scores above, flipped or not below.
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    vconcat: [
      {
        data: { values: rowsOf(frames, 'curves') },
        transform: withPanel,
        facet: { column: noisePanel },
        spec: {
          ...panel,
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'epoch', type: 'quantitative', title: 'scores from epochs 1 … T' },
            y: { field: 'auc', type: 'quantitative', title: 'ROC-AUC', scale: { domain: [0, 1] } },
            color: { field: 'score', type: 'nominal', title: 'score', scale: { scheme: 'tableau20' } },
          },
        },
      },
      {
        data: { values: rowsOf(frames, 'dataMap') },
        transform: withPanel,
        facet: { column: noisePanel },
        spec: {
          ...panel,
          mark: { type: 'circle', size: 6, opacity: 0.5 },
          encoding: {
            x: { field: 'variability', type: 'quantitative', title: 'variability' },
            y: { field: 'confidence', type: 'quantitative', title: 'confidence', scale: { domain: [0, 1] } },
            color: {
              field: 'flipped',
              type: 'nominal',
              title: 'label',
              scale: { domain: [false, true], range: ['#bab0ac', '#e15759'] },
              legend: { labelExpr: "datum.value ? 'flipped' : 'as published'" },
            },
          },
        },
      },
    ],
  };
}

export interface Fig12Measures {
  /** Per noise level: the score with the highest AUC, its AUC and epoch, and the number of epochs. */
  levels: { noise: number; best: string; auc: number; epoch: number; epochs: number; flipped: number }[];
}

function measureFig12(frames: Frames): Fig12Measures {
  const best = rowsOf(frames, 'best');
  // A run that diverged in its first epoch has no scores to judge.
  const judged = rowsOf(frames, 'runs').filter((run) => best.some((b) => b.noise === run.noise));
  return {
    levels: judged.map((run) => {
      const top = best
        .filter((b) => b.noise === run.noise)
        .reduce((a, b) => (num(b, 'bestAuc') > num(a, 'bestAuc') ? b : a));
      return {
        noise: num(run, 'noise'),
        best: String(top.score),
        auc: num(top, 'bestAuc'),
        epoch: num(top, 'bestEpoch'),
        epochs: num(run, 'epochs'),
        flipped: num(run, 'flipped'),
      };
    }),
  };
}

function summarizeFig12(frames: Frames): string {
  const m = measureFig12(frames);
  const levels = m.levels.map(
    (l) =>
      `with ${pct(l.noise)} of labels flipped (${l.flipped} samples), ${l.best} separates them best, ` +
      `ROC-AUC ${l.auc.toFixed(3)} from the first ${l.epoch} of ${l.epochs} epochs`,
  );
  const text = levels.join('; ');
  const sentence = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return `**Figure 12.** ${sentence}. The tables give every score's best AUC and epoch.`;
}

export const fig12 = defineFigure({
  id: 'fig12',
  notebook: 'noisy-labels',
  title: 'Finding mislabelled samples',
  claim: 'Beyond the paper: which score finds flipped labels best, and at which point of training?',
  paperDatasets: [],
  drawnFor: 'every dataset',
  beyondPaper: true,
  needs: ['noisyLabels'],
  ...NO_SETTINGS,
  compute: computeFig12,
  spec: fig12Spec,
  measure: measureFig12,
  summarize: summarizeFig12,
  claims: [],
});
