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
import { frameFromRows, frameRows, type Frames, type Row } from '../analysis/figure-data';
import { alphaStability, seedStability } from '../analysis/seed-stability';
import { fmt, num, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

export const FIG01_PAPER_THRESHOLD = 0.9;

/**
 * With fewer than two seed runs there is nothing to compare: the frame is empty, and the summary
 * says so. Protocol variants, when given, add the frame `variants` (their minimum over pairs).
 */
export function computeFig01(inputs: FigureInputs): Frames {
  const frames: Frames = { stability: inputs.seedRuns.length < 2 ? frameFromRows([], ['epoch', 'pair', 'spearman']) : seedStability(inputs.seedRuns) };
  if (inputs.stabilityVariants?.length) {
    const rows = inputs.stabilityVariants.flatMap(({ name, series }) => minimumOverPairs(frameRows(alphaStability(series))).map((r) => ({ variant: name, ...r })));
    frames.variants = frameFromRows(rows, ['variant', 'epoch', 'spearman']);
  }
  return frames;
}

function minimumOverPairs(rows: Row[]): Row[] {
  const byEpoch = new Map<number, number>();
  for (const r of rows) byEpoch.set(num(r, 'epoch'), Math.min(byEpoch.get(num(r, 'epoch')) ?? Infinity, num(r, 'spearman')));
  return [...byEpoch].map(([epoch, spearman]) => ({ epoch, spearman }));
}

const thresholdRule = {
  data: { values: [{ threshold: FIG01_PAPER_THRESHOLD }] },
  mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888888' },
  encoding: { y: { field: 'threshold', type: 'quantitative' as const } },
};

export function fig01Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const pairs = {
    width: opts.width * 1.5,
    height: opts.height,
    layer: [
      {
        data: { values: rowsOf(frames, 'stability') },
        mark: { type: 'line' as const, point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch' },
          y: { field: 'spearman', type: 'quantitative' as const, title: 'Spearman ρ of α between seeds', scale: { zero: false } },
          color: { field: 'pair', type: 'nominal' as const, title: 'pair of seeds' },
        },
      },
      thresholdRule,
    ],
  };
  const base = baseSpec('Figure 1: stability of sample importance across initialisations', opts);
  if (!frames.variants) return { ...base, ...pairs };
  const variants = {
    width: opts.width * 1.5,
    height: opts.height,
    title: 'minimum over pairs, under each reading of the protocol',
    layer: [
      {
        data: { values: rowsOf(frames, 'variants') },
        mark: { type: 'line' as const, point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch' },
          y: { field: 'spearman', type: 'quantitative' as const, title: 'min Spearman ρ of α', scale: { zero: false } },
          color: { field: 'variant', type: 'nominal' as const, title: 'α measured', legend: { labelLimit: 320 } },
        },
      },
      thresholdRule,
    ],
  };
  return { ...base, vconcat: [pairs, variants], resolve: { scale: { color: 'independent' } } };
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
    `(paper: early epochs agree more${meanAt(first) >= meanAt(last) ? ', as here' : '; here they do not'}).` +
    (frames.variants ? ` ${summarizeVariants(rowsOf(frames, 'variants'))}` : '')
  );
}

function summarizeVariants(rows: Row[]): string {
  const names = [...new Set(rows.map((r) => String(r.variant)))];
  const parts = names.map((name) => {
    const own = rows.filter((r) => r.variant === name);
    const min = own.reduce((a, b) => (num(b, 'spearman') < num(a, 'spearman') ? b : a));
    return `${name}: minimum ${fmt(num(min, 'spearman'))} (epoch ${num(min, 'epoch')})`;
  });
  return `Under the protocol's other readings (lower panel) — ${parts.join('; ')}.`;
}
