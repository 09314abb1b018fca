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
import type { OpenRun } from '../run/open-run';
import { loadRunData, type RunData } from '../run/run-data';
import { constructionRunConfig, seedRunConfig } from './plan';
import type { Profile } from './profiles';
import { settle, SweepTrainer, type Pending, type SweepOptions } from './sweep-trainer';

export interface ProfileRuns {
  readonly data: RunData;
  /** Initialisation seeds in profile order, all on order seed 1; the first is "seed 1". */
  readonly seedRuns: OpenRun[];
  /**
   * The stability protocol's variant (profiles with `stabilityVariants`): each initialisation seed
   * with its own data order (order seed = seed); seed 1's run is the same as in seedRuns.
   */
  readonly ownOrderSeedRuns?: OpenRun[];
  readonly constructionRuns: Record<ConstructionName, OpenRun[]>;
}

export type TrainRunsOptions = SweepOptions;

export async function trainProfileRuns(profile: Profile, dataset: DatasetName, opts: TrainRunsOptions): Promise<ProfileRuns> {
  const data = loadRunData(seedRunConfig(profile, dataset, profile.seeds[0]), opts.dataDir);
  const [firstSeed, ...otherSeeds] = profile.seeds;
  const variantSeeds = profile.stabilityVariants ? otherSeeds : [];
  const sweep = new SweepTrainer(data, opts, profile.seeds.length + variantSeeds.length + CONSTRUCTION_NAMES.length * profile.constructionRuns);

  const seedResults: (OpenRun | Pending)[] = [];
  for (const seed of profile.seeds) seedResults.push(await sweep.train(`${dataset} seed ${seed}`, seedRunConfig(profile, dataset, seed)));
  const seed1 = await settle(seedResults[0]);
  if (seed1.meta.status !== 'complete' || !seed1.finalNll) {
    throw new Error(`${dataset}: the seed-${firstSeed} run did not complete (${seed1.meta.status}); the batch constructions need its final NLL and τ`);
  }
  const orders = batchConstructions(seed1.finalNll, seed1.tau(), profile.batchSize, 1);
  const constructionResults = {} as Record<ConstructionName, (OpenRun | Pending)[]>;
  for (const name of CONSTRUCTION_NAMES) {
    constructionResults[name] = [];
    for (let r = 1; r <= profile.constructionRuns; r++) {
      const cfg = constructionRunConfig(profile, dataset, name, orders[name], r);
      constructionResults[name].push(await sweep.train(`${dataset} ${name} run ${r}`, cfg, orders[name]));
    }
  }
  const variantResults: (OpenRun | Pending)[] = [];
  for (const seed of variantSeeds) {
    variantResults.push(await sweep.train(`${dataset} seed ${seed}, order seed ${seed}`, seedRunConfig(profile, dataset, seed, seed)));
  }

  const seedRuns = [seed1];
  for (const r of seedResults.slice(1)) seedRuns.push(await settle(r));
  const constructionRuns = {} as Record<ConstructionName, OpenRun[]>;
  for (const name of CONSTRUCTION_NAMES) {
    constructionRuns[name] = [];
    for (const r of constructionResults[name]) constructionRuns[name].push(await settle(r));
  }
  const ownOrderSeedRuns = profile.stabilityVariants ? [seed1] : undefined;
  for (const r of variantResults) ownOrderSeedRuns?.push(await settle(r));
  return { data, seedRuns, ownOrderSeedRuns, constructionRuns };
}
