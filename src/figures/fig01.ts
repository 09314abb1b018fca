/**
 * Figure 1: is sample importance stable across initialisations? Spearman correlation of α^t
 * between each pair of seed runs, per epoch.
 *
 * @example
 *   const frames = computeFig01(inputs);            // needs ≥ 2 seed runs
 *   await renderSvg(fig01Spec(frames, { dataset: 'mnist' }));
 *   summarizeFig01(frames);
 */
import type { TopLevelSpec } from 'vega-lite';
import { frameFromRows, type Frames } from '../analysis/figure-data';
import { seedStability } from '../analysis/seed-stability';
import { fmt, num, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

export const FIG01_PAPER_THRESHOLD = 0.9;

/** With fewer than two seed runs there is nothing to compare: the frame is empty, and the summary says so. */
export function computeFig01(inputs: FigureInputs): Frames {
  return { stability: inputs.seedRuns.length < 2 ? frameFromRows([], ['epoch', 'pair', 'spearman']) : seedStability(inputs.seedRuns) };
}

export function fig01Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  return {
    ...baseSpec('Figure 1: stability of sample importance across initialisations', opts),
    width: opts.width * 1.5,
    height: opts.height,
    layer: [
      {
        data: { values: rowsOf(frames, 'stability') },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
          y: { field: 'spearman', type: 'quantitative', title: 'Spearman ρ of α between seeds', scale: { zero: false } },
          color: { field: 'pair', type: 'nominal', title: 'pair of seeds' },
        },
      },
      {
        data: { values: [{ threshold: FIG01_PAPER_THRESHOLD }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#888888' },
        encoding: { y: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  };
}

export function summarizeFig01(frames: Frames): string {
  const rows = rowsOf(frames, 'stability');
  if (rows.length === 0) return '**Figure 1.** Not computed: it compares α between runs of different seeds, and fewer than two seed runs were given.';
  const min = rows.reduce((a, b) => (num(b, 'spearman') < num(a, 'spearman') ? b : a));
  const epochs = [...new Set(rows.map((r) => num(r, 'epoch')))].sort((a, b) => a - b);
  const meanAt = (e: number): number => {
    const at = rows.filter((r) => num(r, 'epoch') === e);
    return at.reduce((s, r) => s + num(r, 'spearman'), 0) / at.length;
  };
  const first = epochs[0];
  const last = epochs[epochs.length - 1];
  const verdict = num(min, 'spearman') > FIG01_PAPER_THRESHOLD ? 'agrees with' : 'falls short of';
  return (
    `**Figure 1.** Over ${new Set(rows.map((r) => r.pair)).size} pair(s) of seeds and epochs ${epochs.join(', ')}, the minimum pairwise Spearman correlation of α is ` +
    `${fmt(num(min, 'spearman'))} (epoch ${num(min, 'epoch')}, ${min.pair}); this ${verdict} the paper's "> 0.9 in all epochs". ` +
    `Mean correlation is ${fmt(meanAt(first))} at epoch ${first} and ${fmt(meanAt(last))} at epoch ${last} ` +
    `(paper: early epochs agree more${meanAt(first) >= meanAt(last) ? ', as here' : '; here they do not'}).`
  );
}
