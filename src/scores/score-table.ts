/**
 * One table of training-dynamics scores: one row per training sample (`position` in the run,
 * `index` in the official split, `label`), one column per score; several runs of the same samples
 * (seeds) give each score's mean over runs, as Data Diet averages EL2N over initialisations.
 * As a danfojs DataFrame (notebooks) or CSV (`si scores`).
 *
 * @example
 *   const table = scoreTable([openRun(a), openRun(b)], labels, { epoch: 10 });
 *   scoreFrame(table).head().print();
 *   fs.writeFileSync('scores.csv', scoreCsv(table));
 */
import * as dfd from 'danfojs-node';
import type { DataFrame } from '../analysis/frames';
import {
  sampleScores,
  scoreEpoch,
  scoreNames,
  unavailableScores,
  type SampleScoreOptions,
  type ScoredRun,
} from './sample-scores';

export interface ScoreTable {
  /** Official indices of the training samples, by position. */
  readonly index: Int32Array;
  readonly label: Int32Array;
  /** Score name → values by position (the mean over runs). */
  readonly scores: Record<string, Float64Array>;
  /** T, the epoch the scores are taken at. */
  readonly epoch: number;
  readonly runs: number;
  /** Scores left out, with the reason (a run that cannot give them). */
  readonly skipped: Record<string, string>;
}

export type ScoreTableRun = ScoredRun & { readonly trainIndices: Int32Array };

/**
 * The scores of `runs` (at least one; the same training samples in the same positions), with
 * `labels` by position. Without `opts.scores`, every score all the runs can give; the others are
 * listed in `skipped`.
 */
export function scoreTable(
  runs: readonly ScoreTableRun[],
  labels: Int32Array,
  opts: SampleScoreOptions = {},
): ScoreTable {
  const [first, ...others] = runs;
  if (!first) throw new RangeError('scores need at least one run');
  for (const run of others) {
    const same = run.n === first.n && run.trainIndices.every((v, i) => v === first.trainIndices[i]);
    if (!same)
      throw new RangeError(`${run.dir} trains on other samples than ${first.dir}: scores average runs of one set`);
    const labelsOf = (r: ScoreTableRun) => JSON.stringify([r.meta.config.data, r.meta.config.labelNoise]);
    if (labelsOf(run) !== labelsOf(first))
      throw new RangeError(
        `${run.dir} trains on other data or labels than ${first.dir} (label noise or content hash differ): ` +
          'scores average runs of one labelled set',
      );
  }
  if (labels.length !== first.n)
    throw new RangeError(`${labels.length} labels for the ${first.n} training samples of ${first.dir}`);
  const epoch = scoreEpoch(
    runs.reduce((a, r) => (r.epochs < a.epochs ? r : a)),
    opts.epoch,
  );
  const skipped = Object.assign({}, ...runs.map(unavailableScores)) as Record<string, string>;
  const names = opts.scores ?? scoreNames(first).filter((name) => !(name in skipped));
  const perRun = runs.map((run) => sampleScores(run, { epoch, scores: names }));
  return { index: first.trainIndices, label: labels, scores: meanOverRuns(perRun), epoch, runs: runs.length, skipped };
}

function meanOverRuns(perRun: Record<string, Float64Array>[]): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of Object.keys(perRun[0]!)) {
    const sum = new Float64Array(perRun[0]![name]!.length);
    for (const scores of perRun) {
      const values = scores[name]!;
      for (let i = 0; i < sum.length; i++) sum[i]! += values[i]!;
    }
    out[name] = sum.map((v) => v / perRun.length);
  }
  return out;
}

/** The table as a danfojs DataFrame: position, index, label, then the scores. */
export function scoreFrame(table: ScoreTable): DataFrame {
  return new dfd.DataFrame({
    position: Array.from(table.index, (_, i) => i),
    index: Array.from(table.index),
    label: Array.from(table.label),
    ...Object.fromEntries(Object.entries(table.scores).map(([name, values]) => [name, Array.from(values)])),
  });
}

/** The table as CSV with a header row; numbers round-trip, Infinity is written `inf` (numpy, pandas read it). */
export function scoreCsv(table: ScoreTable): string {
  const names = Object.keys(table.scores);
  const columns = names.map((name) => table.scores[name]!);
  const cell = (v: number) => (v === Infinity ? 'inf' : String(v));
  const lines = [['position', 'index', 'label', ...names].join(',')];
  for (let i = 0; i < table.index.length; i++)
    lines.push([i, table.index[i], table.label[i], ...columns.map((c) => cell(c[i]!))].join(','));
  return `${lines.join('\n')}\n`;
}
