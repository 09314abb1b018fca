/**
 * The pruning benchmark (`si prune`): does a training-dynamics score pick a subset that trains as
 * well as the full set, better than a random subset of the same size? A full-data run of the
 * profile's scoring seed (Profile.pruning.scoringSeed, order seed 1) gives the scores; for each
 * score, strategy and kept fraction the paper's network is retrained from scratch on the subset
 * with seeds other than the scoring run's (same epochs, same step),
 * beside uniform random subsets and the full set with the same seeds. Every run goes through the
 * run cache (cached, locked, resumable).
 *
 * @example
 *   const frames = await pruningBenchmark(getProfile('smoke'), 'mnist', { engine, runsDir: 'runs' });
 *   console.log(pruningMarkdown(frames));
 */
import { frameFromRows, frameRows, type Frames, type Row } from '../analysis/frames';
import { mean, standardError } from '../analysis/stats';
import { isNpzDataset } from '../data/npz';
import type { Engine } from '../engine/types';
import { hoursText, meanSeText } from '../figures/inputs';
import { resolveRunConfig, runDir, runKey, type RunConfig, type RunDataset } from '../run/config';
import type { OpenRun } from '../run/open-run';
import { loadRunData, sampleIdentity, type RunData } from '../run/run-data';
import { subsetOf } from '../run/subset';
import { engineLabel, type TrainProgress } from '../run/train';
import { sampleScores, unavailableScores } from '../scores/sample-scores';
import { randomSubset, selectSubset, type Strategy } from '../scores/subset-selection';
import { ownDataProfile } from './own-data';
import { seedRunConfig } from './plan';
import type { Profile, PruningGrid } from './profiles';
import { trainingSeconds } from './run-summary';
import { finishedOrTrained, isFinished, isFinishedStatus } from './sweep-trainer';
import { groupBy } from '../util/group-by';

export interface PruningOptions {
  /** Needed unless finishedOnly. */
  engine?: Engine;
  runsDir: string;
  dataDir?: string;
  /** The samples instead of the dataset's published files (tests). */
  data?: RunData;
  finishedOnly?: boolean;
  /**
   * What an earlier call wrote (its figure data, committed with the results): a finished run found
   * there by key is not trained again when the runs folder lacks it, so a grid split across machines
   * survives a lost cache. `source` names the file in the log.
   */
  recorded?: { frames: Frames; source: string };
  /** Changes to the profile's grid (Profile.pruning). */
  grid?: Partial<PruningGrid>;
  log?: (line: string) => void;
  onProgress?: (p: TrainProgress) => void;
}

/** A cell of the grid: which samples (a score's under a strategy, random, or all) and the retrain seed. */
interface GridCell {
  readonly selection: string;
  readonly strategy: Strategy | 'random' | 'full';
  readonly fraction: number;
  readonly seed: number;
}

/** What one retrained run is: its cell, and the config (and subset) it trains. */
interface PlannedRun extends GridCell {
  readonly cfg: RunConfig;
  readonly subset?: Int32Array;
}

/**
 * The grid's cells in training order: the full set, then one kept fraction after another, smallest
 * (cheapest) first, every seed of a fraction before the next, so that a grid stopped part-way has
 * whole cells.
 */
function gridCells(grid: PruningGrid): GridCell[] {
  const full = grid.seeds.map((seed): GridCell => ({ selection: 'full', strategy: 'full', fraction: 1, seed }));
  const byCost = [...grid.fractions].sort((a, b) => a - b);
  return full.concat(
    byCost.flatMap((fraction) =>
      grid.seeds.flatMap((seed): GridCell[] => [
        { selection: 'random', strategy: 'random', fraction, seed },
        ...grid.scores.flatMap((score) =>
          grid.strategies.map((strategy) => ({ selection: score, strategy, fraction, seed })),
        ),
      ]),
    ),
  );
}

/** A cell's identity, for matching recorded rows to the grid. */
function cellId(cell: { selection: string; strategy: string; fraction: number; seed: number }): string {
  return `${cell.selection}|${cell.strategy}|${cell.fraction}|${cell.seed}`;
}

/** A planned run with its data identity in the config, and the key that config has. */
type KeyedRun = PlannedRun & { readonly key: string };

/** The run whose scores chose the subsets: its key, the score epoch, and the engine (and BLAS) it trained on. */
type ScoringRow = { key: string; epoch: number; engine: string };

/** One retrained run's outcome (a row of the `runs` frame); status 'unfinished': planned, not trained yet. */
export type RunRow = {
  selection: string;
  strategy: string;
  fraction: number;
  seed: number;
  samples: number;
  status: string;
  testError: number | null;
  /** Seconds of training passes the run took (0 when unfinished; null: recorded before runs carried it). */
  trainSeconds: number | null;
  key: string;
};

