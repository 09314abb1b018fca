/**
 * Where the batch orders come from (REPRODUCTION.md, second pass). The paper builds its orders
 * from "a full training run"; by default they come from the seed-1 run's NLL under its final model.
 * Here the NLL orders (NLO, RNLO, NLM) are also built from each seed run and under the other
 * reading, each sample's NLL at its own step in the last epoch, and the τ orders (SIO, RSIO) from
 * each seed run; each order set is trained `runs` times, and Figure 7's final test errors are
 * compared across the sources, so the error bars include where the order came from.
 *
 * @example
 *   const frames = await orderSourceSweep(getProfile('paper'), 'cifar10', { engine, runsDir: 'runs', runs: 2 });
 *   console.log(orderSourcesMarkdown(frames));
 */
import { batchConstructions, type ConstructionName } from '../analysis/batch-constructions';
import { frameFromRows, frameRows, type Frames, type Row } from '../analysis/frames';
import { mean, standardError } from '../analysis/stats';
import type { DatasetName } from '../data/registry';
import type { Engine } from '../engine/types';
import { meanSeText, pct2 } from '../figures/inputs';
import { runDir } from '../run/config';
import { openRun, type OpenRun } from '../run/open-run';
import { readRunMeta } from '../run/record';
import { loadRunData } from '../run/run-data';
import type { TrainProgress } from '../run/train';
import { constructionRunConfig, seedRunConfig } from './plan';
import { finishedOrTrained } from './sweep-trainer';
import type { Profile } from './profiles';

/** How a sample's NLL is read from a finished run. */
export const NLL_READINGS = {
  final: 'NLL under the final model',
  'last-epoch': "NLL at the sample's own step in the last epoch",
} as const;
export type NllReading = keyof typeof NLL_READINGS;

export interface OrderSource {
  /** The seed run the order is built from. */
  seed: number;
  /** For NLL orders: which NLL; τ orders have one reading. */
  reading: NllReading;
}

const NLL_ORDERS: readonly ConstructionName[] = ['NLO', 'RNLO', 'NLM'];
const TAU_ORDERS: readonly ConstructionName[] = ['SIO', 'RSIO'];

/** The default source, that of the profile's construction runs: seed 1, NLL under the final model. */
export function isDefaultSource(source: OrderSource, profile: Profile): boolean {
  return source.seed === profile.seeds[0] && source.reading === 'final';
}

export function sourceLabel(construction: ConstructionName, source: OrderSource): string {
  const nll = NLL_ORDERS.includes(construction) ? `, ${source.reading === 'final' ? 'final' : 'last-epoch'} NLL` : '';
  return `seed ${source.seed}${nll}`;
}

/**
 * The run's name for the cache: the construction alone for the default source (so the profile's
 * own construction runs are reused), else the construction and its source.
 */
export function orderName(construction: ConstructionName, source: OrderSource, profile: Profile): string {
  return isDefaultSource(source, profile) ? construction : `${construction} (${sourceLabel(construction, source)})`;
}

/** The NLL a reading takes from a complete run. */
export function nllOf(run: OpenRun, reading: NllReading): Float32Array {
  if (reading === 'last-epoch') return run.nll.subarray((run.epochs - 1) * run.n, run.epochs * run.n);
  if (!run.finalNll) throw new Error(`${run.dir} has no final NLL: its run is ${run.meta.status}`);
  return run.finalNll;
}

/** Every (construction, source) the sweep trains: NLL orders from each seed and reading, τ orders from each seed. */
export function sweepPlan(profile: Profile): { construction: ConstructionName; source: OrderSource }[] {
  const readings = Object.keys(NLL_READINGS) as NllReading[];
  return [
    ...NLL_ORDERS.flatMap((construction) =>
      profile.seeds.flatMap((seed) => readings.map((reading) => ({ construction, source: { seed, reading } }))),
    ),
    ...TAU_ORDERS.flatMap((construction) =>
      profile.seeds.map((seed) => ({ construction, source: { seed, reading: 'final' as const } })),
    ),
  ];
}

