/** Sweeps on a BullMQ queue (Redis) across processes and machines: see ./jobs.ts for the plan. */
export { enqueueSweep, queueConnection, RUN_ATTEMPTS } from './enqueue';
export { jobId, jobLabel, SWEEP_QUEUE, type SweepJob } from './jobs';
export { serveDashboard } from './dashboard';
export { statusText, sweepStatus, type SweepStatus } from './status';
export { slurmScript } from './slurm';
export { plannedJob } from './jobs';
export { type RunJobResult, trainSweepJob } from './train-job';
export { startQueueWorker, type QueueWorker } from './worker';
