/**
 * Sweeps on a real queue: a Redis server of the test's own, the smoke profile's MNIST sweep put on
 * it with `si sweep`, three `si worker` processes, and one of them killed with SIGKILL in the middle
 * of a run. Every run completes once, the killed run resumes on another worker, and every record is
 * byte-identical to a single-process sweep's (`si experiments`); timings aside. A job that keeps
 * failing ends failed with its error, in `si sweep status` too.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Queue, type Job } from 'bullmq';
import { datasetAvailable } from '../../src/data/locate';
import { getProfile } from '../../src/experiments/profiles';
import { projectRoot } from '../../src/paths';
import { serveDashboard } from '../../src/queue/dashboard';
import { queueConnection } from '../../src/queue/enqueue';
import { jobId, jobLabel, SWEEP_QUEUE, type SweepJob } from '../../src/queue/jobs';
import { statusText, sweepStatus } from '../../src/queue/status';
import type { RunJobResult } from '../../src/queue/train-job';
import type { RunJobProgress } from '../../src/queue/worker';
import { REDIS_SERVER, startRedis, type RedisServer } from '../support/redis';
import { tempDir } from '../support/tmp';

const CLI = path.join(projectRoot(), 'dist', 'cli', 'main.js');
const missing = !REDIS_SERVER
  ? 'no redis-server (apt-get install redis-server)'
  : !datasetAvailable('mnist')
    ? 'MNIST is not in the data directory (set SI_DATA_DIR)'
    : !fs.existsSync(CLI) && 'the CLI is not built (make build)';
const smoke = getProfile('smoke');

/** 3 seeds, 2 own-order seeds, 7 constructions × 2 runs. */
const RUNS = smoke.seeds.length + (smoke.seeds.length - 1) + 7 * smoke.constructionRuns;

let redis: RedisServer | undefined;
const workers: ChildProcess[] = [];

test.after(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await redis?.stop();
});

