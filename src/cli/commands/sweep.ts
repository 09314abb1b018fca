/**
 * Sweeps across processes and machines on a BullMQ queue (Redis): `si sweep` puts a profile's runs
 * on the queue, `si worker` (on any machine sharing the runs folder) trains them, `si sweep status`
 * and `si sweep dashboard` show where they stand. Local sweeps (`si experiments`) need no Redis.
 *
 * @example
 *   si sweep --profile quick --queue redis://10.0.0.5:6379
 *   si worker --queue redis://10.0.0.5:6379 --runs-dir /shared/runs --concurrency 2
 *   si sweep status --queue redis://10.0.0.5:6379
 */
import { spawn } from 'node:child_process';
import { Command, Option } from '@commander-js/extra-typings';
import { loadEngine } from '../../engine';
import { DATASET_NAMES } from '../../data/registry';
import { getProfile } from '../../experiments/profiles';
import { dataDir, runsDir } from '../../paths';
import { UsageError } from '../errors';
import { dataDirOption, engineOption, integer, pathValue, profileDatasetsOption, profileOption } from '../options';

const queueOption = () =>
  new Option('--queue <url>', 'the Redis server holding the queue, redis://HOST:PORT').makeOptionMandatory();

function sweepStart() {
  return new Command('start')
    .description("put a profile's runs on the queue (the default of `si sweep`), or print a SLURM script")
    .addOption(profileOption())
    .addOption(profileDatasetsOption())
    .addOption(new Option('--queue <url>', 'the Redis server holding the queue, redis://HOST:PORT'))
    .addOption(
      new Option('--print-slurm', 'no queue: print a script that submits the sweep as SLURM job arrays').default(false),
    )
    .addOption(
      new Option('--runs-dir <dir>', 'with --print-slurm: the runs folder every node shares').argParser(pathValue),
    )
    .addOption(
      new Option('--sbatch <options>', "with --print-slurm: extra options for every sbatch, e.g. '--time=2:00:00'"),
    )
    .action(async (o) => {
      const profile = getProfile(o.profile);
      const datasets = o.datasets ?? profile.datasets;
      if (o.printSlurm) {
        const { slurmScript } = await import('../../queue/slurm');
        process.stdout.write(slurmScript(profile, datasets, { runsDir: runsDir(o.runsDir), sbatch: o.sbatch }));
        return;
      }
      if (!o.queue)
        throw new UsageError('give --queue redis://HOST:PORT (or --print-slurm for a cluster without Redis)');
      const { enqueueSweep } = await import('../../queue/enqueue');
      const out = await enqueueSweep(profile, datasets, o.queue);
      console.log(
        `sweep ${profile.name} on ${o.queue}: ${out.datasets.join(', ')}; ${out.added} job(s) added ` +
          '(the batch constructions join when their seed-1 run completes). Start workers with ' +
          `\`si worker --queue ${o.queue} --runs-dir <shared runs folder>\`.`,
      );
    });
}

/** One run of a sweep's plan, without a queue: what each task of the SLURM script runs. */
function sweepRun() {
  return new Command('run')
    .description("train one run of a profile's sweep: the index-th of a stage (a SLURM array task)")
    .addOption(profileOption())
    .addOption(new Option('--dataset <name>', 'dataset').choices(DATASET_NAMES).makeOptionMandatory())
    .addOption(
      new Option('--stage <stage>', 'seeds, or constructions')
        .choices(['seeds', 'constructions'] as const)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--index <k>', 'which run of the stage, from 0').argParser(integer({ min: 0 })).makeOptionMandatory(),
    )
    .addOption(
      new Option('--runs-dir <dir>', 'runs folder (default: SI_RUNS_DIR, si.config.json, then runs/)').argParser(
        pathValue,
      ),
    )
    .addOption(dataDirOption())
    .addOption(engineOption())
    .action(async (o) => {
      const { plannedJob, jobLabel } = await import('../../queue/jobs');
      const { sweepJobData, trainSweepJob } = await import('../../queue/train-job');
      const job = plannedJob(getProfile(o.profile), o.dataset, o.stage, o.index);
      const out = await trainSweepJob(job, {
        engine: await loadEngine(o.engine),
        runsDir: runsDir(o.runsDir),
        data: sweepJobData(job, dataDir(o.dataDir)),
      });
      console.log(`${jobLabel(job)}: ${out.status}${out.cached ? ' (cached)' : ''}, run ${out.run}`);
    });
}

