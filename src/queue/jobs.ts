/**
 * A profile's sweep as queue jobs: what each job is (JSON any worker can act on), its id, its
 * priority, and the run it trains. The dependencies are a BullMQ flow per dataset (./enqueue.ts):
 * the dataset's figure-data job is the parent of its seed runs, and the seed-1 job, once trained,
 * adds the batch-construction jobs (whose orders come from its final NLL and τ) as further children
 * of that parent. Priorities keep the order of a local sweep: dataset by dataset, seeds, then their
 * own-order variants, then the constructions run by run.
 *
 * @example
 *   const jobs = seedJobs(getProfile('smoke'), 'mnist', 0);   // seeds 1–3, then own-order seeds 2–3 (slot 0)
 *   jobId(jobs[0].data);                                      // 'smoke/mnist/seed-1-order-1'
 */
import { batchConstructions, CONSTRUCTION_NAMES, type ConstructionName } from '../analysis/batch-constructions';
import type { DatasetName } from '../data/registry';
import { constructionRunConfig, seedRunConfig } from '../experiments/plan';
import { getProfile, type Profile } from '../experiments/profiles';
import { runDir, type RunConfig } from '../run/config';
import { openRun } from '../run/open-run';
import { readRunMeta } from '../run/record';

/** The queue every sweep shares; jobs of different profiles and datasets differ by id. */
export const SWEEP_QUEUE = 'si-sweep';

/** `slot`: the dataset's place in its sweep, which sets its jobs' priorities. */
interface JobBase {
  profile: string;
  dataset: DatasetName;
  slot: number;
}

export type SweepJob =
  | (JobBase & { kind: 'seed'; seed: number; orderSeed: number })
  | (JobBase & { kind: 'construction'; construction: ConstructionName; run: number })
  | (JobBase & { kind: 'figures' });

/** A job's id: unique per profile, dataset and run, so that enqueueing a sweep twice adds nothing twice. */
export function jobId(job: SweepJob): string {
  const base = `${job.profile}/${job.dataset}`;
  if (job.kind === 'seed') return `${base}/seed-${job.seed}-order-${job.orderSeed}`;
  if (job.kind === 'construction') return `${base}/${job.construction}-run-${job.run}`;
  return `${base}/figures`;
}

/** What a person reads in logs and the status: 'mnist seed 2, order seed 2', 'cifar10 RSIO run 3'. */
export function jobLabel(job: SweepJob): string {
  if (job.kind === 'seed')
    return `${job.dataset} seed ${job.seed}${job.orderSeed === 1 ? '' : `, order seed ${job.orderSeed}`}`;
  if (job.kind === 'construction') return `${job.dataset} ${job.construction} run ${job.run}`;
  return `${job.dataset} figure data`;
}

/** Slots of priority per dataset (BullMQ: 1 runs first); a dataset's jobs stay within its slot. */
const PER_DATASET = 1000;

export interface PlannedJob {
  readonly data: SweepJob;
  readonly priority: number;
}

/** The seed runs (seed 1 first) and, for profiles with stability variants, the other seeds' own-order runs. */
export function seedJobs(profile: Profile, dataset: DatasetName, slot: number): PlannedJob[] {
  const base = 1 + slot * PER_DATASET;
  const [, ...otherSeeds] = profile.seeds;
  const seeds = profile.seeds.map((seed, k) => ({
    data: { kind: 'seed', profile: profile.name, dataset, slot, seed, orderSeed: 1 } as const,
    priority: base + k,
  }));
  const variants = (profile.stabilityVariants ? otherSeeds : []).map((seed, k) => ({
    data: { kind: 'seed', profile: profile.name, dataset, slot, seed, orderSeed: seed } as const,
    priority: base + 10 + k,
  }));
  return [...seeds, ...variants];
}

/** The figure-data job: after every run of its dataset. */
export function figuresJob(profile: Profile, dataset: DatasetName, slot: number): PlannedJob {
  return {
    data: { kind: 'figures', profile: profile.name, dataset, slot },
    priority: slot * PER_DATASET + PER_DATASET,
  };
}

/** Every construction × its runs, run by run. */
export function constructionJobs(profile: Profile, dataset: DatasetName, slot: number): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  for (let run = 1; run <= profile.constructionRuns; run++) {
    CONSTRUCTION_NAMES.forEach((construction, k) => {
      jobs.push({
        data: { kind: 'construction', profile: profile.name, dataset, slot, construction, run },
        priority: 1 + slot * PER_DATASET + 100 + (run - 1) * CONSTRUCTION_NAMES.length + k,
      });
    });
  }
  return jobs;
}

export type SweepStage = 'seeds' | 'constructions';

/** The `index`-th job of a stage of a dataset's sweep (a SLURM array task's run). */
export function plannedJob(profile: Profile, dataset: DatasetName, stage: SweepStage, index: number): SweepJob {
  const jobs = stage === 'seeds' ? seedJobs(profile, dataset, 0) : constructionJobs(profile, dataset, 0);
  const job = jobs[index];
  if (!job)
    throw new RangeError(
      `the ${profile.name} profile has ${jobs.length} ${stage} runs per dataset ` +
        `(index 0–${jobs.length - 1}), not ${index}`,
    );
  return job.data;
}

/** The seed-1 job: the one whose completion adds the constructions. */
export function isFirstSeedJob(job: SweepJob): boolean {
  if (job.kind !== 'seed') return false;
  return job.seed === getProfile(job.profile).seeds[0] && job.orderSeed === 1;
}

export interface JobRun {
  readonly cfg: RunConfig;
  /** The construction's order, every epoch (construction jobs). */
  readonly fixedOrder?: Int32Array;
}

/**
 * The run a run job trains. A construction's order is built from the seed-1 run's record, exactly
 * as a local sweep builds it; the flow only starts constructions after that run completed.
 */
export function jobRun(job: SweepJob, runsDir: string): JobRun {
  const profile = getProfile(job.profile);
  if (job.kind === 'seed') return { cfg: seedRunConfig(profile, job.dataset, job.seed, job.orderSeed) };
  if (job.kind === 'figures') throw new Error(`${jobId(job)} trains no run`);
  const firstDir = runDir(runsDir, seedRunConfig(profile, job.dataset, profile.seeds[0]!));
  const status = readRunMeta(firstDir)?.status;
  if (status !== 'complete')
    throw new Error(
      `${jobLabel(job)} needs the seed-${profile.seeds[0]} run's final NLL and τ, but ${firstDir} is ` +
        `${status ?? 'not there'} (is --runs-dir the folder the other workers share?)`,
    );
  const seed1 = openRun(firstDir);
  if (!seed1.finalNll) throw new Error(`${firstDir} is complete but has no final NLL (final_nll.npy)`);
  const order = batchConstructions(seed1.finalNll, seed1.tau(), profile.batchSize, 1)[job.construction];
  return { cfg: constructionRunConfig(profile, job.dataset, job.construction, order, job.run), fixedOrder: order };
}
