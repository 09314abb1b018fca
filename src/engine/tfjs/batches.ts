/**
 * What both tfjs Models (the MLP's and a layer network's) do around their maths: split an order
 * into batches, run one step per batch and scatter its per-sample rows into the record at each
 * sample's position; evaluate in chunks. Tensors live only inside a step or a chunk.
 *
 * @example
 *   trainInBatches(data, order, hyper, depth, record, (x, labels) => sgdStep(layers, x, labels, hyper));
 *   const result = evaluateInChunks(data, 2048, (x) => forward(layers, x).logits);
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EpochRecord, EvalResult, StepHyper, TrainData } from '../types';
import { scoreLogits, STEP_SCORE_COLUMNS } from './sgd-step';

/** The rows of `positions` as a [m, inputSize] tensor and their labels as int32 [m]. */
export function batchTensors(data: TrainData, positions: Int32Array): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const width = data.inputSize;
  const x = new Float32Array(positions.length * width);
  const labels = new Int32Array(positions.length);
  positions.forEach((i, row) => {
    x.set(data.x.subarray(i * width, (i + 1) * width), row * width);
    labels[row] = data.y[i]!;
  });
  return { x: tf.tensor2d(x, [positions.length, width]), labels: tf.tensor1d(labels, 'int32') };
}

/**
 * One `step` per batch of `order`; each returns [m, 4 + depth] rows (nll, correct, margin, el2n, β
 * per layer; [m, 4] without importance), written into `record` at the samples' positions.
 */
export function trainInBatches(
  data: TrainData,
  order: Int32Array,
  hyper: StepHyper,
  depth: number,
  record: EpochRecord,
  step: (x: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor2D,
): void {
  const width = STEP_SCORE_COLUMNS + (hyper.importance ? depth : 0);
  for (let start = 0; start < order.length; start += hyper.batchSize) {
    const batch = order.subarray(start, Math.min(start + hyper.batchSize, order.length));
    const out = tf.tidy(() => {
      const { x, labels } = batchTensors(data, batch);
      return step(x, labels);
    });
    const values = out.dataSync();
    out.dispose();
    batch.forEach((i, row) => {
      const at = row * width;
      record.nll[i] = values[at]!;
      record.correct[i] = values[at + 1]!;
      if (hyper.scores ?? true) {
        record.margin[i] = values[at + 2]!;
        record.el2n[i] = values[at + 3]!;
      }
      if (hyper.importance) {
        for (let d = 0; d < depth; d++) record.importance[i * depth + d] = values[at + STEP_SCORE_COLUMNS + d]!;
      }
    });
  }
}

/** Each sample's NLL and correctness from `logitsOf`, `chunk` rows at a time, and their means. */
export function evaluateInChunks(
  data: TrainData,
  chunk: number,
  logitsOf: (x: tf.Tensor2D) => tf.Tensor2D,
): EvalResult {
  const nll = new Float32Array(data.n);
  const correct = new Uint8Array(data.n);
  for (let start = 0; start < data.n; start += chunk) {
    const rows = Int32Array.from({ length: Math.min(chunk, data.n - start) }, (_, k) => start + k);
    const out = tf.tidy(() => {
      const { x, labels } = batchTensors(data, rows);
      const scored = scoreLogits(logitsOf(x), labels);
      return tf.stack([scored.nll, scored.correct], 1);
    });
    const values = out.dataSync();
    out.dispose();
    rows.forEach((i, row) => {
      nll[i] = values[2 * row]!;
      correct[i] = values[2 * row + 1]!;
    });
  }
  let nllSum = 0;
  let right = 0;
  for (let i = 0; i < data.n; i++) {
    nllSum += nll[i]!;
    right += correct[i]!;
  }
  return { loss: nllSum / data.n, error: 1 - right / data.n, nll, correct };
}
