/**
 * The stability protocol's checkpoint reading needs β of every training sample at a run's
 * parameter snapshots (importanceAt). The experiment runner measures it once, after training, and
 * caches it in the run record (snapshot_importance/eNNN.npy, float32 [n, D]); building figure data
 * only reads it (OpenRun.snapshotImportance).
 *
 * @example
 *   measureSnapshotImportance(run, engine, data, 5);   // epochs 5, 10, … of params/, skipping cached ones
 */
import * as fs from 'node:fs';
import { importanceAt } from '../run/importance-at';
import type { Engine, Model } from '../engine/types';
import { writeNpy } from '../io/npy';
import { runModelSpec } from '../run/model-spec';
import type { OpenRun } from '../run/open-run';
import { snapshotImportanceFile } from '../run/record';
import type { RunData } from '../run/run-data';

/** The snapshot epochs (> 0) that are multiples of `every`: where the checkpoint reading measures. */
export function checkpointEpochs(run: OpenRun, every: number): number[] {
  return run.meta.snapshots.filter((e) => e > 0 && e % every === 0).sort((a, b) => a - b);
}

/** Measures and caches β at each checkpoint epoch not cached yet; returns how many it measured. */
export function measureSnapshotImportance(run: OpenRun, engine: Engine, data: RunData, every: number): number {
  const { config } = run.meta;
  const { train } = data;
  if (train.n !== run.n || run.trainIndices.some((v, i) => v !== train.indices[i])) {
    throw new RangeError(
      `${run.meta.key} was trained on other samples than the data given; its snapshots cannot be measured on it`,
    );
  }
  const missing = checkpointEpochs(run, every).filter(
    (epoch) => !fs.existsSync(snapshotImportanceFile(run.dir, epoch)),
  );
  let model: Model | undefined;
  try {
    for (const epoch of missing) {
      const params = run.params(epoch);
      model ??= engine.createModel(runModelSpec(config, train, data.classes), params);
      const rec = importanceAt(model, train, params, {
        lr: config.lr,
        weightDecay: config.weightDecay,
        batchSize: config.batchSize,
      });
      writeNpy(snapshotImportanceFile(run.dir, epoch), rec.importance, [run.n, run.layers]);
    }
  } finally {
    model?.dispose();
  }
  return missing.length;
}
