/**
 * Trains the runs of a sweep one after another on shared data, so that several workers can share
 * one runs folder: a run another worker holds is skipped and handed back as `Pending`, to be
 * settled (waited for, then opened) once the worker has gone through every other run.
 * A diverged run is a result, opened like a complete one.
 *
 * @example
 *   const sweep = new SweepTrainer(data, opts, 38);
 *   const r = await sweep.train('mnist seed 2', cfg);   // OpenRun, or Pending while another worker holds it
 *   const run = await settle(r);
 */
import type { Engine } from '../engine/types';
import { openRun, type OpenRun } from '../run/open-run';
import { resolveRunConfig, runDir, type RunConfig } from '../run/config';
import { RunLockedError } from '../run/lock';
import { readRunMeta } from '../run/record';
import type { RunData } from '../run/run-data';
import { DivergenceError, trainRun, type TrainProgress } from '../run/train';

export interface SweepOptions {
  /** Trains the runs; not needed with finishedOnly. */
  engine?: Engine;
  runsDir: string;
  dataDir?: string;
  /** Told before each run starts: its label and place in the sweep. */
  onRunStart?: (label: string, index: number, total: number) => void;
  onProgress?: (p: TrainProgress) => void;
  /** Told when a run ends: cached, complete or diverged (with the message). */
  onRunEnd?: (label: string, outcome: { status: string; cached: boolean; message?: string }) => void;
  /** Told when another worker holds a run: this one goes on with the next and comes back to it. */
  onRunBusy?: (label: string, message: string) => void;
  /** How often to look again at runs other workers hold (ms). */
  pollMs?: number;
  /** Train nothing: runs that are not finished on disk (complete or diverged) are left out. */
  finishedOnly?: boolean;
  /** Resume runs begun on another engine or thread count (see TrainOptions.allowEngineChange). */
  allowEngineChange?: boolean;
  /** Stops the run in training, as SIGINT does (see TrainOptions.signal). */
  signal?: AbortSignal;
}

/** A run that another worker is training. */
export interface Pending {
  settle(): Promise<OpenRun>;
}

/** What `train` hands back: the run, a run another worker holds, or nothing (finishedOnly, not finished). */
export type SweepResult = OpenRun | Pending | null;

export function settle(r: OpenRun | Pending): Promise<OpenRun>;
export function settle(r: SweepResult): Promise<OpenRun | null>;
export function settle(r: SweepResult): Promise<OpenRun | null> {
  return r && 'settle' in r ? r.settle() : Promise.resolve(r);
}

/** The settled runs of a list, leaving out those not finished. */
export async function settleAll(results: SweepResult[]): Promise<OpenRun[]> {
  const runs: OpenRun[] = [];
  for (const r of results) {
    const run = await settle(r);
    if (run) runs.push(run);
  }
  return runs;
}

export class SweepTrainer {
  private index = 0;

  constructor(
    private readonly data: RunData,
    private readonly opts: SweepOptions,
    private readonly total: number,
    /** The data's sampleIdentity when it is not the dataset's published files: added to every run's config. */
    private readonly dataIdentity?: string,
  ) {}

  async train(label: string, planned: RunConfig, fixedOrder?: Int32Array): Promise<SweepResult> {
    const cfg = this.dataIdentity ? resolveRunConfig({ ...planned, data: this.dataIdentity }) : planned;
    if (this.opts.finishedOnly) return finishedRun(runDir(this.opts.runsDir, cfg));
    this.opts.onRunStart?.(label, ++this.index, this.total);
    try {
      return await this.attempt(label, cfg, fixedOrder);
    } catch (err) {
      if (!(err instanceof RunLockedError)) throw err;
      this.opts.onRunBusy?.(label, err.message);
      return { settle: () => this.whenFree(label, cfg, fixedOrder) };
    }
  }

  private async whenFree(label: string, cfg: RunConfig, fixedOrder?: Int32Array): Promise<OpenRun> {
    for (;;) {
      try {
        return await this.attempt(label, cfg, fixedOrder);
      } catch (err) {
        if (!(err instanceof RunLockedError)) throw err;
        await new Promise((resolve) => setTimeout(resolve, this.opts.pollMs ?? 10_000));
      }
    }
  }

  private async attempt(label: string, cfg: RunConfig, fixedOrder?: Int32Array): Promise<OpenRun> {
    const { engine, runsDir, onProgress, onRunEnd, allowEngineChange, signal } = this.opts;
    if (!engine) throw new Error(`${label} is not finished and no engine was given to train it`);
    const { train, test, classes } = this.data;
    try {
      const out = await trainRun(cfg, {
        engine,
        train,
        test,
        classes,
        runsDir,
        fixedOrder,
        onProgress,
        allowEngineChange,
        signal,
      });
      onRunEnd?.(label, { status: out.meta.status, cached: out.cached, message: out.meta.divergence?.message });
      return openRun(out.dir);
    } catch (err) {
      if (!(err instanceof DivergenceError)) throw err;
      onRunEnd?.(label, { status: 'diverged', cached: false, message: err.message });
      return openRun(err.outcome.dir);
    }
  }
}

/** Whether a run's status is a result: complete, or diverged (kept, shown as such). */
export function isFinishedStatus(status: string | undefined): boolean {
  return status === 'complete' || status === 'diverged';
}

/** Whether the run in `dir` is finished, from its record alone (opening a run reads its arrays). */
export function isFinished(dir: string): boolean {
  return isFinishedStatus(readRunMeta(dir)?.status);
}

function finishedRun(dir: string): OpenRun | null {
  return isFinished(dir) ? openRun(dir) : null;
}

export interface FinishedOrTrainedOptions {
  /** Said before training starts, e.g. 'cifar10 NLO, run 2'. */
  label: string;
  runsDir: string;
  /** Both needed to train; without them only a finished run is returned. */
  engine?: Engine;
  data?: RunData;
  fixedOrder?: Int32Array;
  /** The positions of a subset run (config.subset). */
  subset?: Int32Array;
  onProgress?: (p: TrainProgress) => void;
  log?: (line: string) => void;
}

/**
 * The finished run of `cfg` (complete, or diverged: a result either way), trained first when it is
 * unfinished and an engine and data are given; null when it stays unfinished: nothing to train
 * with (finishedOnly), or another worker holds it (said through `log`, and left to that worker).
 * For sweeps beside a profile's own, which skip a busy run instead of waiting for it.
 */
export async function finishedOrTrained(cfg: RunConfig, opts: FinishedOrTrainedOptions): Promise<OpenRun | null> {
  const dir = runDir(opts.runsDir, cfg);
  const finished = finishedRun(dir);
  if (finished || !opts.engine || !opts.data) return finished;
  const log = opts.log ?? (() => undefined);
  log(opts.label);
  try {
    const { train, test, classes } = opts.data;
    await trainRun(cfg, {
      engine: opts.engine,
      train,
      test,
      classes,
      runsDir: opts.runsDir,
      fixedOrder: opts.fixedOrder,
      subset: opts.subset,
      onProgress: opts.onProgress,
    });
  } catch (err) {
    if (err instanceof RunLockedError) {
      log(`  skipped for now: ${err.message}`);
      return null;
    }
    if (!(err instanceof DivergenceError)) throw err;
    log(`  diverged: ${err.message}`);
  }
  return openRun(dir);
}
