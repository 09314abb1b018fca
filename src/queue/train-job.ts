/**
 * Trains the run a sweep job names, with the cached, resumable run code: what a queue worker
 * (./worker.ts) and a SLURM array task (`si sweep run`, ./slurm.ts) both do. A diverged run is a
 * result, returned as such; anything else that goes wrong is thrown.
 *
 * @example
 *   const job = plannedJob(getProfile('smoke'), 'mnist', 'seeds', 0);
 *   const out = await trainSweepJob(job, { engine, runsDir: 'runs', data: sweepJobData(job) });
 *   out.status;   // 'complete'
 */
import type { Engine } from '../engine/types';
import { seedRunConfig } from '../experiments/plan';
import { getProfile } from '../experiments/profiles';
import type { RunMeta } from '../run/record';
import { loadRunData, type RunData } from '../run/run-data';
import { DivergenceError, type RunOutcome, trainRun } from '../run/train';
import { type JobRun, jobRun, type SweepJob } from './jobs';

/** What a run job returns: a diverged run is a result, not a failure. */
export interface RunJobResult {
  readonly run: string;
  readonly status: 'complete' | 'diverged';
  readonly epochs: number;
  readonly cached: boolean;
  readonly testError?: number;
  readonly message?: string;
}

/** The samples every run of the job's profile and dataset trains on. */
export function sweepJobData(job: SweepJob, dataDir?: string): RunData {
  const profile = getProfile(job.profile);
  return loadRunData(seedRunConfig(profile, job.dataset, profile.seeds[0]!), dataDir);
}

export interface TrainSweepJobOptions {
  readonly engine: Engine;
  readonly runsDir: string;
  readonly data: RunData;
  readonly signal?: AbortSignal;
  /** After each epoch is on disk (trainRun's onEpoch). */
  readonly onEpoch?: (meta: RunMeta) => void | Promise<void>;
}

function result(outcome: RunOutcome, status: RunJobResult['status']): RunJobResult {
  const { meta } = outcome;
  return {
    run: meta.key,
    status,
    epochs: meta.epochsCompleted,
    cached: outcome.cached,
    testError: meta.metrics[meta.metrics.length - 1]?.testError,
    message: meta.divergence?.message,
  };
}

export function trainSweepJob(job: SweepJob, opts: TrainSweepJobOptions): Promise<RunJobResult> {
  return trainJobRun(jobRun(job, opts.runsDir), opts);
}

/** Trains a job's run as jobRun resolved it (a caller that needs its config resolves it once). */
export async function trainJobRun({ cfg, fixedOrder }: JobRun, opts: TrainSweepJobOptions): Promise<RunJobResult> {
  const { data } = opts;
  try {
    const outcome = await trainRun(cfg, {
      engine: opts.engine,
      train: data.train,
      test: data.test,
      classes: data.classes,
      runsDir: opts.runsDir,
      fixedOrder,
      signal: opts.signal,
      onEpoch: opts.onEpoch,
    });
    return result(outcome, 'complete');
  } catch (err) {
    if (err instanceof DivergenceError) return result(err.outcome, 'diverged');
    throw err;
  }
}
