/**
 * The tfjs Model: splits an order into batches, feeds each through `sgdStep` and scatters the
 * per-sample results into the record at each sample's position. Tensors live only inside a step;
 * the parameters are the only tensors kept between calls, so memory does not grow across steps.
 * Made by the tfjs Engine's createModel, whose arguments the engine contract checks (../checked.ts).
 *
 * @example
 *   const model = (await loadTfjsEngine()).createModel(spec, initParams(spec, 1));
 *   model.trainBatches(data, order, { lr: 0.1, weightDecay: 0, batchSize: 100, importance: true }, record);
 *   model.dispose();
 */
import * as tf from '@tensorflow/tfjs-core';
import { layerSlices, paramCount, type ModelSpec } from '../../model/spec';
import type { EpochRecord, EvalResult, Model, ObjectiveOptions, StepHyper, TrainData } from '../types';
import { chunkDirectional, chunkGradient, chunkHvp, tangentLayers } from './curvature';
import { assignLayers, createLayerVariables, disposeLayers, flattenLayers, type DenseLayer } from './params';
import { forward, scoreLogits, sgdStep, STEP_SCORE_COLUMNS } from './sgd-step';

/** Rows per forward pass in evaluate(), bounding memory on large sets. */
const EVAL_CHUNK = 2048;
/** Rows per pass of the second-order queries (they hold ~2x the activations of evaluate()). */
const CURVATURE_CHUNK = 1024;

export class TfjsModel implements Model {
  private layers: DenseLayer[] | null;

  constructor(
    readonly spec: ModelSpec,
    params: Float32Array,
  ) {
    this.layers = createLayerVariables(spec, params);
  }

  getParams(): Float32Array {
    return flattenLayers(this.spec, this.live());
  }

  setParams(params: Float32Array): void {
    assignLayers(this.spec, this.live(), params);
  }

  trainBatches(data: TrainData, order: Int32Array, hyper: StepHyper, record: EpochRecord): void {
    const layers = this.live();
    const depth = layers.length;
    for (let start = 0; start < order.length; start += hyper.batchSize) {
      const batch = order.subarray(start, Math.min(start + hyper.batchSize, order.length));
      const out = tf.tidy(() => {
        const { x, labels } = batchTensors(data, batch);
        return sgdStep(layers, x, labels, hyper);
      });
      const values = out.dataSync();
      out.dispose();
      const width = STEP_SCORE_COLUMNS + (hyper.importance ? depth : 0);
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

  evaluate(data: TrainData): EvalResult {
    const layers = this.live();
    const nll = new Float32Array(data.n);
    const correct = new Uint8Array(data.n);
    for (let start = 0; start < data.n; start += EVAL_CHUNK) {
      const rows = Int32Array.from({ length: Math.min(EVAL_CHUNK, data.n - start) }, (_, k) => start + k);
      const out = tf.tidy(() => {
        const { x, labels } = batchTensors(data, rows);
        const { preActivations } = forward(layers, x);
        const scored = scoreLogits(preActivations[layers.length - 1]!, labels);
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
    return { loss: data.n ? nllSum / data.n : NaN, error: data.n ? 1 - right / data.n : NaN, nll, correct };
  }

  lossGradient(data: TrainData, objective: ObjectiveOptions): Float32Array {
    const layers = this.live();
    const sum = this.sumOverChunks(data, (x, labels) => chunkGradient(layers, x, labels));
    return this.meanPlusDecay(sum, data.n, this.getParams(), objective.weightDecay);
  }

  hvp(data: TrainData, v: Float32Array, objective: ObjectiveOptions): Float32Array {
    const layers = this.live();
    const sum = this.sumOverChunks(data, (x, labels) => chunkHvp(layers, tangentLayers(this.spec, v), x, labels));
    return this.meanPlusDecay(sum, data.n, v, objective.weightDecay);
  }

  sampleDirectionalDerivatives(data: TrainData, s: Float32Array): Float32Array {
    const layers = this.live();
    const out = new Float32Array(data.n);
    for (let start = 0; start < data.n; start += CURVATURE_CHUNK) {
      const end = Math.min(start + CURVATURE_CHUNK, data.n);
      const t = tf.tidy(() => {
        const { x, labels } = rowTensors(data, start, end);
        return chunkDirectional(layers, tangentLayers(this.spec, s), x, labels);
      });
      out.set(t.dataSync() as Float32Array, start);
      t.dispose();
    }
    return out;
  }

  dispose(): void {
    if (this.layers) disposeLayers(this.layers);
    this.layers = null;
  }

  /** Adds up, in float64 and in the flat layout, the per-layer [W, b] sums `chunk` returns. */
  private sumOverChunks(data: TrainData, chunk: (x: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor[]): Float64Array {
    const slices = layerSlices(this.spec);
    const sum = new Float64Array(paramCount(this.spec));
    for (let start = 0; start < data.n; start += CURVATURE_CHUNK) {
      const end = Math.min(start + CURVATURE_CHUNK, data.n);
      const parts = tf.tidy(() => {
        const { x, labels } = rowTensors(data, start, end);
        return chunk(x, labels);
      });
      slices.forEach((s, d) => {
        const w = parts[2 * d]!.dataSync();
        const b = parts[2 * d + 1]!.dataSync();
        for (let k = 0; k < w.length; k++) sum[s.wOffset + k]! += w[k]!;
        for (let k = 0; k < b.length; k++) sum[s.bOffset + k]! += b[k]!;
      });
      for (const t of parts) t.dispose();
    }
    return sum;
  }

  /** sum/n + λ·u on the weights (u: θ for a gradient, v for an HVP). */
  private meanPlusDecay(sum: Float64Array, n: number, u: Float32Array, weightDecay: number): Float32Array {
    const out = new Float32Array(sum.length);
    for (let k = 0; k < sum.length; k++) out[k] = sum[k]! / n;
    if (weightDecay !== 0) {
      for (const s of layerSlices(this.spec))
        for (let k = s.wOffset; k < s.bOffset; k++) out[k]! += weightDecay * u[k]!;
    }
    return out;
  }

  private live(): DenseLayer[] {
    if (!this.layers) throw new Error('this tfjs model has been disposed');
    return this.layers;
  }
}

/** The rows of `positions` as a [m, inputSize] tensor and their labels as int32 [m]. */
function batchTensors(data: TrainData, positions: Int32Array): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const width = data.inputSize;
  const x = new Float32Array(positions.length * width);
  const labels = new Int32Array(positions.length);
  positions.forEach((i, row) => {
    x.set(data.x.subarray(i * width, (i + 1) * width), row * width);
    labels[row] = data.y[i]!;
  });
  return { x: tf.tensor2d(x, [positions.length, width]), labels: tf.tensor1d(labels, 'int32') };
}

/** Rows [start, end) of the data as tensors, without gathering. */
function rowTensors(data: TrainData, start: number, end: number): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const width = data.inputSize;
  return {
    x: tf.tensor2d(data.x.subarray(start * width, end * width), [end - start, width]),
    labels: tf.tensor1d(data.y.subarray(start, end), 'int32'),
  };
}
