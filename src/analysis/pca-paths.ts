/**
 * Figure 8: do parameters converge differently under different batch constructions? The
 * parameter snapshots of every run (every `snapshotEvery` epochs) are projected together onto
 * their first two principal components (exactly, through the Gram matrix: see gram-pca.ts).
 *
 * @example
 *   const { paths, explained } = pcaPaths(snapshotSeries({ Rand: [r1], NLO: [r2] }));
 */
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { gramPca, type GramPcaOptions } from './gram-pca';

/** One run's snapshots: which epochs exist and how to load one. */
export interface SnapshotSeries {
  construction: string;
  seed: number;
  epochs: number[];
  load: (epoch: number) => Float32Array;
}

export interface PcaPaths {
  /** construction, seed, epoch, pc1, pc2. */
  paths: DataFrame;
  /** component (1-based), ratio (explained variance). */
  explained: DataFrame;
}

/** The snapshot series of each run, read on demand from its params/ folder. */
export function snapshotSeries(runsByConstruction: Partial<Record<string, OpenRun[]>>): SnapshotSeries[] {
  return Object.entries(runsByConstruction).flatMap(([construction, runs = []]) =>
    runs.map((run) => ({
      construction,
      seed: run.meta.config.seed,
      epochs: [...run.meta.snapshots].sort((a, b) => a - b),
      load: (epoch: number) => run.params(epoch),
    })),
  );
}

export function pcaPaths(series: SnapshotSeries[], opts: Partial<GramPcaOptions> = {}): PcaPaths {
  const items = series.flatMap((s) => s.epochs.map((epoch) => ({ s, epoch })));
  const load = (j: number) => items[j]!.s.load(items[j]!.epoch);
  const { scores, explained } = gramPca(items.length, load, { ...opts, components: 2 });
  const paths: Row[] = items.map(({ s, epoch }, j) => ({
    construction: s.construction,
    seed: s.seed,
    epoch,
    pc1: scores[j]![0]!,
    pc2: scores[j]![1] ?? 0,
  }));
  return {
    paths: frameFromRows(paths, ['construction', 'seed', 'epoch', 'pc1', 'pc2']),
    explained: frameFromRows(
      explained.slice(0, 10).map((ratio, k) => ({ component: k + 1, ratio })),
      ['component', 'ratio'],
    ),
  };
}
