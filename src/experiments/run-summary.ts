/**
 * What a runs folder holds, grouped the way the experiments use it: per dataset, the seed runs
 * (shared or own data order) and each batch construction's runs, with their errors and the
 * compute they took. Read from run.json alone, so it works on runs still training.
 *
 * @example
 *   const groups = summarizeRuns(readRunMetas('runs'));
 *   groups[0];   // { dataset: 'mnist', group: 'seeds (shared order)', runs: 3, complete: 3, … }
 */
import { groupBy } from '../util/group-by';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONSTRUCTION_NAMES } from '../analysis/batch-constructions';
import { DATASET_NAMES, type DatasetName, type RunDataset } from '../run/config';

/** Registered datasets in registry order, then users' .npz files. */
const datasetRank = (d: RunDataset) => {
  const k = DATASET_NAMES.indexOf(d as DatasetName);
  return k < 0 ? DATASET_NAMES.length : k;
};
import { mean, standardError } from '../analysis/stats';
import { readRunMeta, type RunMeta } from '../run/record';

/**
 * Every run.json directly under `runsDir`, by folder name. Folders without one are skipped; one
 * that cannot be read is skipped too, with `warn` told why (naming the file), so one damaged run
 * does not hide the others.
 */
export function readRunMetas(runsDir: string, warn: (message: string) => void = console.error): RunMeta[] {
  if (!fs.existsSync(runsDir)) return [];
  return fs
    .readdirSync(runsDir)
    .sort()
    .flatMap((name) => {
      try {
        return readRunMeta(path.join(runsDir, name)) ?? [];
      } catch (err) {
        warn(`warning: skipping ${name}: ${(err as Error).message}`);
        return [];
      }
    });
}

/** A run's role: its construction's name, or a seed run on the shared (order seed 1) or its own order. */
export function runGroup(meta: RunMeta, profileSeeds?: readonly number[]): string {
  const { order, orderSeed, seed } = meta.config;
  if (order.kind === 'fixed') return order.name;
  // A benchmark's own runs (the pruning scoring run, the retrained full sets) are not the profile's seeds.
  if (profileSeeds && !profileSeeds.includes(seed)) return OTHER_SEEDS;
  if (orderSeed === 1) return SHARED_ORDER;
  return orderSeed === seed ? OWN_ORDER : `order seed ${orderSeed}`;
}

const SHARED_ORDER = 'seeds (shared order)';
const OWN_ORDER = 'seeds (own order)';
const OTHER_SEEDS = "other seeds (the benchmarks' full-data runs)";
const GROUP_ORDER: readonly string[] = [SHARED_ORDER, OWN_ORDER, ...CONSTRUCTION_NAMES, OTHER_SEEDS];

export interface RunGroupSummary {
  dataset: RunDataset;
  group: string;
  runs: number;
  complete: number;
  diverged: number;
  /** The epoch each diverged run stopped in. */
  divergedAt: number[];
  /** Epochs trained, over all runs of the group (the compute totals add these). */
  epochs: number;
  /** [min, max] of the epochs each run completed, and the most any run asks for. */
  epochsPerRun: [number, number];
  plannedEpochs: number;
  /** Wall time of the training passes (the per-epoch evaluation not included). */
  trainSeconds: number;
  /** Over complete runs: [min, max] of the last epoch's test and training error, and of the best test error. */
  finalTestError: [number, number] | null;
  /** Mean and standard error over complete runs of the last epoch's test error (null without any). */
  finalTestMean: { mean: number; se: number } | null;
  bestTestError: [number, number] | null;
  finalTrainError: [number, number] | null;
}

const range = (values: number[]): [number, number] | null =>
  values.length ? [Math.min(...values), Math.max(...values)] : null;

function summarizeGroup(dataset: RunDataset, group: string, metas: RunMeta[]): RunGroupSummary {
  const complete = metas.filter((m) => m.status === 'complete');
  const last = complete.flatMap((m) => m.metrics.slice(-1));
  return {
    dataset,
    group,
    runs: metas.length,
    complete: complete.length,
    diverged: metas.filter((m) => m.status === 'diverged').length,
    divergedAt: metas
      .flatMap((m) => (m.status === 'diverged' && m.divergence ? [m.divergence.epoch] : []))
      .sort((a, b) => a - b),
    epochs: metas.reduce((s, m) => s + m.epochsCompleted, 0),
    epochsPerRun: range(metas.map((m) => m.epochsCompleted)) ?? [0, 0],
    plannedEpochs: Math.max(...metas.map((m) => m.config.epochs)),
    trainSeconds: metas.reduce((s, m) => s + trainingSeconds(m), 0),
    finalTestError: range(last.map((e) => e.testError)),
    finalTestMean: last.length
      ? { mean: mean(last.map((e) => e.testError)), se: standardError(last.map((e) => e.testError)) }
      : null,
    bestTestError: range(complete.map((m) => Math.min(...m.metrics.slice(1).map((e) => e.testError)))),
    finalTrainError: range(last.map((e) => e.trainError)),
  };
}

/**
 * One row per (dataset, group): datasets in the registry's order, seed groups, then constructions in
 * the paper's order, then anything else.
 */
/** `profileSeeds`: the profile's seeds; runs of other seeds are grouped apart (default: no such group). */
export function summarizeRuns(metas: readonly RunMeta[], profileSeeds?: readonly number[]): RunGroupSummary[] {
  const byKey = groupBy(metas, (m) => `${m.config.dataset}\t${runGroup(m, profileSeeds)}`);
  const rank = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);
  return [...byKey.values()]
    .map(([first, ...rest]) => summarizeGroup(first!.config.dataset, runGroup(first!, profileSeeds), [first!, ...rest]))
    .sort(
      (a, b) =>
        datasetRank(a.dataset) - datasetRank(b.dataset) ||
        rank(a.group) - rank(b.group) ||
        (a.group < b.group ? -1 : 1),
    );
}

/** Seconds of training passes a run took, over its epochs so far. */
export function trainingSeconds(meta: RunMeta): number {
  return meta.metrics.reduce((sum, epoch) => sum + epoch.trainSeconds, 0);
}
