/**
 * `si sweep`: a profile's runs on a BullMQ queue, one flow per dataset (see ./jobs.ts): the figure
 * data job waits for the seed runs, and the seed-1 job adds the constructions when it completes.
 * A run job that keeps failing (after `RUN_ATTEMPTS`) stays failed with its error, and its parent
 * goes on without it; a diverged run is a completed job whose result says so.
 *
 * @example
 *   const added = await enqueueSweep(getProfile('quick'), ['mnist', 'cifar10'], 'redis://127.0.0.1:6379');
 */
import { FlowProducer, Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { DatasetName } from '../data/registry';
import type { Profile } from '../experiments/profiles';
import { constructionJobs, figuresJob, jobId, type PlannedJob, seedJobs, SWEEP_QUEUE, type SweepJob } from './jobs';

/** A failed run job is retried this many times in all, 30 s apart at first (doubling). */
export const RUN_ATTEMPTS = 3;

/** The connection for `redis://host:port[/db]` (BullMQ needs maxRetriesPerRequest null on workers). */
export function queueConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`--queue '${url}' is not a URL; give redis://HOST:PORT`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new RangeError(`--queue '${url}' is not a Redis URL; give redis://HOST:PORT`);
  return { url, maxRetriesPerRequest: null };
}

/** Options of a run job: its id, priority and retries, and that its parent goes on if it fails for good. */
export function runJobOptions(job: PlannedJob): JobsOptions {
  return {
    jobId: jobId(job.data),
    priority: job.priority,
    attempts: RUN_ATTEMPTS,
    backoff: { type: 'exponential', delay: 30_000 },
    ignoreDependencyOnFailure: true,
  };
}

export interface EnqueuedSweep {
  /** Datasets whose flow was added. */
  readonly datasets: DatasetName[];
  /** Jobs added now (a job already on the queue, finished or not, is not added again). */
  readonly added: number;
}

export async function enqueueSweep(
  profile: Profile,
  datasets: readonly DatasetName[],
  url: string,
): Promise<EnqueuedSweep> {
  const connection = queueConnection(url);
  const flows = new FlowProducer({ connection });
  const queue = new Queue<SweepJob>(SWEEP_QUEUE, { connection });
  try {
    let added = 0;
    for (const [slot, dataset] of datasets.entries()) {
      const figures = figuresJob(profile, dataset, slot);
      const seeds = seedJobs(profile, dataset, slot);
      for (const job of [figures, ...seeds]) if (!(await queue.getJob(jobId(job.data)))) added++;
      await flows.add({
        name: 'figures',
        queueName: SWEEP_QUEUE,
        data: figures.data,
        opts: { jobId: jobId(figures.data), priority: figures.priority },
        children: seeds.map((job) => ({
          name: 'run',
          queueName: SWEEP_QUEUE,
          data: job.data,
          opts: runJobOptions(job),
        })),
      });
    }
    return { datasets: [...datasets], added };
  } finally {
    await flows.close();
    await queue.close();
  }
}

/** The construction jobs of the seed-1 job's dataset, added as children of its figure-data job. */
export async function enqueueConstructions(
  queue: Queue<SweepJob>,
  profile: Profile,
  dataset: DatasetName,
  slot: number,
): Promise<void> {
  const figures = jobId(figuresJob(profile, dataset, slot).data);
  await queue.addBulk(
    constructionJobs(profile, dataset, slot).map((job) => ({
      name: 'run',
      data: job.data,
      opts: { ...runJobOptions(job), parent: { id: figures, queue: queue.qualifiedName } },
    })),
  );
}