function sweepStatusCommand() {
  return new Command('status')
    .description('runs waiting, training (where, which epoch), completed, diverged and failed, and an ETA')
    .addOption(queueOption())
    .action(async (o) => {
      const { statusText, sweepStatus } = await import('../../queue/status');
      process.stdout.write(statusText(await sweepStatus(o.queue)));
    });
}

function sweepDashboard() {
  return new Command('dashboard')
    .description('serve the queue in a browser (bull-board)')
    .addOption(queueOption())
    .addOption(new Option('--port <n>', 'port').argParser(integer({ min: 0, max: 65535 })).default(3000))
    .addOption(new Option('--host <address>', 'interface to listen on (no login: keep it local)').default('127.0.0.1'))
    .action(async (o) => {
      const { serveDashboard } = await import('../../queue/dashboard');
      const { url } = await serveDashboard(o.queue, { port: o.port, host: o.host });
      console.log(`dashboard of ${o.queue} at ${url} (Ctrl-C stops it)`);
    });
}

export function sweepCommand() {
  return new Command('sweep')
    .description("a profile's runs on a BullMQ queue, trained by `si worker` on any machine")
    .addCommand(sweepStart(), { isDefault: true })
    .addCommand(sweepRun())
    .addCommand(sweepStatusCommand())
    .addCommand(sweepDashboard());
}

/** N worker processes, one BLAS thread each unless OPENBLAS_NUM_THREADS says otherwise; signals reach them all. */
async function spawnWorkers(count: number): Promise<void> {
  const args = process.argv.slice(1);
  const at = args.indexOf('--concurrency');
  const childArgs = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? '1' };
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [...childArgs, '--concurrency', '1'], { env, stdio: 'inherit' }),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      for (const child of children) child.kill(signal);
    });
  const codes = await Promise.all(
    children.map((c) => new Promise<number>((r) => c.on('exit', (code) => r(code ?? 1)))),
  );
  if (codes.some((c) => c !== 0)) process.exitCode = 1;
}

export function workerCommand() {
  return new Command('worker')
    .description('train sweep jobs from the queue into the shared runs folder, until stopped (SIGINT/SIGTERM)')
    .addOption(queueOption())
    .addOption(
      new Option(
        '--runs-dir <dir>',
        'runs folder every worker shares (default: SI_RUNS_DIR, si.config.json, then runs/)',
      ).argParser(pathValue),
    )
    .addOption(dataDirOption())
    .addOption(engineOption())
    .addOption(
      new Option('--concurrency <n>', 'runs trained at once: one process each, one BLAS thread each')
        .argParser(integer({ min: 1, max: 256 }))
        .default(1),
    )
    .addOption(
      new Option('--lock-seconds <s>', "a dead worker's job moves to another after about this long")
        .argParser(integer({ min: 1, max: 3600 }))
        .default(30),
    )
    .addOption(
      new Option('--epoch-pause <ms>', 'pause after each epoch (demonstrations; tests that kill a worker mid-run)')
        .argParser(integer({ min: 0, max: 600_000 }))
        .default(0),
    )
    .action(async (o) => {
      if (o.concurrency > 1) return spawnWorkers(o.concurrency);
      const { startQueueWorker } = await import('../../queue/worker');
      const engine = await loadEngine(o.engine);
      const worker = await startQueueWorker({
        url: o.queue,
        runsDir: runsDir(o.runsDir),
        dataDir: dataDir(o.dataDir),
        engine,
        lockSeconds: o.lockSeconds,
        epochPauseMs: o.epochPause,
        log: (line) => console.log(line),
      });
      console.log(
        `worker ${process.pid} on ${o.queue}: engine ${engine.name} (${engine.backend}), runs ${runsDir(o.runsDir)}`,
      );
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.once(signal, () => {
          console.log(`worker ${process.pid}: ${signal}, the run in training goes back to the queue`);
          void worker.stop();
        });
      await worker.finished;
      // Redis connections that could not close (the server gone) would keep the process alive.
      process.exit(process.exitCode ?? 0);
    });
}
