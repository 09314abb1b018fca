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
import { evaluateInChunks, trainInBatches } from './batches';
import { forward, sgdStep } from './sgd-step';

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
    trainInBatches(data, order, hyper, layers.length, record, (x, labels) => sgdStep(layers, x, labels, hyper));
  }

  evaluate(data: TrainData): EvalResult {
    const layers = this.live();
    return evaluateInChunks(data, EVAL_CHUNK, (x) => forward(layers, x).preActivations[layers.length - 1]!);
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

/** Rows [start, end) of the data as tensors, without gathering. */
function rowTensors(data: TrainData, start: number, end: number): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const width = data.inputSize;
  return {
    x: tf.tensor2d(data.x.subarray(start * width, end * width), [end - start, width]),
    labels: tf.tensor1d(data.y.subarray(start, end), 'int32'),
  };
}
