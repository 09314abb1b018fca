/**
 * One profile's experiments end to end: for each dataset it names that is available, train the
 * missing runs (cached and resumable), then write every figure's small data file. A missing
 * dataset gets a notice with the command that fetches it, and the rest still runs.
 *
 * @example
 *   await runExperiments(getProfile('smoke'), { engine, runsDir: runsDir(), log: console.error });
 */
import { datasetAvailable } from '../data/locate';
import type { DatasetName } from '../data/registry';
import type { Engine } from '../engine/types';
import { FIGURES } from '../figures';
import { figureDataFile, perSeedDataId, recordedFigureData, saveFigureData } from '../figures/data-file';
import { benchmarkOf, figureApplies, type Figure } from '../figures/figure';
import { frameRows } from '../analysis/frames';
import { imagesFrom, type FigureInputs } from '../figures/inputs';
import type { TrainProgress } from '../run/train';
import { seedRunStatus } from './plan';
import { measureStabilitySnapshots, stabilityVariants } from './stability-variants';
import type { Profile } from './profiles';
import { trainProfileRuns, type ProfileRuns } from './train-runs';

export interface ExperimentOptions {
  engine: Engine;
  runsDir: string;
  dataDir?: string;
  /** Overrides the profile's dataset list. */
  datasets?: readonly DatasetName[];
  log?: (line: string) => void;
  onProgress?: (p: TrainProgress) => void;
  /** Train nothing: figure data from the runs finished on disk; figures missing all their runs are skipped. */
  finishedOnly?: boolean;
  /** Resume runs begun on another engine or thread count (see TrainOptions.allowEngineChange). */
  allowEngineChange?: boolean;
}

export interface ExperimentSummary {
  /** Datasets whose figure data was written. */
  datasets: DatasetName[];
  /** Datasets skipped, with the notice given. */
  skipped: { dataset: DatasetName; notice: string }[];
  /** Runs that diverged (a result, shown in Figure 7). */
  diverged: string[];
}

/** Whether Figure 1 is drawn under the protocol's other readings too: the profile asks, and seeds can be compared. */
function drawsStabilityVariants(profile: Profile, runs: ProfileRuns): boolean {
  return Boolean(profile.stabilityVariants) && runs.seedRuns.length >= 2;
}

/**
 * The benchmarks' frames for the figures that need them (11: pruning, 12: noisy labels), trained
 * where missing as the profile's runs are; undefined for a benchmark with no finished run.
 */
async function benchmarkInputs(
  profile: Profile,
  dataset: DatasetName,
  figures: readonly Figure[],
  opts: ExperimentOptions,
): Promise<Pick<FigureInputs, 'pruning' | 'noisyLabels'>> {
  const log = opts.log ?? (() => undefined);
  const ctx = { ...opts, log: (line: string) => log(`  ${line}`) };
  const needs = (input: keyof FigureInputs) => figures.some((f) => f.needs.includes(input));
  const out: Pick<FigureInputs, 'pruning' | 'noisyLabels'> = {};
  if (needs('pruning')) {
    const { pruningBenchmark } = await import('./pruning');
    const scoring = seedRunStatus(profile, dataset, opts.runsDir, profile.pruning.scoringSeed);
    if (!opts.finishedOnly || scoring === 'complete') {
      // Runs recorded in the figure data (committed) count as done when the runs folder lacks them.
      const recorded = recordedFigureData(figureDataFile(profile.name, dataset, 'fig11'));
      const frames = await pruningBenchmark(profile, dataset, { ...ctx, recorded });
      if (frameRows(frames.runs!).length > 0) out.pruning = frames;
    }
  }
  if (needs('noisyLabels')) {
    const { noisyLabelBenchmark } = await import('./noisy-labels');
    const frames = await noisyLabelBenchmark(profile, dataset, ctx);
    if (frameRows(frames.runs!).length > 0) out.noisyLabels = frames;
  }
  return out;
}

/** What the figures are computed from: reads the runs, trains and measures nothing. */
export function figureInputs(dataset: DatasetName, runs: ProfileRuns, profile: Profile): FigureInputs {
  return {
    stabilityVariants: drawsStabilityVariants(profile, runs) ? stabilityVariants(runs) : undefined,
    clusters: profile.clusterK[dataset],
    dataset,
    classNames: runs.data.classNames,
    trainLabels: runs.data.train.y,
    images: imagesFrom(runs.data.train),
    seedRuns: runs.seedRuns,
    constructionRuns: runs.constructionRuns,
  };
}

