/**
 * The on-disk run record, owned by this module alone (format documented in README.md, "Run
 * record"): the file names, the run.json schema and its version check, and the eNNN.npy naming of
 * per-epoch files. run.json plus .npy arrays that numpy reads without this project. Epoch rows are
 * written in place and then run.json is replaced atomically, so `epochsCompleted` only ever counts
 * rows fully on disk.
 *
 * @example
 *   const rec = RunRecord.open('runs/mnist-abc', meta, train);   // creates or reopens
 *   rec.writeEpochRows(0, order, epochRecord);
 *   rec.saveMeta();
 *   readRunMeta('runs/mnist-abc')?.status;   // 'running'
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDir, writeFileAtomic } from '../io/atomic';
import { readNpy, writeNpy } from '../io/npy';
import { NpyEpochFile } from '../io/npy-epochs';
import type { EpochRecord } from '../engine/types';
import { trainedSize, type RunConfig } from './config';

/**
 * The run.json schema this version writes. Version 2 added margin.npy and el2n.npy; version-1
 * records are read (without them) and resumed as version 1, so one record never mixes the two.
 */
export const SCHEMA_VERSION = 2;

/** The schema versions readRunMeta accepts. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

/** The first schema version that records margin.npy and el2n.npy. */
export const SCORES_SCHEMA_VERSION = 2;

/** The files of a run folder (README.md, "Run record"). */
export const RECORD_FILES = {
  meta: 'run.json',
  trainIndices: 'train_indices.npy',
  /** Positions whose training label was flipped (config.labelNoise). */
  flipped: 'flipped.npy',
  order: 'order.npy',
  importance: 'importance.npy',
  nll: 'nll.npy',
  correct: 'correct.npy',
  margin: 'margin.npy',
  el2n: 'el2n.npy',
  finalNll: 'final_nll.npy',
  /** Parameter snapshots, one eNNN.npy per epoch kept. */
  params: 'params',
  /** β of every sample at a snapshot's parameters (the stability protocol's checkpoint reading). */
  snapshotImportance: 'snapshot_importance',
  lock: 'lock',
} as const;

/** 'e005.npy': the name of epoch 5's file in a per-epoch folder. */
export function epochFileName(epoch: number): string {
  return `e${String(epoch).padStart(3, '0')}.npy`;
}

/** params/eNNN.npy of the run in `dir`: the parameters after `epoch` (0: initial). */
export function snapshotFile(dir: string, epoch: number): string {
  return path.join(dir, RECORD_FILES.params, epochFileName(epoch));
}

/** snapshot_importance/eNNN.npy of the run in `dir`: float32 [n, D] β at snapshot `epoch`. */
export function snapshotImportanceFile(dir: string, epoch: number): string {
  return path.join(dir, RECORD_FILES.snapshotImportance, epochFileName(epoch));
}

/**
 * The run.json of the run in `dir`, or undefined when the folder holds no run. A file that is not
 * JSON, or a record of a schema version this code does not read, is an error naming the file.
 */
export function readRunMeta(dir: string): RunMeta | undefined {
  const file = path.join(dir, RECORD_FILES.meta);
  if (!fs.existsSync(file)) return undefined;
  let meta: Partial<RunMeta> | null;
  try {
    meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RunMeta> | null;
  } catch (err) {
    throw new Error(
      `${file} is not a readable run record (${(err as Error).message}); remove the run folder to train it again`,
    );
  }
  if (!READABLE_SCHEMA_VERSIONS.includes(meta?.schemaVersion as number)) {
    throw new Error(
      `${file} is a run record of schema version ${String(meta?.schemaVersion ?? 'none')}; ` +
        `this version of sample-importance reads versions ${READABLE_SCHEMA_VERSIONS.join(' and ')} ` +
        '(use the version that wrote it, or remove the run folder to train it again)',
    );
  }
  return meta as RunMeta;
}

export type RunStatus = 'running' | 'complete' | 'diverged';

export interface EpochMetrics {
  /** 0 is the initial model; t is the model after epoch t. */
  epoch: number;
  trainLoss: number;
  trainError: number;
  testLoss: number;
  testError: number;
  /** Wall time of this epoch's training steps (0 for epoch 0). */
  trainSeconds: number;
  /**
   * The engine that trained this epoch, with its backend ('native (openblas 0.3.34 SkylakeX (1 thread))');
   * absent in older records.
   */
  engine?: string;
}

