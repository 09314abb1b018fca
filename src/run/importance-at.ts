/**
 * β of every sample at fixed parameters θ, as if each batch took its SGD step from θ: the paper's
 * "calculated the sample importance every five epochs" read as a measurement at checkpoints,
 * beside the default reading (§2: each sample's β at the step where it is used). Works on every
 * engine: each batch trains from θ, and θ is restored before the next.
 *
 * @example
 *   const rec = importanceAt(model, train, run.params(5), { lr: 0.1, weightDecay: 1e-5, batchSize: 100 });
 *   rec.importance;   // [n, D] β at epoch 5's parameters
 */
import { newEpochRecord, type EpochRecord, type Model, type StepHyper, type TrainData } from '../engine/types';
import { layerSlices } from '../model/spec';

export function importanceAt(
  model: Model,
  data: TrainData,
  params: Float32Array,
  hyper: Omit<StepHyper, 'importance'>,
): EpochRecord {
  const rec = newEpochRecord(data.n, layerSlices(model.spec).length);
  const step = { ...hyper, importance: true };
  for (let from = 0; from < data.n; from += hyper.batchSize) {
    model.setParams(params);
    const batch = Int32Array.from({ length: Math.min(hyper.batchSize, data.n - from) }, (_, k) => from + k);
    model.trainBatches(data, batch, step, rec);
  }
  model.setParams(params);
  return rec;
}