function retrainConfig(scoring: RunConfig, seed: number, subset?: { name: string; positions: Int32Array }): RunConfig {
  return resolveRunConfig({
    ...scoring,
    seed,
    orderSeed: seed,
    snapshotEvery: 0,
    ...(subset && { subset: subsetOf(subset.name, subset.positions) }),
  });
}

/** Every retrained run of the grid, in its cells' training order, from the scoring run's scores. */
export function plannedRuns(scoringRun: OpenRun, grid: PruningGrid): PlannedRun[] {
  const scoring = scoringRun.meta.config;
  const T = grid.scoreEpoch ?? scoringRun.epochs;
  const scores = sampleScores(scoringRun, { epoch: T, scores: grid.scores });
  // A score's subsets do not depend on the retrain seed: chosen once, retrained with every seed.
  const chosen = new Map<string, Int32Array>();
  const chosenSubset = (score: string, strategy: Strategy, fraction: number): Int32Array => {
    const id = `${score}|${strategy}|${fraction}`;
    if (!chosen.has(id)) chosen.set(id, selectSubset(scores[score]!, { score, strategy, fraction, seed: 1 }));
    return chosen.get(id)!;
  };
  return gridCells(grid).map((cell): PlannedRun => {
    const { selection, strategy, fraction, seed } = cell;
    if (strategy === 'full') return { ...cell, cfg: retrainConfig(scoring, seed) };
    if (strategy === 'random') {
      const positions = randomSubset(scoringRun.n, fraction, seed);
      const name = `random ${fraction} (seed ${seed}) of ${scoringRun.meta.key}`;
      return { ...cell, cfg: retrainConfig(scoring, seed, { name, positions }), subset: positions };
    }
    const subset = chosenSubset(selection, strategy, fraction);
    const name = `${selection}@${T} ${strategy} ${fraction} of ${scoringRun.meta.key}`;
    return { ...cell, cfg: retrainConfig(scoring, seed, { name, positions: subset }), subset };
  });
}

/**
 * Trains (or reads) the scoring run and every retrained run; frames `runs` (one row per run:
 * selection, strategy, fraction, seed, status, final test error) and `summary` (per selection,
 * strategy and fraction: mean ± SE of the final test error over finished runs, and the comparison
 * with random at that fraction).
 */
export async function pruningBenchmark(profile: Profile, dataset: RunDataset, opts: PruningOptions): Promise<Frames> {
  if (isNpzDataset(dataset) && !opts.data) {
    const own = ownDataProfile(profile, dataset);
    return pruningBenchmark(own.profile, dataset, { ...opts, data: own.data });
  }
  const grid = { ...profile.pruning, ...opts.grid };
  const { scoringSeed } = grid;
  if (grid.seeds.includes(scoringSeed))
    throw new RangeError(`retrain seeds must differ from the scoring run's seed ${scoringSeed}`);
  const scoringCfg = seedRunConfig(profile, dataset, scoringSeed);
  const data = opts.finishedOnly ? undefined : (opts.data ?? loadRunData(scoringCfg, opts.dataDir));
  const cfgOf = (cfg: RunConfig) => (opts.data ? resolveRunConfig({ ...cfg, data: sampleIdentity(opts.data) }) : cfg);
  const scoringLabel = `${dataset} seed ${scoringSeed} (scores)`;
  const scoringRun = await finishedOrTrained(cfgOf(scoringCfg), { ...opts, data, label: scoringLabel });
  const recorded = recordedRuns(opts.recorded?.frames);
  // Without the scores no run can be planned; what was recorded of this grid is still the table to show.
  if (!scoringRun && opts.finishedOnly && opts.recorded?.frames.runs) {
    opts.log?.(
      `${dataset}: no scoring run in ${opts.runsDir}; the table is the one recorded in ${opts.recorded.source}`,
    );
    return recordedGridFrames(opts.recorded.frames, grid, recorded);
  }
  if (scoringRun?.meta.status !== 'complete')
    throw new Error(
      `the pruning benchmark needs ${dataset}'s complete seed-${scoringSeed} run for its scores` +
        (scoringRun
          ? `; ${scoringRun.dir} is ${scoringRun.meta.status}`
          : ' (not finished; run without --finished-only)'),
    );
  const scoring: ScoringRow = {
    key: scoringRun.meta.key,
    epoch: grid.scoreEpoch ?? scoringRun.epochs,
    engine: engineLabel(scoringRun.meta.engine),
  };
  // A version-1 scoring run lacks margin and el2n: its other scores still run, the rest are named.
  const missing = unavailableScores(scoringRun);
  for (const score of grid.scores.filter((s) => s in missing)) opts.log?.(`${score}: left out (${missing[score]})`);
  const usable = { ...grid, scores: grid.scores.filter((s) => !(s in missing)) };
  const planned: KeyedRun[] = plannedRuns(scoringRun, usable).map((p) => {
    const cfg = cfgOf(p.cfg);
    return { ...p, cfg, key: runKey(cfg) };
  });
  const plannedKeys = new Set(planned.map((p) => p.key));
  // A recorded run no planned run matches (another grid, or a scoring run that chose other subsets)
  // is a result all the same: kept beside the table, for the call that plans it again.
  const otherRuns = [...recorded.values()].filter((r) => !plannedKeys.has(r.key));
  if (otherRuns.length > 0) warnOfOtherRuns(dataset, otherRuns, recorded, planned, scoring, opts);
  const rows: RunRow[] = [];
  let fromRecord = 0;
  for (const run of planned) {
    const label = `${dataset} ${run.selection} ${run.strategy} ${run.fraction}, seed ${run.seed}`;
    const earlier = recorded.get(run.key);
    if (earlier && !isFinished(runDir(opts.runsDir, run.cfg))) {
      const { scoredBy: _, scoringEngine: __, ...row } = earlier;
      rows.push(row);
      fromRecord++;
      continue;
    }
    rows.push(await retrainedRow(run, { ...opts, data, label }, scoringRun.n));
  }
  if (fromRecord > 0)
    opts.log?.(`${dataset}: ${fromRecord} runs as recorded in ${opts.recorded!.source} (not in ${opts.runsDir})`);
  return pruningFrames(rows, scoring, otherRuns);
}

