/**
 * Reads a run record for analysis: run.json and the arrays, trimmed to the epochs that are
 * complete on disk. Parameter snapshots are read on demand (they are large).
 *
 * @example
 *   const run = openRun('runs/mnist-4e6abb0dbb77');
 *   run.alpha(0);            // α_i for epoch 1 (index 0), per sample position
 *   run.params(50);          // Float32Array of all parameters after epoch 50
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readNpy } from '../io/npy';
import { trainedSize } from './config';
import {
  readRunMeta,
  RECORD_FILES,
  SCORES_SCHEMA_VERSION,
  snapshotFile,
  snapshotImportanceFile,
  type RunMeta,
} from './record';

export interface OpenRun {
  readonly dir: string;
  readonly meta: RunMeta;
  /** Complete epochs E (rows beyond it are not read). */
  readonly epochs: number;
  /** Training samples n and layers D. */
  readonly n: number;
  readonly layers: number;
  /** β as [E, n, D] row-major, by sample position. */
  readonly importance: Float32Array;
  /** [E, n]: NLL at each sample's own step. */
  readonly nll: Float32Array;
  /** [E, n]: 1 when correct at its own step. */
  readonly correct: Uint8Array;
  /**
   * [E, n]: the label's logit minus the largest other logit at the sample's own step; undefined in
   * schema-version-1 records (see requireRecorded).
   */
  readonly margin?: Float32Array;
  /** [E, n]: ‖softmax − onehot(label)‖₂ at the sample's own step; undefined in version-1 records. */
  readonly el2n?: Float32Array;
  /** [E, n]: positions in visiting order. */
  readonly order: Int32Array;
  /** [n]: indices into the official training split. */
  readonly trainIndices: Int32Array;
  /** Positions whose training label was flipped (runs with config.labelNoise); undefined otherwise. */
  readonly flipped?: Int32Array;
  /** [n] NLL under the final model; undefined unless the run is complete. */
  readonly finalNll?: Float32Array;
  /** α_i^t for epoch index t (0-based), length n. */
  alpha(t: number): Float32Array;
  /** τ_i = Σ_t α_i^t, length n. */
  tau(): Float64Array;
  /** Parameters after `epoch` (0 = initial), from params/eNNN.npy. */
  params(epoch: number): Float32Array;
  /** β [n, D] of every sample at snapshot `epoch`'s parameters, from snapshot_importance/eNNN.npy. */
  snapshotImportance(epoch: number): Float32Array;
}

/** α_i = Σ_d β_{i,d} over the [n, D] block of β that starts at `offset`. */
export function sumLayers(beta: Float32Array, n: number, layers: number, offset = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < layers; d++) s += beta[offset + i * layers + d]!;
    out[i] = s;
  }
  return out;
}

/**
 * The run's margin or el2n rows, or an error saying which record lacks them and why: records of
 * schema version 1 were written before they were recorded.
 */
export function requireRecorded(
  run: Pick<OpenRun, 'dir' | 'meta' | 'margin' | 'el2n'>,
  name: 'margin' | 'el2n',
  neededBy: string,
): Float32Array {
  const rows = run[name];
  if (rows) return rows;
  throw new Error(
    `${neededBy} needs ${RECORD_FILES[name]}, which ${run.dir} lacks: it is a run record of schema version ` +
      `${run.meta.schemaVersion}, written before version ${SCORES_SCHEMA_VERSION} added it; remove the folder and ` +
      'train the run again with this version to get it',
  );
}

/** A complete run's final_nll.npy; its absence is an error naming it, not a quiet undefined. */
function finalNll(dir: string, file: string): Float32Array {
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing from the complete run ${dir}; remove ${dir} to train it again`);
  return readNpy(file).data as Float32Array;
}

export function openRun(dir: string): OpenRun {
  const meta = readRunMeta(dir);
  if (!meta) throw new Error(`${dir} holds no run record (${RECORD_FILES.meta} is missing)`);
  const n = trainedSize(meta.config);
  const layers = meta.layers.length;
  const epochs = meta.epochsCompleted;
  const rows = <T extends Float32Array | Uint8Array | Int32Array>(name: string, width: number): T => {
    const arr = readNpy(path.join(dir, name)).data as T;
    return arr.subarray(0, epochs * width) as T;
  };
  const importance = rows<Float32Array>(RECORD_FILES.importance, n * layers);
  const finalFile = path.join(dir, RECORD_FILES.finalNll);
  return {
    dir,
    meta,
    epochs,
    n,
    layers,
    importance,
    nll: rows<Float32Array>(RECORD_FILES.nll, n),
    correct: rows<Uint8Array>(RECORD_FILES.correct, n),
    ...(meta.schemaVersion >= SCORES_SCHEMA_VERSION && {
      margin: rows<Float32Array>(RECORD_FILES.margin, n),
      el2n: rows<Float32Array>(RECORD_FILES.el2n, n),
    }),
    order: rows<Int32Array>(RECORD_FILES.order, n),
    trainIndices: readNpy(path.join(dir, RECORD_FILES.trainIndices)).data as Int32Array,
    ...(meta.config.labelNoise && { flipped: readNpy(path.join(dir, RECORD_FILES.flipped)).data as Int32Array }),
    finalNll: meta.status === 'complete' ? finalNll(dir, finalFile) : undefined,
    alpha(t: number): Float32Array {
      if (!(t >= 0 && t < epochs)) throw new RangeError(`epoch index ${t} is outside the ${epochs} complete epochs`);
      return sumLayers(importance, n, layers, t * n * layers);
    },
    tau(): Float64Array {
      const out = new Float64Array(n);
      for (let k = 0; k < importance.length; k++) out[Math.floor(k / layers) % n]! += importance[k]!;
      return out;
    },
    params(epoch: number): Float32Array {
      const file = snapshotFile(dir, epoch);
      if (!fs.existsSync(file))
        throw new Error(
          `${dir} has no parameter snapshot for epoch ${epoch} ` +
            `(snapshots: ${meta.snapshots.join(', ')}); rerun the run's \`si train\` command with --snapshot-every ` +
            'k: the missing ones are replayed from the nearest earlier one',
        );
      return readNpy(file).data as Float32Array;
    },
    snapshotImportance(epoch: number): Float32Array {
      const file = snapshotImportanceFile(dir, epoch);
      if (!fs.existsSync(file)) {
        throw new Error(
          `${dir} has no β measured at snapshot ${epoch} (${file} is missing); ` +
            `\`si experiments\` measures it for the profiles that need it`,
        );
      }
      return readNpy(file).data as Float32Array;
    },
  };
}