export interface OrderSourceOptions {
  /** Needed unless finishedOnly. */
  engine?: Engine;
  runsDir: string;
  dataDir?: string;
  /** Runs (initialisation seeds 1..runs) per construction and source. */
  runs: number;
  finishedOnly?: boolean;
  log?: (line: string) => void;
  onProgress?: (p: TrainProgress) => void;
}

export async function orderSourceSweep(
  profile: Profile,
  dataset: DatasetName,
  opts: OrderSourceOptions,
): Promise<Frames> {
  const seedRuns = new Map<number, OpenRun>();
  for (const seed of profile.seeds) {
    const dir = runDir(opts.runsDir, seedRunConfig(profile, dataset, seed));
    if (readRunMeta(dir)?.status === 'complete') seedRuns.set(seed, openRun(dir));
    else opts.log?.(`${dataset}: the seed-${seed} run is not complete; its orders wait for it`);
  }
  const data = opts.finishedOnly
    ? undefined
    : loadRunData(seedRunConfig(profile, dataset, profile.seeds[0]), opts.dataDir);
  const rows: Row[] = [];
  // Each source's orders serve all its constructions and runs: built once (sorting n samples twice, τ over E epochs).
  const ordersBySource = new Map<string, ReturnType<typeof batchConstructions>>();
  // Run by run, so that a sweep stopped part-way leaves every source with as many runs as the others.
  for (let run = 1; run <= opts.runs; run++) {
    for (const { construction, source } of sweepPlan(profile)) {
      const from = seedRuns.get(source.seed);
      if (!from) continue;
      const key = `${source.seed} ${source.reading}`;
      const orders =
        ordersBySource.get(key) ?? batchConstructions(nllOf(from, source.reading), from.tau(), profile.batchSize, 1);
      ordersBySource.set(key, orders);
      const order = orders[construction];
      const name = orderName(construction, source, profile);
      const planned = constructionRunConfig(profile, dataset, name, order, run);
      // Only the default source's first run keeps every epoch's parameters (Figure 8's paths).
      const cfg = isDefaultSource(source, profile) ? planned : { ...planned, snapshotEvery: 0 };
      const trained = await finishedOrTrained(cfg, {
        ...opts,
        data,
        fixedOrder: order,
        label: `${dataset} ${name}, run ${run}`,
      });
      if (!trained) continue;
      const meta = trained.meta;
      rows.push({
        construction,
        source: sourceLabel(construction, source),
        run,
        status: meta.status,
        divergedIn: meta.divergence?.epoch ?? 0,
        testError: meta.metrics[meta.metrics.length - 1]?.testError ?? Number.NaN,
      });
    }
  }
  return { runs: frameFromRows(rows, ['construction', 'source', 'run', 'status', 'divergedIn', 'testError']) };
}

/** Per construction and source: the final test error's mean ± standard error, and the spread across sources. */
export function orderSourcesMarkdown(frames: Frames): string {
  const rows = frameRows(frames.runs!);
  const constructions = [...new Set(rows.map((r) => String(r.construction)))];
  const lines = [
    '| construction | order source | final test error (complete runs) | diverged runs |',
    '|---|---|---|---|',
  ];
  const spreads: string[] = [];
  for (const construction of constructions) {
    const sources = [...new Set(rows.filter((r) => r.construction === construction).map((r) => String(r.source)))];
    const means: number[] = [];
    for (const source of sources) {
      const runs = rows.filter((r) => r.construction === construction && r.source === source);
      const done = runs.filter((r) => r.status === 'complete').map((r) => Number(r.testError));
      const diverged = runs.filter((r) => r.status === 'diverged').map((r) => `run ${r.run} (epoch ${r.divergedIn})`);
      if (done.length) means.push(mean(done));
      const error = done.length ? `${meanSeText(mean(done), standardError(done), done.length)} (${done.length})` : '—';
      lines.push(`| ${construction} | ${source} | ${error} | ${diverged.join(', ') || 'none'} |`);
    }
    if (means.length > 1)
      spreads.push(
        `${construction} ${pct2(Math.min(...means))}–${pct2(Math.max(...means))} over ${means.length} sources`,
      );
  }
  return (
    `${lines.join('\n')}\n\n` +
    `Spread of the mean final test error across order sources: ${spreads.join('; ') || 'fewer than two sources yet'}.\n`
  );
}