/** A planned run's row: trained now unless finished (or with nothing to train with: 'unfinished'). */
async function retrainedRow(
  planned: KeyedRun,
  opts: PruningOptions & { data?: RunData; label: string },
  n: number,
): Promise<RunRow> {
  const { selection, strategy, fraction, seed } = planned;
  const run = await finishedOrTrained(planned.cfg, { ...opts, subset: planned.subset });
  // An unfinished run stays in the frame, so that a partial grid says what it lacks.
  if (!run) {
    const samples = planned.subset?.length ?? n;
    return {
      selection,
      strategy,
      fraction,
      seed,
      samples,
      status: 'unfinished',
      testError: null,
      trainSeconds: 0,
      key: planned.key,
    };
  }
  const last = run.meta.metrics[run.meta.metrics.length - 1]!;
  return {
    selection,
    strategy,
    fraction,
    seed,
    samples: run.n,
    status: run.meta.status,
    testError: run.meta.status === 'complete' ? last.testError : null,
    trainSeconds: trainingSeconds(run.meta),
    key: run.meta.key,
  };
}

/**
 * A recorded finished run, with the scoring run that chose its subset ('<key>@<epoch>') and the
 * engine it trained on, when known (figure data written before they were recorded: null).
 */
type RecordedRun = RunRow & { scoredBy: string | null; scoringEngine: string | null };

function scoredBy(scoring: Row | ScoringRow | undefined): string | null {
  return scoring ? `${scoring.key}@${scoring.epoch}` : null;
}

/**
 * The finished runs an earlier call recorded, by key: its `runs` frame (their subsets chosen by its
 * `scoring` run) and the `otherRuns` it kept. Rows written before runs carried trainSeconds get null.
 */
function recordedRuns(frames: Frames | undefined): Map<string, RecordedRun> {
  const rowsOf = (name: string) => (frames?.[name] ? frameRows(frames[name]) : []);
  const scoring = rowsOf('scoring')[0];
  const ofRuns = { scoredBy: scoredBy(scoring), scoringEngine: (scoring?.engine as string | undefined) ?? null };
  const rows: Row[] = [
    ...rowsOf('runs').map((r) => ({ ...r, ...ofRuns })),
    ...rowsOf('otherRuns').map((r) => ({ ...r, scoredBy: r.scoredBy ?? null, scoringEngine: r.scoringEngine ?? null })),
  ];
  return new Map(
    rows
      .filter((r) => typeof r.key === 'string' && isFinishedStatus(r.status as string))
      .map((r) => [
        r.key as string,
        { ...r, trainSeconds: typeof r.trainSeconds === 'number' ? r.trainSeconds : null } as RecordedRun,
      ]),
  );
}

/**
 * The recorded table of a grid, for when no scoring run is here to plan it: the recorded runs in the
 * grid, from its runs frame and the otherRuns its scoring run chose (an earlier, narrower call kept
 * them there), in training order; the rest move to otherRuns, as when the grid is planned.
 */
