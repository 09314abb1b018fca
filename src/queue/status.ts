/**
 * `si sweep status`: per profile and dataset, how many runs wait, train (where, at which epoch),
 * completed (and how many of those diverged) or failed (with the error), and an ETA from the runs
 * trained so far. The constructions join the queue when their dataset's seed-1 run completes;
 * until then they count as waiting, "not yet queued".
 *
 * @example
 *   console.log(statusText(await sweepStatus('redis://127.0.0.1:6379')));
 */
import { Queue, type Job } from 'bullmq';
import { CONSTRUCTION_NAMES } from '../analysis/batch-constructions';
import type { DatasetName } from '../data/registry';
import { getProfile } from '../experiments/profiles';
import { formatDuration } from '../run/progress-text';
import { queueConnection } from './enqueue';
import { jobLabel, seedJobs, SWEEP_QUEUE, type SweepJob } from './jobs';
import type { RunJobResult } from './train-job';
import type { RunJobProgress } from './worker';

export interface DatasetStatus {
  /** 'profile/dataset'. */
  readonly sweep: string;
  readonly waiting: number;
  /** Of `waiting`: constructions not on the queue yet (their seed-1 run is not complete). */
  readonly notQueued: number;
  readonly active: { label: string; worker: string; epoch: number; epochs: number }[];
  readonly completed: number;
  readonly diverged: number;
  readonly failed: { label: string; error: string }[];
  /** The figure-data job: 'waiting for runs', 'waiting', 'active', 'completed', 'failed'. */
  readonly figures: string;
}

export interface SweepStatus {
  readonly datasets: DatasetStatus[];
  /** Workers training now (distinct host:pid). */
  readonly workers: number;
  /** Mean wall time of a run trained (not cached) so far, in seconds; undefined before the first. */
  readonly secondsPerRun?: number;
  /** Runs left (waiting, or the unfinished part of active ones) × secondsPerRun / workers. */
  readonly etaSeconds?: number;
}

const STATES = ['waiting', 'prioritized', 'delayed', 'waiting-children', 'active', 'completed', 'failed'] as const;

/** The run jobs a dataset's sweep has once its seed-1 run added the constructions. */
function plannedRuns(profile: string, dataset: DatasetName): number {
  const p = getProfile(profile);
  return seedJobs(p, dataset, 0).length + CONSTRUCTION_NAMES.length * p.constructionRuns;
}

export async function sweepStatus(url: string): Promise<SweepStatus> {
  const queue = new Queue<SweepJob>(SWEEP_QUEUE, { connection: queueConnection(url) });
  try {
    const byState = await Promise.all(
      STATES.map(async (state) => ({ state, jobs: (await queue.getJobs([state], 0, -1)) as Job<SweepJob>[] })),
    );
    const groups = new Map<
      string,
      { profile: string; dataset: DatasetName; jobs: { state: string; job: Job<SweepJob> }[] }
    >();
    for (const { state, jobs } of byState) {
      for (const job of jobs) {
        if (!job?.data) continue;
        const key = `${job.data.profile}/${job.data.dataset}`;
        const group = groups.get(key) ?? { profile: job.data.profile, dataset: job.data.dataset, jobs: [] };
        group.jobs.push({ state, job });
        groups.set(key, group);
      }
    }
    const workers = new Set<string>();
    const durations: number[] = [];
    let remaining = 0;
    const datasets: DatasetStatus[] = [];
    for (const [sweep, { profile, dataset, jobs }] of [...groups.entries()].sort()) {
      const runs = jobs.filter(({ job }) => job.data.kind !== 'figures');
      const figures = jobs.find(({ job }) => job.data.kind === 'figures');
      const active = runs
        .filter(({ state }) => state === 'active')
        .map(({ job }) => {
          const p = job.progress as Partial<RunJobProgress>;
          const worker = p.worker ? `${p.worker.host}:${p.worker.pid}` : '?';
          workers.add(worker);
          return { label: jobLabel(job.data), worker, epoch: p.epoch ?? 0, epochs: p.epochs ?? 0 };
        });
      const completed = runs.filter(({ state }) => state === 'completed');
      for (const { job } of completed) {
        const out = job.returnvalue as RunJobResult | undefined;
        if (!out?.cached && job.processedOn && job.finishedOn)
          durations.push((job.finishedOn - job.processedOn) / 1000);
      }
      const notQueued = Math.max(0, plannedRuns(profile, dataset) - runs.length);
      const waiting =
        runs.filter(({ state }) => ['waiting', 'prioritized', 'delayed'].includes(state)).length + notQueued;
      remaining += waiting + active.reduce((s, a) => s + (a.epochs ? 1 - a.epoch / a.epochs : 1), 0);
      datasets.push({
        sweep,
        waiting,
        notQueued,
        active,
        completed: completed.length,
        diverged: completed.filter(({ job }) => (job.returnvalue as RunJobResult | undefined)?.status === 'diverged')
          .length,
        failed: runs
          .filter(({ state }) => state === 'failed')
          .map(({ job }) => ({ label: jobLabel(job.data), error: job.failedReason ?? 'unknown error' })),
        figures: !figures ? 'not queued' : figures.state === 'waiting-children' ? 'waiting for runs' : figures.state,
      });
    }
    const secondsPerRun = durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : undefined;
    const etaSeconds =
      secondsPerRun !== undefined && workers.size > 0 ? (remaining * secondsPerRun) / workers.size : undefined;
    return { datasets, workers: workers.size, secondsPerRun, etaSeconds };
  } finally {
    await queue.close();
  }
}

export function statusText(status: SweepStatus): string {
  if (status.datasets.length === 0)
    return 'the queue holds no sweep (start one with `si sweep --profile P --queue URL`)\n';
  const lines: string[] = [];
  for (const d of status.datasets) {
    lines.push(
      `${d.sweep}: ${d.completed} completed (${d.diverged} diverged), ${d.active.length} active, ` +
        `${d.waiting} waiting${d.notQueued ? ` (${d.notQueued} not yet queued)` : ''}, ${d.failed.length} failed; ` +
        `figure data: ${d.figures}`,
    );
    for (const a of d.active) lines.push(`  active: ${a.label} on ${a.worker}, epoch ${a.epoch} of ${a.epochs} done`);
    for (const f of d.failed) lines.push(`  failed: ${f.label}: ${f.error}`);
  }
  lines.push(
    status.etaSeconds !== undefined
      ? `ETA ${formatDuration(status.etaSeconds)} (${status.workers} worker(s) training, ` +
          `${formatDuration(status.secondsPerRun ?? 0)} per run so far)`
      : `ETA unknown (${status.workers} worker(s) training, no run trained yet)`,
  );
  return `${lines.join('\n')}\n`;
}
