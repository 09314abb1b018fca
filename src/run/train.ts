/**
 * Trains one run and records it: per-sample β, NLL and correctness at each sample's own step,
 * full-set metrics after every epoch, parameter snapshots. Cached under the config's hash:
 * a finished run is returned as is, an interrupted one resumes after its last completed epoch.
 * A non-finite loss stops the run with status 'diverged' and keeps everything recorded so far.
 * SIGINT, SIGTERM or the caller's AbortSignal stop it within about a second, resumable (./stop.ts).
 *
 * @example
 *   const { train, test, classes } = loadRunData(cfg);
 *   const outcome = await trainRun(cfg, { engine: await loadEngine('auto'), train, test, classes, runsDir: 'runs' });
 *   console.log(outcome.dir, outcome.meta.status);
 */
import { newEpochRecord, type Engine, type EpochRecord, type EvalResult, type TrainData } from '../engine/types';
import { initParams } from '../model/init';
import { layerSlices, paramCount, type ModelSpec } from '../model/spec';
import { runModelSpec } from './model-spec';
import { runDir, runKey, type RunConfig } from './config';
import { checkFixedOrder, epochOrder } from './order';
import { subsetRows } from './subset';
import { acquireRunLock, clearStaleRunLock } from './lock';
import { StopRequests, TrainingInterrupted } from './stop';
import { readRunMeta, RunRecord, SCHEMA_VERSION, type EpochMetrics, type RunMeta } from './record';
import { packageVersion } from '../version';

export interface LabelledSplit extends TrainData {
  /** [height, width, channels] of each sample, when they are images (a DataPart's); conv models need it. */
  readonly shape?: readonly [number, number, number];
  /** Indices into the dataset's official split, for provenance. */
  readonly indices: Int32Array;
  /** Positions whose label was flipped (config.labelNoise); saved with the run as flipped.npy. */
  readonly flipped?: Int32Array;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  /** Samples trained in this session so far, and still to train. */
  samplesDone: number;
  samplesTotal: number;
  samplesPerSecond: number;
  etaSeconds: number;
  lastMetrics?: EpochMetrics;
}

export interface TrainOptions {
  engine: Engine;
  train: LabelledSplit;
  test: TrainData;
  /** Number of classes (labels lie in [0, classes)). */
  classes: number;
  runsDir: string;
  /** Required when config.order.kind is 'fixed': positions into train, visited every epoch. */
  fixedOrder?: Int32Array;
  /**
   * Required when config.subset is set: the positions of `train` to train on, ascending, each once.
   * A fixed order then visits positions of the subset.
   */
  subset?: Int32Array;
  onProgress?: (p: TrainProgress) => void;
  /** Called (and awaited) after each epoch is on disk, with the record's metadata as saved. */
  onEpoch?: (meta: RunMeta) => void | Promise<void>;
  /** Stops the run at the next chunk, as SIGINT and SIGTERM do (see ./stop.ts). */
  signal?: AbortSignal;
  /**
   * Samples per engine call (rounded to whole batches); smaller means finer progress, divergence
   * checks and stops. Default 1000: well under a second per call on either engine.
   */
  chunkSamples?: number;
  /**
   * Resume a run begun on another engine or BLAS thread count. Off by default: two float32
   * trajectories part ways within a few steps, so the record would mix them (each epoch's
   * metrics name the engine that trained it).
   */
  allowEngineChange?: boolean;
}

export interface RunOutcome {
  dir: string;
  meta: RunMeta;
  /** True when the run was already complete on disk and nothing was trained. */
  cached: boolean;
}

export class DivergenceError extends Error {
  constructor(readonly outcome: RunOutcome) {
    super(outcome.meta.divergence?.message ?? 'run diverged');
  }
}

/** The engine and backend that train `spec` (Engine.backendFor), as a record names them. */
export function trainerOf(engine: Engine, spec: ModelSpec): { name: string; backend: string } {
  return { name: engine.name, backend: engine.backendFor?.(spec) ?? engine.backend };
}

/** How a record names an engine: its name and backend (BLAS, its kernel, and threads). */
export function engineLabel(engine: { name: string; backend: string }): string {
  return `${engine.name} (${engine.backend})`;
}

