/**
 * Figure 7: does organising batches by easiness affect training? Training and test error per
 * epoch for each batch construction: mean line with a ± standard-error band over its runs; a
 * diverged run's divergence epoch is marked with a cross on the test panel's top edge.
 *
 * @example
 *   const frames = computeFig07(inputs);
 *   await renderSvg(fig07Spec(frames, { dataset: 'cifar10' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONSTRUCTION_NAMES } from '../analysis/batch-constructions';
import { constructionErrors } from '../analysis/construction-errors';
import type { Frames, Row } from '../analysis/figure-data';
import { fmt, num, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

/** Mixed constructions in cool colours, ordered ones warm, each reversed order a lighter twin. */
export const CONSTRUCTION_RANGE = ['#4e79a7', '#e15759', '#ff9d9a', '#59a14f', '#f28e2b', '#ffbe7d', '#76b7b2'];
/** The constructions whose batches mix easy and hard samples. */
export const MIXED_CONSTRUCTIONS = ['Rand', 'NLM', 'SIM'];

export function computeFig07(inputs: FigureInputs): Frames {
  return { ...constructionErrors(inputs.constructionRuns) };
}

function splitPanel(frames: Frames, split: 'train' | 'test', opts: ReturnType<typeof specOptions>) {
  const colour = { field: 'construction', type: 'nominal' as const, title: 'batch construction', scale: { domain: [...CONSTRUCTION_NAMES], range: CONSTRUCTION_RANGE }, legend: { symbolOpacity: 1 } };
  const epoch = { field: 'epoch', type: 'quantitative' as const, title: 'epoch' };
  return {
    width: opts.width,
    height: opts.height * 1.3,
    title: `${split === 'train' ? 'training' : 'test'} error`,
    layer: [
      {
        data: { values: rowsOf(frames, 'errors') },
        transform: [{ filter: { field: 'split', equal: split } }, { filter: 'datum.epoch >= 1' }, { calculate: 'datum.mean - datum.se', as: 'low' }, { calculate: 'datum.mean + datum.se', as: 'high' }],
        layer: [
          { mark: { type: 'area' as const, opacity: 0.25 }, encoding: { x: epoch, y: { field: 'low', type: 'quantitative' as const, title: 'error (fraction)', scale: { zero: false } }, y2: { field: 'high' }, color: colour } },
          { mark: { type: 'line' as const, strokeWidth: 1.5 }, encoding: { x: epoch, y: { field: 'mean', type: 'quantitative' as const }, color: colour } },
        ],
      },
      {
        data: { values: rowsOf(frames, 'divergences') },
        mark: { type: 'point' as const, shape: 'cross', size: 90, filled: true, yOffset: 0 },
        encoding: { x: epoch, y: { value: 0 }, color: colour, tooltip: [{ field: 'construction' }, { field: 'seed' }, { field: 'epoch', title: 'diverged in epoch' }] },
      },
    ],
  };
}

export function fig07Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  return {
    ...baseSpec('Figure 7: training under seven batch constructions', opts, 'epochs 1 on; line: mean over runs; band: ± standard error; ✕ on the top edge: a run diverged in that epoch'),
    hconcat: [splitPanel(frames, 'train', opts), splitPanel(frames, 'test', opts)],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

export interface ConstructionFinal {
  construction: string;
  epoch: number;
  /** Mean ± standard error over runs of the final test error. */
  mean: number;
  se: number;
  runs: number;
  /** Largest rise of the mean training error above its lowest value so far (> 0: it went up), and where. */
  trainRise: number;
  trainRiseEpoch: number;
}

export interface Fig07Measures {
  /** One row per construction, lowest final test error first. */
  finals: ConstructionFinal[];
  divergences: { construction: string; seed: number; epoch: number }[];
}

/** The numbers Figure 7's summary and the claims table quote. */
export function measureFig07(frames: Frames): Fig07Measures {
  const errors = rowsOf(frames, 'errors');
  const last = (rows: Row[]) => rows.reduce((a, b) => (num(b, 'epoch') > num(a, 'epoch') ? b : a));
  const finals = [...new Set(errors.map((r) => String(r.construction)))].map((construction) => {
    const test = last(errors.filter((r) => r.construction === construction && r.split === 'test'));
    const train = errors.filter((r) => r.construction === construction && r.split === 'train').sort((a, b) => num(a, 'epoch') - num(b, 'epoch'));
    let [lowest, trainRise, trainRiseEpoch] = [Infinity, 0, 0];
    for (const r of train) {
      lowest = Math.min(lowest, num(r, 'mean'));
      if (num(r, 'mean') - lowest > trainRise) [trainRise, trainRiseEpoch] = [num(r, 'mean') - lowest, num(r, 'epoch')];
    }
    return { construction, epoch: num(test, 'epoch'), mean: num(test, 'mean'), se: num(test, 'se'), runs: num(test, 'runs'), trainRise, trainRiseEpoch };
  });
  finals.sort((a, b) => a.mean - b.mean);
  const divergences = rowsOf(frames, 'divergences').map((r) => ({ construction: String(r.construction), seed: num(r, 'seed'), epoch: num(r, 'epoch') }));
  return { finals, divergences };
}

export function summarizeFig07(frames: Frames): string {
  const { finals, divergences } = measureFig07(frames);
  if (finals.length === 0) return '**Figure 7.** Not computed: no batch-construction runs were given.';
  const ranked = finals.map((r) => `${r.construction} ${fmt(r.mean)} ± ${fmt(r.se)} (epoch ${r.epoch}, ${r.runs} runs)`).join(', ');
  const top3 = finals.slice(0, 3).map((r) => r.construction);
  const mixedBest = top3.length === 3 && top3.every((c) => MIXED_CONSTRUCTIONS.includes(c));
  const divergedText = divergences.length ? ` Diverged: ${divergences.map((r) => `${r.construction} seed ${r.seed} in epoch ${r.epoch}`).join('; ')} (excluded from the means from that epoch on).` : ' No run diverged.';
  return (
    `**Figure 7.** Final test error, best first: ${ranked}. The three lowest are ${top3.join(', ')}; ` +
    `paper: the mixed constructions Rand, NLM, SIM are best${mixedBest ? ', as here' : '; not exactly so here'}.${divergedText}`
  );
}
