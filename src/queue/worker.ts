/**
 * `si worker`: takes sweep jobs from the queue and trains them with the cached, resumable run code
 * into the shared runs folder. After each epoch is on disk it reports it on the job (worker, epoch).
 *
 * - Stop (SIGINT, SIGTERM, or `stop()`): the run in training stops at its next chunk, its complete
 *   epochs stay on disk, and the job goes back to the queue, where any worker resumes it.
 * - Death (kill -9, a lost machine): BullMQ's lock on the job lapses after `lockSeconds`, its stalled
 *   check gives the job to another worker, and the run resumes from its last complete epoch. The
 *   run's lock file still names the dead worker; it is cleared when it names the job's last holder
 *   (BullMQ guarantees that holder lost the job), and a run held by anybody else (a local sweep on
 *   the same folder) is retried later.
 * - A diverged run completes its job with `status: 'diverged'` (a result); an error fails the job,
 *   retried up to the job's attempts, and then it stays failed with its message.
 *
 * @example
 *   const worker = await startQueueWorker({ url: 'redis://127.0.0.1:6379', runsDir: 'runs', engine });
 *   process.on('SIGTERM', () => void worker.stop());
 *   await worker.finished;
 */
import * as os from 'node:os';
import { DelayedError, Queue, WaitingError, Worker, type Job } from 'bullmq';
import type { Engine } from '../engine/types';
import { getProfile } from '../experiments/profiles';
import { runDir } from '../run/config';
import { clearRunLockOf, RunLockedError } from '../run/lock';
import type { RunData } from '../run/run-data';
import { TrainingInterrupted } from '../run/stop';
import { enqueueConstructions, queueConnection } from './enqueue';
import { isFirstSeedJob, jobLabel, jobRun, SWEEP_QUEUE, type SweepJob } from './jobs';
import { type RunJobResult, sweepJobData, trainJobRun } from './train-job';

/** How long a stop waits for the queue to take the job back. */
const STOP_GRACE_SECONDS = 20;

/** A run held outside the queue is offered again after this long. */
const BUSY_RETRY_SECONDS = 30;

export interface QueueWorkerOptions {
  readonly url: string;
  readonly runsDir: string;
  readonly dataDir?: string;
  readonly engine: Engine;
  /** How long a job's lock lasts unrenewed: a dead worker's job moves after about this long; default 30. */
  readonly lockSeconds?: number;
  /** A pause after each epoch, in ms: for demonstrations and tests of a worker's death mid-run. */
  readonly epochPauseMs?: number;
  readonly log?: (line: string) => void;
}

/** Who trains a job, as its progress names it (and as a run's lock file names the process). */
export interface JobHolder {
  readonly host: string;
  readonly pid: number;
}

/** What a run job reports while it trains: who trains it, and its epochs on disk. */
export interface RunJobProgress {
  readonly worker: JobHolder;
  readonly epoch: number;
  readonly epochs: number;
}

export interface QueueWorker {
  /** Stops taking jobs; the job in training goes back to the queue. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped. */
  readonly finished: Promise<void>;
}