export interface RunMeta {
  schemaVersion: number;
  key: string;
  status: RunStatus;
  config: RunConfig;
  engine: { name: string; backend: string; package: string; node: string };
  layers: { name: string; fanIn: number; fanOut: number; params: number }[];
  paramCount: number;
  epochsCompleted: number;
  metrics: EpochMetrics[];
  /** Epochs with a file params/eNNN.npy. */
  snapshots: number[];
  /**
   * Set when a step produced a non-finite loss: the epoch (from 1), the samples of it trained when
   * that was found, the position in the epoch's order of the first sample with a non-finite loss
   * (absent when only the full-set loss after the epoch was), and what was kept.
   */
  divergence: { epoch: number; samplesSeen: number; position?: number; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

export class RunRecord {
  private readonly importance: NpyEpochFile;
  private readonly nll: NpyEpochFile;
  private readonly correct: NpyEpochFile;
  private readonly order: NpyEpochFile;
  /** Absent in version-1 records. */
  private readonly margin?: NpyEpochFile;
  private readonly el2n?: NpyEpochFile;

  private constructor(
    readonly dir: string,
    public meta: RunMeta,
  ) {
    const { epochs } = meta.config;
    const trainSize = trainedSize(meta.config);
    const layers = meta.layers.length;
    this.importance = NpyEpochFile.open(this.file(RECORD_FILES.importance), 'float32', epochs, [trainSize, layers]);
    this.nll = NpyEpochFile.open(this.file(RECORD_FILES.nll), 'float32', epochs, [trainSize]);
    this.correct = NpyEpochFile.open(this.file(RECORD_FILES.correct), 'uint8', epochs, [trainSize]);
    this.order = NpyEpochFile.open(this.file(RECORD_FILES.order), 'int32', epochs, [trainSize]);
    if (meta.schemaVersion >= SCORES_SCHEMA_VERSION) {
      this.margin = NpyEpochFile.open(this.file(RECORD_FILES.margin), 'float32', epochs, [trainSize]);
      this.el2n = NpyEpochFile.open(this.file(RECORD_FILES.el2n), 'float32', epochs, [trainSize]);
    }
  }

  /**
   * Starts a new record (writing train_indices.npy) or reopens an unfinished one. The caller holds
   * the run's lock, so temporary files left by a process killed mid-write are removed here (not the
   * lock's own, which other processes may be writing right now).
   */
  static open(dir: string, meta: RunMeta, train: { indices: Int32Array; flipped?: Int32Array }): RunRecord {
    makeDir(path.join(dir, RECORD_FILES.params));
    for (const folder of [dir, path.join(dir, RECORD_FILES.params)]) {
      for (const name of fs.readdirSync(folder)) {
        if (name.endsWith('.tmp') && !name.startsWith(`${RECORD_FILES.lock}.`))
          fs.rmSync(path.join(folder, name), { force: true });
      }
    }
    const existing = readRunMeta(dir);
    const record = new RunRecord(dir, existing ?? meta);
    if (!existing) {
      writeNpy(record.file(RECORD_FILES.trainIndices), train.indices, [train.indices.length]);
      if (train.flipped) writeNpy(record.file(RECORD_FILES.flipped), train.flipped, [train.flipped.length]);
      record.saveMeta();
    }
    return record;
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  saveMeta(): void {
    this.meta.updatedAt = new Date().toISOString();
    writeFileAtomic(this.file(RECORD_FILES.meta), `${JSON.stringify(this.meta, null, 2)}\n`);
  }

  /** Writes epoch t's rows (t counted from 0). run.json is saved by the caller afterwards. */
  writeEpochRows(epoch: number, order: Int32Array, rec: EpochRecord): void {
    this.importance.writeEpoch(epoch, rec.importance);
    this.nll.writeEpoch(epoch, rec.nll);
    this.correct.writeEpoch(epoch, rec.correct);
    this.margin?.writeEpoch(epoch, rec.margin);
    this.el2n?.writeEpoch(epoch, rec.el2n);
    this.order.writeEpoch(epoch, order);
  }

  /** Epoch t's rows as recorded (t counted from 0): those every schema version has. */
  readEpochRows(epoch: number): {
    order: Int32Array;
    record: Pick<EpochRecord, 'importance' | 'nll' | 'correct'>;
  } {
    return {
      order: this.order.readEpoch(epoch) as Int32Array,
      record: {
        importance: this.importance.readEpoch(epoch) as Float32Array,
        nll: this.nll.readEpoch(epoch) as Float32Array,
        correct: this.correct.readEpoch(epoch) as Uint8Array,
      },
    };
  }

  snapshotPath(epoch: number): string {
    return snapshotFile(this.dir, epoch);
  }

  writeSnapshot(epoch: number, params: Float32Array): void {
    writeNpy(this.snapshotPath(epoch), params, [params.length]);
    if (!this.meta.snapshots.includes(epoch)) this.meta.snapshots.push(epoch);
  }

  /** The parameters after `epoch`, kept so an interrupted run resumes from there. */
  checkpointPath(epoch: number): string {
    return this.file(`checkpoint-${epochFileName(epoch)}`);
  }

  writeCheckpoint(epoch: number, params: Float32Array): void {
    writeNpy(this.checkpointPath(epoch), params, [params.length]);
  }

  readCheckpoint(epoch: number): Float32Array {
    const file = fs.existsSync(this.checkpointPath(epoch)) ? this.checkpointPath(epoch) : this.snapshotPath(epoch);
    return readNpy(file).data as Float32Array;
  }

  /** Removes checkpoints other than `keep` (after run.json moved past them). */
  pruneCheckpoints(keep: number | null): void {
    for (const name of fs.readdirSync(this.dir)) {
      if (/^checkpoint-e\d+\.npy$/.test(name) && (keep === null || this.file(name) !== this.checkpointPath(keep))) {
        fs.rmSync(this.file(name));
      }
    }
  }

  writeFinalNll(nll: Float32Array): void {
    writeNpy(this.file(RECORD_FILES.finalNll), nll, [nll.length]);
  }
}