/** OpenBLAS's kernel in a native backend ('openblas 0.3.34 SkylakeX (1 thread)'), after the version. */
const KERNEL_WORD = /(?<=^\S+ \d+\.\d+\.\d+) \S+(?= \(|,|$)/;

/**
 * Whether a run recorded on `before` may resume on `now`: the same label, or a label recorded before
 * backends named OpenBLAS's kernel ('native (openblas 0.3.34 (1 thread))'), which any kernel resumes.
 */
export function resumesOn(before: string, now: { name: string; backend: string }): boolean {
  return (
    before === engineLabel(now) || before === engineLabel({ ...now, backend: now.backend.replace(KERNEL_WORD, '') })
  );
}

function metricsOf(
  engine: { name: string; backend: string },
  epoch: number,
  train: EvalResult,
  test: EvalResult,
  trainSeconds: number,
): EpochMetrics {
  return {
    epoch,
    engine: engineLabel(engine),
    trainLoss: train.loss,
    trainError: train.error,
    testLoss: test.loss,
    testError: test.error,
    trainSeconds,
  };
}

export async function trainRun(cfg: RunConfig, options: TrainOptions): Promise<RunOutcome> {
  const { test } = options;
  if (options.train.n !== cfg.trainSize)
    throw new RangeError(`train split has ${options.train.n} samples but config.trainSize is ${cfg.trainSize}`);
  if (test.n !== cfg.testSize)
    throw new RangeError(`test split has ${test.n} samples but config.testSize is ${cfg.testSize}`);
  const opts = cfg.subset ? { ...options, train: subsetRows(options.train, cfg.subset, options.subset) } : options;
  const { train } = opts;
  if (cfg.labelNoise && !train.flipped)
    throw new Error('the run config asks for label noise but the training labels given are clean (use loadRunData)');
  if (cfg.order.kind === 'fixed') checkFixedOrder(opts.fixedOrder ?? new Int32Array(0), train.n);
  // A network that does not fit the samples is refused before its run folder exists.
  runModelSpec(cfg, train, opts.classes);

  const dir = runDir(opts.runsDir, cfg);
  const existing = readRunMeta(dir);
  if (existing && existing.status !== 'running' && (existing.status === 'diverged' || wantsSnapshots(cfg, existing))) {
    clearStaleRunLock(dir);
    return { dir, meta: existing, cached: true };
  }
  const stop = new StopRequests(opts.signal);
  let interrupted: TrainingInterrupted | undefined;
  try {
    const lock = acquireRunLock(dir);
    try {
      return await trainLocked(cfg, opts, dir, readRunMeta(dir), stop);
    } catch (err) {
      if (err instanceof TrainingInterrupted) interrupted = err;
      throw err;
    } finally {
      lock.release();
    }
  } finally {
    stop.dispose(() => interrupted?.message ?? `${dir}: ${stop.reason} arrived as the run ended`);
  }
}

/** Trains (or resumes) the run in `dir`, whose lock the caller holds; `existing` is read under the lock. */
async function trainLocked(
  cfg: RunConfig,
  opts: TrainOptions,
  dir: string,
  existing: RunMeta | undefined,
  stop: StopRequests,
): Promise<RunOutcome> {
  const { engine, train, test } = opts;
  if (existing && existing.status !== 'running' && (existing.status === 'diverged' || wantsSnapshots(cfg, existing))) {
    // Another worker finished it between our first look and taking the lock.
    return { dir, meta: existing, cached: true };
  }
  if (existing?.status === 'complete') return addSnapshots(cfg, opts, dir, existing, stop);

  const spec = runModelSpec(cfg, train, opts.classes);
  const trainer = trainerOf(engine, spec);
  const key = runKey(cfg);
  const slices = layerSlices(spec);
  const now = new Date().toISOString();
  const record = RunRecord.open(
    dir,
    existing ?? {
      schemaVersion: SCHEMA_VERSION,
      key,
      status: 'running',
      config: cfg,
      engine: { ...trainer, package: packageVersion(), node: process.version },
      layers: slices.map((s) => ({ name: s.name, fanIn: s.fanIn, fanOut: s.fanOut, params: s.count })),
      paramCount: paramCount(spec),
      epochsCompleted: 0,
      metrics: [],
      snapshots: [],
      divergence: null,
      createdAt: now,
      updatedAt: now,
    },
    train,
  );
  const meta = record.meta;
  const before = engineLabel(meta.engine);
  if (meta.epochsCompleted > 0 && !resumesOn(before, trainer) && !opts.allowEngineChange) {
    throw new Error(
      `${dir} was trained up to epoch ${meta.epochsCompleted} on ${before}; resuming it on ${engineLabel(trainer)} ` +
        'would mix two float32 trajectories, which part ways within a few steps. Resume with the same engine, ' +
        'BLAS kernel (OPENBLAS_CORETYPE) and threads (OPENBLAS_NUM_THREADS), or pass --allow-engine-change ' +
        'to continue anyway (each epoch records its engine)',
    );
  }
  meta.engine = { ...trainer, package: packageVersion(), node: process.version };

  const start = meta.epochsCompleted;
  const params = start === 0 ? initParams(spec, cfg.seed, cfg.init.output) : record.readCheckpoint(start);
  const model = engine.createModel(spec, params);
  try {
    if (start === 0) {
      meta.metrics = [metricsOf(trainer, 0, model.evaluate(train), model.evaluate(test), 0)];
      record.writeSnapshot(0, model.getParams());
      record.saveMeta();
    }
    const hyper = { lr: cfg.lr, weightDecay: cfg.weightDecay, batchSize: cfg.batchSize, importance: true };
    const chunk = Math.max(1, Math.round((opts.chunkSamples ?? 1000) / cfg.batchSize)) * cfg.batchSize;
    const samplesTotal = (cfg.epochs - start) * train.n;
    const began = Date.now();
    let samplesDone = 0;
    let lastFinalEval: EvalResult | undefined;

    for (let epoch = start; epoch < cfg.epochs; epoch++) {
      const order = epochOrder(cfg.order, cfg.orderSeed, epoch, train.n, opts.fixedOrder);
      const rec = newEpochRecord(train.n, slices.length);
      const epochBegan = Date.now();
      for (let from = 0; from < train.n; from += chunk) {
        const part = order.subarray(from, Math.min(train.n, from + chunk));
        model.trainBatches(train, part, hyper, rec);
        samplesDone += part.length;
        const bad = firstNonFinite(rec, part, slices.length);
        if (bad !== undefined) {
          record.writeEpochRows(epoch, order, rec);
          meta.status = 'diverged';
          const position = from + bad;
          meta.divergence = {
            epoch: epoch + 1,
            samplesSeen: from + part.length,
            position,
            message:
              `training diverged in epoch ${epoch + 1}: sample ${part[bad]} (train position) had a non-finite loss ` +
              `or importance in batch ${Math.floor(position / cfg.batchSize) + 1} of the epoch ` +
              `(found after ${from + part.length} of ${train.n} samples); ` +
              `${epoch} complete epochs and this epoch's partial rows are kept in ${dir}. ` +
              `Try a smaller --lr (now ${cfg.lr}).`,
          };
          record.saveMeta();
          throw new DivergenceError({ dir, meta, cached: false });
        }
        const elapsed = (Date.now() - began) / 1000;
        const rate = samplesDone / Math.max(elapsed, 1e-9);
        opts.onProgress?.({
          epoch: epoch + 1,
          epochs: cfg.epochs,
          samplesDone,
          samplesTotal,
          samplesPerSecond: rate,
          etaSeconds: (samplesTotal - samplesDone) / rate,
          lastMetrics: meta.metrics[meta.metrics.length - 1],
        });
        // Let the event loop run between chunks, so a stop request (Ctrl-C, a kernel interrupt) is seen.
        await new Promise((resolve) => setImmediate(resolve));
        const reason = stop.reason;
        if (reason) throw new TrainingInterrupted(dir, meta.epochsCompleted, cfg.epochs, reason);
      }
      const trainSeconds = (Date.now() - epochBegan) / 1000;
      lastFinalEval = model.evaluate(train);
      const metrics = metricsOf(trainer, epoch + 1, lastFinalEval, model.evaluate(test), trainSeconds);

      const current = model.getParams();
      record.writeEpochRows(epoch, order, rec);
      const isLast = epoch + 1 === cfg.epochs;
      if (isLast || (cfg.snapshotEvery > 0 && (epoch + 1) % cfg.snapshotEvery === 0))
        record.writeSnapshot(epoch + 1, current);
      if (isLast) record.writeFinalNll(lastFinalEval.nll);
      else record.writeCheckpoint(epoch + 1, current);
      meta.metrics.push(metrics);
      meta.epochsCompleted = epoch + 1;
      if (isLast) meta.status = 'complete';
      record.saveMeta();
      record.pruneCheckpoints(isLast ? null : epoch + 1);
      await opts.onEpoch?.(meta);
      if (!Number.isFinite(metrics.trainLoss)) {
        meta.status = 'diverged';
        meta.divergence = {
          epoch: epoch + 1,
          samplesSeen: train.n,
          message:
            `training diverged after epoch ${epoch + 1}: the full-set training loss is ${metrics.trainLoss}; ` +
            `the record up to this epoch is kept in ${dir}. ` +
            `Try a smaller --lr (now ${cfg.lr}).`,
        };
        record.saveMeta();
        throw new DivergenceError({ dir, meta, cached: false });
      }
    }
    return { dir, meta, cached: false };
  } finally {
    model.dispose();
  }
}

/** Whether two typed arrays hold the same bytes. */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * A complete run asked for parameter snapshots it does not have: its epochs are replayed from the
 * nearest earlier snapshot, each replayed epoch must reproduce the recorded rows bit for bit (the
 * same engine and threads do; another may part ways within a few steps), and the snapshots asked
 * for are kept. A replay that does not reproduce the record stops with how to get the snapshots.
 */
async function addSnapshots(
  cfg: RunConfig,
  opts: TrainOptions,
  dir: string,
  meta: RunMeta,
  stop: StopRequests,
): Promise<RunOutcome> {
  const { engine, train } = opts;
  const missing = snapshotEpochs(cfg).filter((e) => !meta.snapshots.includes(e));
  const from = Math.max(...meta.snapshots.filter((e) => e < Math.min(...missing)));
  const until = Math.max(...missing);
  const record = RunRecord.open(dir, meta, train);
  const spec = runModelSpec(cfg, train, opts.classes);
  const model = engine.createModel(spec, record.readCheckpoint(from));
  const hyper = { lr: cfg.lr, weightDecay: cfg.weightDecay, batchSize: cfg.batchSize, importance: true };
  try {
    for (let epoch = from; epoch < until; epoch++) {
      const order = epochOrder(cfg.order, cfg.orderSeed, epoch, train.n, opts.fixedOrder);
      const rec = newEpochRecord(train.n, meta.layers.length);
      model.trainBatches(train, order, hyper, rec);
      await new Promise((resolve) => setImmediate(resolve));
      // The record is complete: stopping here only leaves the later snapshots for next time.
      const reason = stop.reason;
      if (reason) throw new TrainingInterrupted(dir, meta.epochsCompleted, cfg.epochs, reason);
      const stored = record.readEpochRows(epoch);
      const same =
        sameBytes(order, stored.order) &&
        (['importance', 'nll', 'correct'] as const).every((k) => sameBytes(rec[k], stored.record[k]));
      if (!same) {
        throw new Error(
          `${dir} lacks the parameter snapshots of epochs ${missing.join(', ')}, and replaying epoch ${epoch + 1} ` +
            `from its epoch-${from} snapshot on ${engineLabel(trainerOf(engine, spec))} does not reproduce ` +
            'the recorded rows bit ' +
            `for bit (it was trained on ${engineLabel(meta.engine)}); add them on that engine and thread ` +
            `count, or remove ${dir} and train it again with --snapshot-every ${cfg.snapshotEvery}`,
        );
      }
      if (missing.includes(epoch + 1)) record.writeSnapshot(epoch + 1, model.getParams());
    }
  } finally {
    model.dispose();
  }
  record.meta.snapshots.sort((a, b) => a - b);
  record.meta.config.snapshotEvery = cfg.snapshotEvery;
  record.saveMeta();
  return { dir, meta: record.meta, cached: false };
}

function wantsSnapshots(cfg: RunConfig, meta: RunMeta): boolean {
  return snapshotEpochs(cfg).every((e) => meta.snapshots.includes(e));
}

/** Epochs whose snapshot the config asks for: 0, every k-th, and the last. */
export function snapshotEpochs(cfg: RunConfig): number[] {
  const out = new Set<number>([0, cfg.epochs]);
  if (cfg.snapshotEvery > 0) for (let e = cfg.snapshotEvery; e <= cfg.epochs; e += cfg.snapshotEvery) out.add(e);
  return [...out].sort((a, b) => a - b);
}

/**
 * Where in `part` (an epoch's order, or a slice of it) the first sample with a non-finite loss or
 * β is: β overflows about a batch before the loss does.
 */
function firstNonFinite(rec: EpochRecord, part: Int32Array, layers: number): number | undefined {
  for (let k = 0; k < part.length; k++) {
    const i = part[k]!;
    if (!Number.isFinite(rec.nll[i]!)) return k;
    for (let d = 0; d < layers; d++) if (!Number.isFinite(rec.importance[i * layers + d]!)) return k;
  }
  return undefined;
}