export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const log = opts.log ?? (() => undefined);
  const connection = queueConnection(opts.url);
  const queue = new Queue<SweepJob>(SWEEP_QUEUE, { connection });
  const me: JobHolder = { host: os.hostname(), pid: process.pid };
  const stopping = new AbortController();
  // Every run of a dataset trains on the same samples: read once per profile and dataset.
  const dataCache = new Map<string, RunData>();
  const dataOf = (job: SweepJob): RunData => {
    const key = `${job.profile}/${job.dataset}`;
    const data = dataCache.get(key) ?? sweepJobData(job, opts.dataDir);
    dataCache.set(key, data);
    return data;
  };

  async function trainJob(job: Job<SweepJob>): Promise<RunJobResult> {
    // Resolved once: for a construction it reads the seed-1 run and builds the orders.
    const planned = jobRun(job.data, opts.runsDir);
    const { cfg } = planned;
    const train = () =>
      trainJobRun(planned, {
        engine: opts.engine,
        runsDir: opts.runsDir,
        data: dataOf(job.data),
        signal: stopping.signal,
        onEpoch: async (meta) => {
          const progress: RunJobProgress = { worker: me, epoch: meta.epochsCompleted, epochs: cfg.epochs };
          await job.updateProgress(progress as unknown as object);
          if (opts.epochPauseMs) await new Promise((resolve) => setTimeout(resolve, opts.epochPauseMs));
        },
      });
    const previous = (job.progress as Partial<RunJobProgress> | undefined)?.worker;
    await job.updateProgress({ worker: me, epoch: 0, epochs: cfg.epochs } satisfies RunJobProgress);
    try {
      return await train();
    } catch (err) {
      // The job's last holder lost it (BullMQ gave it to us): its lock file goes with it.
      if (!(err instanceof RunLockedError) || !previous || !clearRunLockOf(runDir(opts.runsDir, cfg), previous))
        throw err;
      log(`  ${jobLabel(job.data)}: cleared the lock of ${previous.host}:${previous.pid}, which lost the job`);
      return train();
    }
  }

  const worker = new Worker<SweepJob, unknown>(
    SWEEP_QUEUE,
    async (job, token) => {
      const label = jobLabel(job.data);
      const began = Date.now();
      log(`${new Date().toISOString()} ${label}: started`);
      try {
        if (job.data.kind === 'figures') {
          const { runExperiments } = await import('../experiments/run-experiments');
          const summary = await runExperiments(getProfile(job.data.profile), {
            engine: opts.engine,
            runsDir: opts.runsDir,
            dataDir: opts.dataDir,
            datasets: [job.data.dataset],
            finishedOnly: true,
            log: (line) => log(`  ${line}`),
          });
          log(`${new Date().toISOString()} ${label}: written`);
          return { datasets: summary.datasets, skipped: summary.skipped.map((s) => s.notice) };
        }
        const out = await trainJob(job);
        if (isFirstSeedJob(job.data) && out.status === 'complete')
          await enqueueConstructions(queue, getProfile(job.data.profile), job.data.dataset, job.data.slot);
        log(
          `${new Date().toISOString()} ${label}: ${out.status}${out.cached ? ' (cached)' : ''} ` +
            `in ${((Date.now() - began) / 1000).toFixed(1)} s`,
        );
        return out;
      } catch (err) {
        if (err instanceof TrainingInterrupted) {
          // Stopped here: back to the queue, where a worker resumes it from its last complete epoch.
          log(`${new Date().toISOString()} ${label}: back to the queue (${err.message})`);
          await job.moveToWait(token);
          throw new WaitingError();
        }
        if (err instanceof RunLockedError) {
          // Held by a process outside the queue (a local sweep on the same folder): tried again later.
          log(`${new Date().toISOString()} ${label}: ${err.message}; retried in ${BUSY_RETRY_SECONDS} s`);
          await job.moveToDelayed(Date.now() + BUSY_RETRY_SECONDS * 1000, token);
          throw new DelayedError();
        }
        log(`${new Date().toISOString()} ${label}: failed: ${(err as Error).message}`);
        throw err;
      }
    },
    {
      connection,
      concurrency: 1,
      lockDuration: (opts.lockSeconds ?? 30) * 1000,
      stalledInterval: (opts.lockSeconds ?? 30) * 1000,
      // A run outlives several dead workers before its job is called failed.
      maxStalledCount: 5,
    },
  );
  worker.on('error', (err) => log(`queue error: ${err.message}`));
  queue.on('error', (err) => log(`queue error: ${err.message}`));
  await worker.waitUntilReady();
  let resolveFinished: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });
  const stop = async () => {
    stopping.abort('a stop request');
    // Handing the job back needs Redis; when it does not answer, stop anyway: the run is consistent
    // on disk, and the job moves to another worker when its lock lapses.
    const closed = Promise.all([worker.close(), queue.close()]).then(() => true);
    const timeout = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(false), STOP_GRACE_SECONDS * 1000).unref(),
    );
    if (!(await Promise.race([closed, timeout])))
      log(`the queue did not answer within ${STOP_GRACE_SECONDS} s; stopping without handing the job back`);
    resolveFinished();
  };
  return { stop, finished };
}