function recordedGridFrames(frames: Frames, grid: PruningGrid, recorded: Map<string, RecordedRun>): Frames {
  const scoring = frames.scoring ? frameRows(frames.scoring)[0] : undefined;
  const inRunsFrame = frameRows(frames.runs!) as RunRow[];
  const listed = new Set(inRunsFrame.map((r) => r.key));
  const chosenBySameScoring = [...recorded.values()]
    .filter((r) => !listed.has(r.key) && scoring && r.scoredBy === scoredBy(scoring))
    .map(({ scoredBy: _, scoringEngine: __, ...row }) => row);
  const place = new Map(gridCells(grid).map((cell, i) => [cellId(cell), i]));
  const inGrid = (r: RunRow) => place.has(cellId(r));
  const candidates = [...inRunsFrame, ...chosenBySameScoring];
  if (chosenBySameScoring.length === 0 && candidates.every(inGrid)) return frames;
  const kept = candidates.filter(inGrid).sort((a, b) => place.get(cellId(a))! - place.get(cellId(b))!);
  const keptKeys = new Set(kept.map((r) => r.key));
  const otherRuns = [...recorded.values()].filter((r) => !keptKeys.has(r.key));
  const { otherRuns: _, ...rest } = frames;
  return {
    ...rest,
    runs: frameFromRows(kept, RUN_COLUMNS),
    summary: frameFromRows(pruningSummary(kept)),
    ...(otherRuns.length > 0 && { otherRuns: frameFromRows(otherRuns, [...RUN_COLUMNS, 'scoredBy', 'scoringEngine']) }),
  };
}

/**
 * Says, before anything trains, that recorded runs are not in the grid (they stay in otherRuns).
 * Some may be cells the grid still has to train (same score, strategy, fraction and seed, chosen by
 * a scoring run of the same key and epoch, or of one not recorded) under another subset: this
 * scoring run rounds differently from the one that chose them, and going on trains those cells
 * again. That is what a fresh clone of a small grid wants; for a grid of worker-hours, the message
 * says how to continue the recorded one instead.
 */
function warnOfOtherRuns(
  dataset: RunDataset,
  otherRuns: readonly RecordedRun[],
  recorded: ReadonlyMap<string, RecordedRun>,
  planned: readonly KeyedRun[],
  scoring: ScoringRow,
  opts: PruningOptions,
): void {
  const toTrain = new Set(
    planned.filter((p) => !isFinished(runDir(opts.runsDir, p.cfg)) && !recorded.has(p.key)).map(cellId),
  );
  const twins = otherRuns.filter(
    (r) => toTrain.has(cellId(r)) && (r.scoredBy === null || r.scoredBy === scoredBy(scoring)),
  );
  const kept =
    `${dataset}: ${otherRuns.length} finished runs recorded in ${opts.recorded!.source} are not in this ` +
    'grid; kept in its otherRuns frame.';
  if (twins.length === 0) {
    opts.log?.(kept);
    return;
  }
  const retrain = opts.finishedOnly ? '' : ' Going on trains them again; to continue the recorded grid instead,';
  const engines = [...new Set(twins.map((r) => r.scoringEngine).filter((e) => e !== null))];
  const rounding =
    `${twins.length} of them are cells this grid has not trained, under other subsets: this scoring run ` +
    `(${scoring.key}, trained on ${scoring.engine}) rounds differently from the one that chose them` +
    `${engines.length ? ` (trained on ${engines.join(', ')})` : ''}.${retrain} see docs/SCORES.md, ` +
    '"Continuing a grid on another CPU".';
  opts.log?.(`${kept} ${rounding}`);
}

const RUN_COLUMNS = [
  'selection',
  'strategy',
  'fraction',
  'seed',
  'samples',
  'status',
  'testError',
  'trainSeconds',
  'key',
];

/**
 * The `runs` frame and its `summary`; `scoring` (the run whose scores chose the subsets: key, score
 * epoch, engine and BLAS), and `otherRuns` when some recorded runs are not in this grid.
 */
function pruningFrames(rows: RunRow[], scoring: ScoringRow, otherRuns: RecordedRun[]): Frames {
  return {
    runs: frameFromRows(rows, RUN_COLUMNS),
    summary: frameFromRows(pruningSummary(rows)),
    scoring: frameFromRows([scoring]),
    ...(otherRuns.length > 0 && { otherRuns: frameFromRows(otherRuns, [...RUN_COLUMNS, 'scoredBy', 'scoringEngine']) }),
  };
}

