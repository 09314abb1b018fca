/**
 * Figure 11 (beyond the paper, its second future work): pruning by training-dynamics scores.
 * Final test error against the kept fraction, one line per score, per strategy, with a random
 * subset of the same size as the reference line and the full set as a rule. The data is the
 * pruning benchmark's (experiments/pruning.ts), which `si experiments` runs on the profile's grid.
 *
 * @example
 *   const frames = fig11.compute(inputs);   // inputs.pruning from pruningBenchmark
 *   await renderSvg(fig11.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames, Row } from '../analysis/frames';
import { groupBy } from '../util/group-by';
import { defineFigure, NO_SETTINGS } from './figure';
import { num, pct2, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

function computeFig11(inputs: FigureInputs): Frames {
  if (!inputs.pruning) throw new Error('Figure 11 needs the pruning benchmark (inputs.pruning)');
  // The benchmark's other frames (the scoring run, recorded runs outside the grid) travel with it.
  return { ...inputs.pruning, summary: inputs.pruning.summary!, runs: inputs.pruning.runs! };
}

/** The strategies drawn (one panel each): every strategy but the references. */
function strategies(summary: Row[]): string[] {
  return [...new Set(summary.map((r) => String(r.strategy)))].filter((s) => s !== 'random' && s !== 'full');
}

/** Rows to draw: each strategy's scores, with random's and the full set's rows repeated in every panel. */
function panelRows(summary: Row[]): Row[] {
  const finished = summary.filter((r) => r.meanError !== null);
  return strategies(finished).flatMap((strategy) =>
    finished
      .filter((r) => r.strategy === strategy || r.strategy === 'random' || r.strategy === 'full')
      .map((r) => ({
        ...r,
        panel: `keep ${strategy}`,
        low: num(r, 'meanError') - 2 * num(r, 'seError'),
        high: num(r, 'meanError') + 2 * num(r, 'seError'),
      })),
  );
}

function fig11Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const x = {
    field: 'fraction',
    type: 'quantitative' as const,
    title: 'fraction of training samples kept',
    axis: { format: '.0%' },
    scale: { domain: [0, 1] },
  };
  const y = { field: 'meanError', type: 'quantitative' as const, title: 'final test error', axis: { format: '.0%' } };
  const colour = { field: 'selection', type: 'nominal' as const, title: 'chosen by' };
  const notFull = { filter: "datum.strategy !== 'full'" };
  return {
    ...baseSpec(
      'Figure 11: pruning by score against random subsets',
      opts,
      'mean over retrained seeds, bars ± 2 SE; dashed line: random subsets; grey rule: the full set',
    ),
    data: { values: panelRows(rowsOf(frames, 'summary')) },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: opts.width * 0.9,
      height: opts.height,
      layer: [
        {
          transform: [notFull],
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y,
            color: colour,
            // The reference, a random subset of the same size, dashed.
            strokeDash: {
              condition: { test: "datum.selection === 'random'", value: [5, 3] },
              value: [1, 0],
            },
          },
        },
        {
          transform: [notFull],
          mark: { type: 'errorbar' },
          encoding: {
            x,
            y: { field: 'low', type: 'quantitative', title: 'final test error' },
            y2: { field: 'high' },
            color: colour,
          },
        },
        {
          transform: [{ filter: "datum.strategy === 'full'" }],
          mark: { type: 'rule', strokeDash: [4, 3], color: '#555555' },
          encoding: { y },
        },
      ],
    },
  };
}

export interface Fig11Measures {
  /** Final test error of the full set (mean over the retrained seeds). */
  fullError?: number;
  /** Per score and strategy: the kept fractions where it beats random by > 2 SE, and where it loses. */
  comparisons: {
    selection: string;
    strategy: string;
    better: number[];
    worse: number[];
    /** Fractions compared with random (enough finished runs on both sides). */
    compared: number[];
    /** Fractions of the grid not compared: runs not finished (a grid filled over sessions), or too few. */
    notCompared: number[];
  }[];
}

function measureFig11(frames: Frames): Fig11Measures {
  const summary = rowsOf(frames, 'summary');
  const full = summary.find((r) => r.strategy === 'full' && r.meanError !== null);
  const pairs = groupBy(
    summary.filter((s) => s.strategy !== 'random' && s.strategy !== 'full'),
    (r) => `${r.selection}|${r.strategy}`,
  );
  const fractionsWhere = (rows: Row[], verdict: string) =>
    rows.filter((r) => r.versusRandom === verdict).map((r) => num(r, 'fraction'));
  return {
    fullError: full ? num(full, 'meanError') : undefined,
    comparisons: [...pairs.values()].map((rows) => {
      const compared = rows
        .filter((r) => ['better', 'worse', 'within 2 SE'].includes(String(r.versusRandom)))
        .map((r) => num(r, 'fraction'));
      return {
        selection: String(rows[0]!.selection),
        strategy: String(rows[0]!.strategy),
        better: fractionsWhere(rows, 'better'),
        worse: fractionsWhere(rows, 'worse'),
        compared,
        notCompared: rows.map((r) => num(r, 'fraction')).filter((f) => !compared.includes(f)),
      };
    }),
  };
}

const fractionList = (fractions: number[]) => fractions.map((f) => `${Math.round(100 * f)}%`).join(', ');

function summarizeFig11(frames: Frames): string {
  const m = measureFig11(frames);
  const lines = m.comparisons.map(
    (c) =>
      `${c.selection} (keep ${c.strategy}): ` +
      (c.compared.length === 0
        ? 'not compared with random (too few finished runs)'
        : c.better.length
          ? `beats random at ${fractionList(c.better)} kept`
          : 'never beats random by 2 SE') +
      (c.worse.length ? `; loses at ${fractionList(c.worse)}` : '') +
      (c.compared.length && c.notCompared.length ? ` (not yet compared at ${fractionList(c.notCompared)})` : ''),
  );
  return (
    `**Figure 11.** Retrained on subsets chosen by each score, against random subsets of the same size` +
    (m.fullError === undefined ? '' : ` (the full set: ${pct2(m.fullError)} test error)`) +
    `: ${lines.join('; ')}. The paper proposed importance for finding a minimal training subset; ` +
    'this is the test of that proposal on its own network.'
  );
}

export const fig11 = defineFigure({
  id: 'fig11',
  notebook: 'pruning',
  title: 'Pruning by training-dynamics scores',
  claim: 'Beyond the paper: does a score choose a training subset that beats a random one of the same size?',
  paperDatasets: [],
  drawnFor: 'every dataset',
  beyondPaper: true,
  needs: ['pruning'],
  ...NO_SETTINGS,
  compute: computeFig11,
  spec: fig11Spec,
  measure: measureFig11,
  summarize: summarizeFig11,
  claims: [],
});
