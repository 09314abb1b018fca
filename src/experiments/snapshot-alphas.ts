/**
 * α of every training sample measured at a run's parameter snapshots (importanceAt), for the
 * stability protocol's checkpoint reading. Each snapshot's β is cached beside the run as
 * `snapshot_importance/eNNN.npy` (float32 [n, D]), so figure data can be recomputed for free.
 *
 * @example
 *   const series = snapshotAlphaSeries(run, engine, data, 5);   // epochs 5, 10, …, from params/
 *   alphaStability([series, ...]);
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AlphaSeries } from '../analysis/seed-stability';
import { importanceAt } from '../analysis/importance-at';
import type { Engine, Model } from '../engine/types';
import { readNpy, writeNpy } from '../io/npy';
import { mlpSpec } from '../model/spec';
import { sumLayers, type OpenRun } from '../run/open-run';
import type { RunData } from '../run/run-data';

export function snapshotImportanceFile(run: OpenRun, epoch: number): string {
  return path.join(run.dir, 'snapshot_importance', `e${String(epoch).padStart(3, '0')}.npy`);
}

/** Measures (or reads from the cache) β at every snapshot epoch that is a multiple of `every`. */
export function snapshotAlphaSeries(run: OpenRun, engine: Engine, data: RunData, every: number): AlphaSeries {
  const { config } = run.meta;
  const { train } = data;
  if (train.n !== run.n || run.trainIndices.some((v, i) => v !== train.indices[i])) {
    throw new RangeError(`${run.meta.key} was trained on other samples than the data given; its snapshots cannot be measured on it`);
  }
  const epochs = run.meta.snapshots.filter((e) => e > 0 && e % every === 0).sort((a, b) => a - b);
  let model: Model | undefined;
  try {
    for (const epoch of epochs) {
      const file = snapshotImportanceFile(run, epoch);
      if (fs.existsSync(file)) continue;
      const params = run.params(epoch);
      model ??= engine.createModel(mlpSpec(train.inputSize, config.hidden, data.classes), params);
      const rec = importanceAt(model, train, params, { lr: config.lr, weightDecay: config.weightDecay, batchSize: config.batchSize });
      writeNpy(file, rec.importance, [run.n, run.layers]);
    }
  } finally {
    model?.dispose();
  }
  return {
    label: `seed ${config.seed}`,
    trainIndices: run.trainIndices,
    epochs,
    alpha: (epoch) => sumLayers(readNpy(snapshotImportanceFile(run, epoch)).data as Float32Array, run.n, run.layers),
  };
}
