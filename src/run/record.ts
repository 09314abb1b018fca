/**
 * The on-disk run record (format documented in README.md, "Run record"): run.json plus .npy
 * arrays that numpy reads without this project. Epoch rows are written in place and then
 * run.json is replaced atomically, so `epochsCompleted` only ever counts rows fully on disk.
 *
 * @example
 *   const rec = RunRecord.open('runs/mnist-abc', meta);   // creates or reopens
 *   rec.writeEpoch(0, order, record);
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../io/atomic';
import { readNpy, writeNpy } from '../io/npy';
import { NpyEpochFile } from '../io/npy-epochs';
import type { EpochRecord } from '../engine/types';
import type { RunConfig } from './config';

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

  private constructor(readonly dir: string, public meta: RunMeta) {
    const { epochs, trainSize } = meta.config;
    const layers = meta.layers.length;
    this.importance = NpyEpochFile.open(this.file('importance.npy'), 'float32', epochs, [trainSize, layers]);
    this.nll = NpyEpochFile.open(this.file('nll.npy'), 'float32', epochs, [trainSize]);
    this.correct = NpyEpochFile.open(this.file('correct.npy'), 'uint8', epochs, [trainSize]);
    this.order = NpyEpochFile.open(this.file('order.npy'), 'int32', epochs, [trainSize]);
  }

  /** Reads run.json, or returns undefined when the folder holds no run. */
  static readMeta(dir: string): RunMeta | undefined {
    const file = path.join(dir, 'run.json');
    if (!fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RunMeta;
  }

  /** Starts a new record (writing train_indices.npy) or reopens an unfinished one. */
  static open(dir: string, meta: RunMeta, trainIndices: Int32Array): RunRecord {
    fs.mkdirSync(path.join(dir, 'params'), { recursive: true });
    const existing = RunRecord.readMeta(dir);
    const record = new RunRecord(dir, existing ?? meta);
    if (!existing) {
      writeNpy(record.file('train_indices.npy'), trainIndices, [trainIndices.length]);
      record.saveMeta();
    }
    return record;
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  saveMeta(): void {
    this.meta.updatedAt = new Date().toISOString();
    writeFileAtomic(this.file('run.json'), JSON.stringify(this.meta, null, 2) + '\n');
  }

  /** Writes epoch t's rows (t counted from 0). run.json is saved by the caller afterwards. */
  writeEpochRows(epoch: number, order: Int32Array, rec: EpochRecord): void {
    this.importance.writeEpoch(epoch, rec.importance);
    this.nll.writeEpoch(epoch, rec.nll);
    this.correct.writeEpoch(epoch, rec.correct);
    this.order.writeEpoch(epoch, order);
  }

  snapshotPath(epoch: number): string {
    return this.file(path.join('params', `e${String(epoch).padStart(3, '0')}.npy`));
  }

  writeSnapshot(epoch: number, params: Float32Array): void {
    writeNpy(this.snapshotPath(epoch), params, [params.length]);
    if (!this.meta.snapshots.includes(epoch)) this.meta.snapshots.push(epoch);
  }

  /** The parameters after `epoch`, kept so an interrupted run resumes from there. */
  checkpointPath(epoch: number): string {
    return this.file(`checkpoint-e${String(epoch).padStart(3, '0')}.npy`);
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
    writeNpy(this.file('final_nll.npy'), nll, [nll.length]);
  }
}