/** How many runs each part of the figure data rests on, against what the profile asks for. */
function runCounts(runs: ProfileRuns): Record<string, number> {
  return {
    seeds: runs.seedRuns.length,
    ...(runs.ownOrderSeedRuns ? { ownOrderSeeds: runs.ownOrderSeedRuns.length } : {}),
    ...Object.fromEntries(Object.entries(runs.constructionRuns).map(([name, list]) => [name, list.length])),
  };
}

export async function runExperiments(profile: Profile, opts: ExperimentOptions): Promise<ExperimentSummary> {
  const log = opts.log ?? (() => undefined);
  const summary: ExperimentSummary = { datasets: [], skipped: [], diverged: [] };
  for (const dataset of opts.datasets ?? profile.datasets) {
    if (!datasetAvailable(dataset, opts.dataDir)) {
      const notice = `${dataset} is not in the data directory; fetch it with \`si download ${dataset}\` (skipping it)`;
      log(`notice: ${notice}`);
      summary.skipped.push({ dataset, notice });
      continue;
    }
    if (opts.finishedOnly && seedRunStatus(profile, dataset, opts.runsDir) !== 'complete') {
      const notice =
        `${dataset}: the seed-${profile.seeds[0]} run is not finished, and every figure needs it; ` +
        `train it with \`si experiments --profile ${profile.name} --datasets ${dataset}\` (skipping ${dataset})`;
      log(`notice: ${notice}`);
      summary.skipped.push({ dataset, notice });
      continue;
    }
    const runs = await trainProfileRuns(profile, dataset, {
      engine: opts.engine,
      runsDir: opts.runsDir,
      dataDir: opts.dataDir,
      onProgress: opts.onProgress,
      finishedOnly: opts.finishedOnly,
      allowEngineChange: opts.allowEngineChange,
      onRunStart: (label, index, total) => log(`[${index}/${total}] ${label}`),
      onRunEnd: (label, o) => {
        if (o.status === 'diverged') {
          summary.diverged.push(label);
          log(`  ${label}: diverged — kept as a result (${o.message})`);
        } else if (o.cached) log(`  ${label}: cached`);
      },
      onRunBusy: (label, message) => log(`  ${label}: ${message}; training the next free run meanwhile`),
    });
    if (drawsStabilityVariants(profile, runs)) {
      const began = Date.now();
      const measured = measureStabilitySnapshots(runs, opts.engine);
      if (measured > 0)
        log(
          `  β at ${measured} snapshot(s) for Figure 1's checkpoint readings ` +
            `(${((Date.now() - began) / 1000).toFixed(1)} s)`,
        );
    }
    const figures = FIGURES.filter((f) => figureApplies(f, dataset) && (profile.benchmarks || !benchmarkOf(f)));
    if (!profile.benchmarks) {
      const ids = FIGURES.filter(benchmarkOf).map((f) => f.id);
      const flag = `--profile ${profile.name}`;
      const commands = `\`si prune ${flag}\` and \`si noisy ${flag}\``;
      log(`  ${ids.join(' and ')}: not part of the ${profile.name} profile's experiments; ${commands} make their data`);
    }
    const inputs = {
      ...figureInputs(dataset, runs, profile),
      ...(await benchmarkInputs(profile, dataset, figures, opts)),
    };
    const counts = runCounts(runs);
    for (const figure of figures) {
      if (
        figure.needs.includes('constructionRuns') &&
        Object.values(runs.constructionRuns).every((r) => r.length === 0)
      ) {
        log(`  ${figure.id}: skipped, no batch-construction run is finished yet`);
        continue;
      }
      const benchmark = benchmarkOf(figure);
      if (benchmark && !inputs[benchmark]) {
        log(`  ${figure.id}: skipped, none of its benchmark's runs is finished yet`);
        continue;
      }
      const began = Date.now();
      const frames = figure.compute(inputs);
      saveFigureData(figureDataFile(profile.name, dataset, figure.id), frames, {
        figure: figure.id,
        profile: profile.name,
        dataset,
        seedRuns: runs.seedRuns.map((r) => r.meta.key),
        settings: figure.settings,
        runs: counts,
      });
      // The other seeds' readings of a seed-1 figure: the claims table shows whether verdicts hold on each.
      if (figure.perSeed) {
        for (const run of runs.seedRuns.slice(1)) {
          const seed = run.meta.config.seed;
          const seedInputs = { ...inputs, seedRuns: [run, ...runs.seedRuns.filter((r) => r !== run)] };
          saveFigureData(
            figureDataFile(profile.name, dataset, perSeedDataId(figure.id, seed)),
            figure.compute(seedInputs),
            {
              figure: figure.id,
              profile: profile.name,
              dataset,
              seedRun: run.meta.key,
              settings: figure.settings,
            },
          );
        }
      }
      log(`  ${figure.id} data (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    }
    summary.datasets.push(dataset);
  }
  return summary;
}
