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
import { loadRunData, sampleIdentity, type RunData } from '../run/run-data';
import { constructionRunConfig, seedRunConfig } from './plan';
import type { Profile } from './profiles';
import { settle, settleAll, SweepTrainer, type SweepOptions, type SweepResult } from './sweep-trainer';

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

/** With `finishedOnly`, the lists hold only the runs finished on disk, possibly fewer than the profile's. */
export interface TrainRunsOptions extends SweepOptions {
  /**
   * The samples to train on instead of the dataset's first trainSize / testSize (tests use small
   * synthetic sets). Their content hash goes into every run's config (RunConfig.data), so these runs
   * never share a folder with runs on the published data.
   */
  data?: RunData;
}

export async function trainProfileRuns(
  profile: Profile,
  dataset: DatasetName,
  opts: TrainRunsOptions,
): Promise<ProfileRuns> {
  const data = opts.data ?? loadRunData(seedRunConfig(profile, dataset, profile.seeds[0]), opts.dataDir);
  const [firstSeed, ...otherSeeds] = profile.seeds;
  const variantSeeds = profile.stabilityVariants ? otherSeeds : [];
  const sweep = new SweepTrainer(
    data,
    opts,
    profile.seeds.length + variantSeeds.length + CONSTRUCTION_NAMES.length * profile.constructionRuns,
    opts.data && sampleIdentity(opts.data),
  );

  // Seeds first (every figure needs seed 1), then their own-order variants, then the
  // constructions run by run, so that a sweep stopped part-way leaves every construction with as
  // many runs as the others.
  const seedResults: SweepResult[] = [];
  for (const seed of profile.seeds)
    seedResults.push(await sweep.train(`${dataset} seed ${seed}`, seedRunConfig(profile, dataset, seed)));
  const seed1 = await settle(seedResults[0] ?? null);
  if (seed1?.meta.status !== 'complete' || !seed1.finalNll) {
    const state = seed1 ? seed1.meta.status : 'not trained';
    throw new Error(
      `${dataset}: the seed-${firstSeed} run is ${state}; ` +
        `every figure and the batch constructions need its final NLL and τ`,
    );
  }
  const variantResults: SweepResult[] = [];
  for (const seed of variantSeeds) {
    variantResults.push(
      await sweep.train(`${dataset} seed ${seed}, order seed ${seed}`, seedRunConfig(profile, dataset, seed, seed)),
    );
  }
  const orders = batchConstructions(seed1.finalNll, seed1.tau(), profile.batchSize, 1);
  const constructionResults = Object.fromEntries(
    CONSTRUCTION_NAMES.map((name) => [name, [] as SweepResult[]]),
  ) as Record<ConstructionName, SweepResult[]>;
  for (let r = 1; r <= profile.constructionRuns; r++) {
    for (const name of CONSTRUCTION_NAMES) {
      const cfg = constructionRunConfig(profile, dataset, name, orders[name], r);
      constructionResults[name].push(await sweep.train(`${dataset} ${name} run ${r}`, cfg, orders[name]));
    }
  }

  const seedRuns = [seed1, ...(await settleAll(seedResults.slice(1)))];
  const ownOrderSeedRuns = profile.stabilityVariants ? [seed1, ...(await settleAll(variantResults))] : undefined;
  const constructionRuns = {} as Record<ConstructionName, OpenRun[]>;
  for (const name of CONSTRUCTION_NAMES) constructionRuns[name] = await settleAll(constructionResults[name]);
  return { data, seedRuns, ownOrderSeedRuns, constructionRuns };
}