function env(figures: string): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: '1', SI_FIGURE_DATA_DIR: figures };
}

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** run.json without what differs between two trainings of the same run: when, and how long. */
function comparableMeta(file: string): unknown {
  const meta = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete meta.createdAt;
  delete meta.updatedAt;
  for (const m of meta.metrics) delete m.trainSeconds;
  return meta;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('three workers, one killed mid-run: every run completes once, records identical to one process', {
  skip: missing,
  timeout: 600_000,
}, async () => {
  const work = tempDir('si-queue-');
  const reference = path.join(work, 'reference');
  const shared = path.join(work, 'shared');
  execFileSync(
    process.execPath,
    [CLI, 'experiments', '--profile', 'smoke', '--datasets', 'mnist', '--out', reference],
    {
      env: env(path.join(work, 'figures-reference')),
      stdio: 'ignore',
    },
  );

  redis = await startRedis();
  execFileSync(process.execPath, [CLI, 'sweep', '--profile', 'smoke', '--datasets', 'mnist', '--queue', redis.url], {
    env: env(path.join(work, 'figures-queue')),
    stdio: 'ignore',
  });
  const logs: string[] = ['', '', ''];
  for (let k = 0; k < 3; k++) {
    // Short job locks, so that the dead worker's job moves within seconds; a pause after each epoch,
    // so that a smoke run (a fraction of a second) lasts long enough to be killed in the middle.
    const w = spawn(
      process.execPath,
      [CLI, 'worker', '--queue', redis.url, '--runs-dir', shared, '--lock-seconds', '2', '--epoch-pause', '150'],
      { env: env(path.join(work, 'figures-queue')), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    w.stdout?.on('data', (c: Buffer) => {
      logs[k] += c.toString();
    });
    w.stderr?.on('data', (c: Buffer) => {
      logs[k] += c.toString();
    });
    workers.push(w);
  }

  const queue = new Queue<SweepJob>(SWEEP_QUEUE, { connection: queueConnection(redis.url) });
  try {
    // Kill the worker of the first run seen between its first and last epoch.
    let killed: { id: string; pid: number; epoch: number; at: number } | undefined;
    const deadline = Date.now() + 120_000;
    while (!killed && Date.now() < deadline) {
      for (const job of (await queue.getJobs(['active'])) as Job<SweepJob>[]) {
        const p = job.progress as Partial<RunJobProgress>;
        const worker = workers.find((w) => w.pid === p.worker?.pid);
        if (job.data.kind !== 'figures' && worker && p.epoch && p.epochs && p.epoch < p.epochs) {
          worker.kill('SIGKILL');
          killed = { id: job.id!, pid: worker.pid!, epoch: p.epoch, at: Date.now() };
          break;
        }
      }
      await sleep(25);
    }
    assert.ok(killed, 'a worker was caught in the middle of a run');

    const figuresId = jobId({ kind: 'figures', profile: 'smoke', dataset: 'mnist', slot: 0 });
    while ((await (await queue.getJob(figuresId))?.getState()) !== 'completed') {
      assert.ok(Date.now() < deadline + 240_000, `the sweep finished: ${statusText(await sweepStatus(redis.url))}`);
      await sleep(200);
    }

    const runs = ((await queue.getJobs(['completed'])) as Job<SweepJob>[]).filter((j) => j.data.kind !== 'figures');
    assert.equal(runs.length, RUNS, 'every run completed');
    assert.equal(new Set(runs.map((j) => j.id)).size, RUNS, 'each once');
    assert.equal((await queue.getJobs(['failed'])).length, 0, 'no job failed');

    const moved = (await queue.getJob(killed.id))!;
    const holder = (moved.progress as RunJobProgress).worker.pid;
    assert.notEqual(holder, killed.pid, 'another worker finished the killed run');
    assert.ok((moved.processedOn ?? 0) > killed.at, 'it was taken up again after the kill');
    const result = moved.returnvalue as RunJobResult;
    assert.equal(result.status, 'complete');
    // Resumed, not begun again: the record the killed worker created (its epochs on disk) went on.
    const record = JSON.parse(fs.readFileSync(path.join(shared, result.run, 'run.json'), 'utf8'));
    assert.ok(Date.parse(record.createdAt) < killed.at, 'the run resumed from the record begun before the kill');
    const resumedBy = logs.find((l) => l.includes(`${jobLabel(moved.data)}: started`) && !l.includes(`${killed.pid}`));
    assert.ok(resumedBy, 'a living worker logged taking it up');
    console.log(
      `killed worker ${killed.pid} at epoch ${killed.epoch} of ${jobLabel(moved.data)}; ` +
        `its job moved after ${((moved.processedOn! - killed.at) / 1000).toFixed(1)} s and completed on ${holder}`,
    );

    // Byte for byte: every array and snapshot; run.json but for timings.
    // (The single-process sweep also trains the profile's benchmark runs, which the queue does not.)
    const queued = fs.readdirSync(shared).filter((d) => d.startsWith('mnist-'));
    assert.equal(queued.length, RUNS);
    for (const run of queued) {
      assert.ok(fs.existsSync(path.join(reference, run)), `${run} is a run of the single-process sweep`);
      const [a, b] = [path.join(reference, run), path.join(shared, run)];
      assert.deepEqual(files(b), files(a), `${run}: the same files`);
      for (const f of files(a)) {
        if (f === 'run.json') assert.deepEqual(comparableMeta(path.join(b, f)), comparableMeta(path.join(a, f)), run);
        else assert.ok(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f))), `${run}/${f}`);
      }
    }

    // A job that cannot succeed (its seed-1 run is not trained) fails after its attempts, visibly.
    const doomed: SweepJob = {
      kind: 'construction',
      profile: 'smoke',
      dataset: 'cifar10',
      slot: 1,
      construction: 'Rand',
      run: 1,
    };
    await queue.add('run', doomed, { jobId: jobId(doomed), attempts: 2, backoff: 100 });
    let state = '';
    while (state !== 'failed') {
      assert.ok(Date.now() < deadline + 300_000, `the doomed job failed (state ${state})`);
      await sleep(200);
      state = (await (await queue.getJob(jobId(doomed)))?.getState()) ?? '';
    }
    const failed = (await queue.getJob(jobId(doomed)))!;
    assert.equal(failed.attemptsMade, 2);
    assert.match(failed.failedReason, /needs the seed-1 run's final NLL and τ/);
    assert.match(
      statusText(await sweepStatus(redis.url)),
      /failed: cifar10 Rand run 1: cifar10 Rand run 1 needs the seed-1/,
    );

    // The dashboard serves the queue's counts, the failed job among them.
    const { server, url } = await serveDashboard(redis.url, { port: 0 });
    try {
      const api = (await (await fetch(`${url}api/queues?activeQueue=${SWEEP_QUEUE}&status=failed&page=1`)).json()) as {
        queues: { name: string; counts: Record<string, number> }[];
      };
      const counts = api.queues.find((q) => q.name === SWEEP_QUEUE)?.counts;
      assert.equal(counts?.failed, 1);
      assert.equal(counts?.completed, RUNS + 1, 'the runs and the figure-data job');
      assert.match(await (await fetch(url)).text(), /<title>Bull Dashboard<\/title>/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await queue.close();
  }

  // SIGTERM: the living workers stop and exit.
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');
  for (const w of workers)
    if (w.exitCode === null && w.signalCode === null) await new Promise((resolve) => w.once('exit', resolve));
});

test('si sweep run (a SLURM array task) trains the run of its index, constructions after seed 1', {
  skip: !datasetAvailable('mnist')
    ? 'MNIST is not in the data directory (set SI_DATA_DIR)'
    : !fs.existsSync(CLI) && 'the CLI is not built',
  timeout: 120_000,
}, () => {
  const runs = tempDir('si-sweep-run-');
  const task = (stage: string, index: number) =>
    spawnSync(
      process.execPath,
      [
        CLI,
        'sweep',
        'run',
        '--profile',
        'smoke',
        '--dataset',
        'mnist',
        '--stage',
        stage,
        '--index',
        String(index),
        '--runs-dir',
        runs,
      ],
      { env: env(path.join(runs, 'figures')), encoding: 'utf8' },
    );
  const early = task('constructions', 0);
  assert.notEqual(early.status, 0);
  assert.match(early.stderr, /mnist Rand run 1 needs the seed-1 run's final NLL and τ/);
  assert.match(task('seeds', 0).stdout, /^mnist seed 1: complete, run mnist-/);
  const rand = task('constructions', 0);
  assert.match(rand.stdout, /^mnist Rand run 1: complete, run (mnist-[0-9a-f]+)/);
  const key = /run (mnist-[0-9a-f]+)/.exec(rand.stdout)![1]!;
  assert.equal(JSON.parse(fs.readFileSync(path.join(runs, key, 'run.json'), 'utf8')).config.order.name, 'Rand');
});
