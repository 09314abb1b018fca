/**
 * Trains the runs of one dataset for a profile, skipping those already complete in the run
 * cache. A diverged run is a result (recorded, reported), never a crash of the sweep. Several
 * workers may run the same sweep on one runs folder: each trains the runs nobody holds.
 *
 * @example
 *   const runs = await trainProfileRuns(getProfile('smoke'), 'mnist', { engine, runsDir: 'runs' });
 *   runs.seedRuns[0].meta.status;   // 'complete'
 */
import { CONSTRUCTION_NAMES, batchConstructions, type ConstructionName } from '../analysis/batch-constructions';
import type { DatasetName } from '../data/registry';
import type { Engine } from '../engine/types';
import { openRun, type OpenRun } from '../run/open-run';
import { loadRunData, type RunData } from '../run/run-data';
import { RunLockedError } from '../run/lock';
import { DivergenceError, trainRun, type TrainProgress } from '../run/train';
import type { RunConfig } from '../run/config';
import { constructionRunConfig, seedRunConfig } from './plan';
import type { Profile } from './profiles';

export interface ProfileRuns {
  readonly data: RunData;
  /** Initialisation seeds in profile order; the first is "seed 1". */
  readonly seedRuns: OpenRun[];
  readonly constructionRuns: Record<ConstructionName, OpenRun[]>;
}

export interface TrainRunsOptions {
  engine: Engine;
  runsDir: string;
  dataDir?: string;
  /** Told before each run starts: its label and place in the sweep. */
  onRunStart?: (label: string, index: number, total: number) => void;
  onProgress?: (p: TrainProgress) => void;
  /** Told when a run ends: cached, complete or diverged (with the message). */
  onRunEnd?: (label: string, outcome: { status: string; cached: boolean; message?: string }) => void;
  /** Told when another worker holds a run: this one goes on with the next and comes back to it. */
  onRunBusy?: (label: string, message: string) => void;
  /** How often to look again at runs other workers hold (ms). */
  pollMs?: number;
}

/** A run that another worker is training: `settle` waits for it and then opens it. */
type Pending = { settle: () => Promise<OpenRun> };

export async function trainProfileRuns(profile: Profile, dataset: DatasetName, opts: TrainRunsOptions): Promise<ProfileRuns> {
  const data = loadRunData(seedRunConfig(profile, dataset, profile.seeds[0]), opts.dataDir);
  const total = profile.seeds.length + CONSTRUCTION_NAMES.length * profile.constructionRuns;
  let index = 0;
  const attempt = async (label: string, cfg: RunConfig, fixedOrder?: Int32Array): Promise<OpenRun> => {
    try {
      const out = await trainRun(cfg, { engine: opts.engine, train: data.train, test: data.test, classes: data.classes, runsDir: opts.runsDir, fixedOrder, onProgress: opts.onProgress });
      opts.onRunEnd?.(label, { status: out.meta.status, cached: out.cached });
      return openRun(out.dir);
    } catch (err) {
      if (!(err instanceof DivergenceError)) throw err;
      opts.onRunEnd?.(label, { status: 'diverged', cached: false, message: err.message });
      return openRun(err.outcome.dir);
    }
  };
  // Runs another worker holds are skipped on the first pass and waited for at the end, so that
  // workers sharing a runs folder split a sweep between them.
  const train = async (label: string, cfg: RunConfig, fixedOrder?: Int32Array): Promise<OpenRun | Pending> => {
    opts.onRunStart?.(label, ++index, total);
    try {
      return await attempt(label, cfg, fixedOrder);
    } catch (err) {
      if (!(err instanceof RunLockedError)) throw err;
      opts.onRunBusy?.(label, err.message);
      return { settle: () => settleWhenFree(label, cfg, fixedOrder) };
    }
  };
  const settleWhenFree = async (label: string, cfg: RunConfig, fixedOrder?: Int32Array): Promise<OpenRun> => {
    for (;;) {
      try {
        return await attempt(label, cfg, fixedOrder);
      } catch (err) {
        if (!(err instanceof RunLockedError)) throw err;
        await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 10_000));
      }
    }
  };
  const settle = (r: OpenRun | Pending): Promise<OpenRun> => ('settle' in r ? r.settle() : Promise.resolve(r));

  const seedResults: (OpenRun | Pending)[] = [];
  for (const seed of profile.seeds) seedResults.push(await train(`${dataset} seed ${seed}`, seedRunConfig(profile, dataset, seed)));
  const seed1 = await settle(seedResults[0]);
  if (seed1.meta.status !== 'complete' || !seed1.finalNll) {
    throw new Error(`${dataset}: the seed-${profile.seeds[0]} run did not complete (${seed1.meta.status}); the batch constructions need its final NLL and τ`);
  }
  const orders = batchConstructions(seed1.finalNll, seed1.tau(), profile.batchSize, 1);
  const constructionResults = {} as Record<ConstructionName, (OpenRun | Pending)[]>;
  for (const name of CONSTRUCTION_NAMES) {
    constructionResults[name] = [];
    for (let r = 1; r <= profile.constructionRuns; r++) {
      const cfg = constructionRunConfig(profile, dataset, name, orders[name], r);
      constructionResults[name].push(await train(`${dataset} ${name} run ${r}`, cfg, orders[name]));
    }
  }
  const seedRuns = [seed1];
  for (const r of seedResults.slice(1)) seedRuns.push(await settle(r));
  const constructionRuns = {} as Record<ConstructionName, OpenRun[]>;
  for (const name of CONSTRUCTION_NAMES) {
    constructionRuns[name] = [];
    for (const r of constructionResults[name]) constructionRuns[name].push(await settle(r));
  }
  return { data, seedRuns, constructionRuns };
}