/** Mean ± SE per (selection, strategy, fraction), and whether it beats random by more than 2 SE. */
export function pruningSummary(rows: readonly RunRow[]): Row[] {
  const groups = groupBy(rows, (r) => `${r.selection}|${r.strategy}|${r.fraction}`);
  const stats = [...groups.values()].map((group) => {
    const errors = group.map((r) => r.testError).filter((e): e is number => e !== null);
    const { selection, strategy, fraction } = group[0]!;
    return {
      selection,
      strategy,
      fraction,
      runs: errors.length,
      diverged: group.filter((r) => r.status === 'diverged').length,
      unfinished: group.filter((r) => r.status === 'unfinished').length,
      meanError: errors.length ? mean(errors) : null,
      seError: errors.length ? standardError(errors) : null,
    };
  });
  return stats.map((s) => {
    const random = stats.find((r) => r.strategy === 'random' && r.fraction === s.fraction);
    let versusRandom = '';
    if (s.strategy !== 'random' && s.strategy !== 'full') {
      if (random?.meanError == null || s.meanError == null) versusRandom = 'no reference';
      // One finished run has no standard error: any difference would pass a 2-SE test.
      else if (s.runs < 2 || random.runs < 2) versusRandom = 'too few runs';
      else {
        const diff = s.meanError - random.meanError;
        const se = Math.sqrt((s.seError ?? 0) ** 2 + (random.seError ?? 0) ** 2);
        versusRandom = Math.abs(diff) > 2 * se ? (diff < 0 ? 'better' : 'worse') : 'within 2 SE';
      }
    }
    return { ...s, versusRandom };
  });
}

/** The summary as a Markdown table: one row per selection and strategy, one column per fraction. */
export function pruningMarkdown(frames: Frames): string {
  const summary = frameRows(frames.summary!);
  const fractions = [...new Set(summary.map((r) => r.fraction as number))].sort((a, b) => b - a);
  const lines = [
    `| selection | strategy | ${fractions.map((f) => `kept ${f}`).join(' | ')} |`,
    `|---|---|${fractions.map(() => '---|').join('')}`,
  ];
  const seen = new Set<string>();
  for (const r of summary) {
    const id = `${r.selection}|${r.strategy}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const cells = fractions.map((f) => {
      const s = summary.find((x) => x.selection === r.selection && x.strategy === r.strategy && x.fraction === f);
      if (!s) return '';
      if (s.meanError === null) return (s.diverged as number) > 0 ? 'diverged' : 'not run yet';
      const mark = s.versusRandom === 'better' ? ' ▲' : s.versusRandom === 'worse' ? ' ▼' : '';
      return `${meanSeText(s.meanError as number, s.seError as number, s.runs as number)}${mark}`;
    });
    lines.push(`| ${r.selection} | ${r.strategy} | ${cells.join(' | ')} |`);
  }
  const legend =
    'Final test error, mean ± standard error over the retrained seeds; ▲ / ▼: better / worse than a ' +
    'random subset of the same size by more than 2 standard errors of the difference.';
  return `${lines.join('\n')}\n\n${legend}${computeLine(frames)}\n`;
}

/**
 * The runs behind the table and their training passes, and how many planned runs are not trained
 * yet with what they will take at the finished runs' pace (training time is proportional to the
 * samples kept); empty for figure data written before runs carried trainSeconds.
 */
function computeLine(frames: Frames): string {
  const runs = frameRows(frames.runs!);
  if (runs.length === 0 || !('trainSeconds' in runs[0]!)) return '';
  const unfinished = runs.filter((r) => r.status === 'unfinished');
  const finished = runs.filter((r) => r.status !== 'unfinished');
  const timed = finished.filter((r) => typeof r.trainSeconds === 'number');
  const total = (rows: Row[], column: string) => rows.reduce((sum, r) => sum + (r[column] as number), 0);
  // The pace from complete runs only: a diverged run stopped early.
  const complete = timed.filter((r) => r.status === 'complete');
  const perSample = total(complete, 'trainSeconds') / total(complete, 'samples');
  const left =
    Number.isFinite(perSample) && perSample > 0 ? `, about ${hoursText(total(unfinished, 'samples') * perSample)}` : '';
  const rest = unfinished.length
    ? ` ${unfinished.length} of the grid's ${runs.length} runs are not trained yet${left} ` +
      '(rerun the command without --finished-only).'
    : '';
  const untimed = finished.length - timed.length ? ` (${finished.length - timed.length} untimed)` : '';
  const hours = `${hoursText(total(timed, 'trainSeconds'))} of training passes${untimed}`;
  return ` Retrained runs: ${finished.length}, ${hours}.${rest}`;
}
