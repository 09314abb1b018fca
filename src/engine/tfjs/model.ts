/**
 * The tfjs Model: splits an order into batches, feeds each through `sgdStep` and scatters the
 * per-sample results into the record at each sample's position. Tensors live only inside a step;
 * the parameters are the only tensors kept between calls, so memory does not grow across steps.
 *
 * @example
 *   const model = new TfjsModel(spec, initParams(spec, 1));
 *   model.trainBatches(data, order, { lr: 0.1, weightDecay: 0, batchSize: 100, importance: true }, record);
 *   model.dispose();
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../model/spec';
import type { EpochRecord, EvalResult, Model, StepHyper, TrainData } from '../types';
import { assignLayers, createLayerVariables, disposeLayers, flattenLayers, type DenseLayer } from './params';
import { forward, scoreLogits, sgdStep } from './sgd-step';
import { checkData, checkHyper, checkOrder, checkParams, checkRecord } from './validate';

/** Rows per forward pass in evaluate(), bounding memory on large sets. */
const EVAL_CHUNK = 2048;

export class TfjsModel implements Model {
  private layers: DenseLayer[] | null;

  constructor(readonly spec: ModelSpec, params: Float32Array) {
    checkParams(spec, params);
    this.layers = createLayerVariables(spec, params);
  }

  getParams(): Float32Array {
    return flattenLayers(this.spec, this.live());
  }

  setParams(params: Float32Array): void {
    checkParams(this.spec, params);
    assignLayers(this.spec, this.live(), params);
  }

  trainBatches(data: TrainData, order: Int32Array, hyper: StepHyper, record: EpochRecord): void {
    const layers = this.live();
    checkData(this.spec, data);
    checkOrder(order, data.n);
    checkHyper(hyper);
    checkRecord(this.spec, record, data.n);
    const depth = layers.length;
    for (let start = 0; start < order.length; start += hyper.batchSize) {
      const batch = order.subarray(start, Math.min(start + hyper.batchSize, order.length));
      const out = tf.tidy(() => {
        const { x, labels } = batchTensors(data, batch);
        return sgdStep(layers, x, labels, hyper);
      });
      const values = out.dataSync();
      out.dispose();
      const width = hyper.importance ? 2 + depth : 2;
      batch.forEach((i, row) => {
        record.nll[i] = values[row * width];
        record.correct[i] = values[row * width + 1];
        if (hyper.importance) {
          for (let d = 0; d < depth; d++) record.importance[i * depth + d] = values[row * width + 2 + d];
        }
      });
    }
  }

  evaluate(data: TrainData): EvalResult {
    const layers = this.live();
    checkData(this.spec, data);
    const nll = new Float32Array(data.n);
    const correct = new Uint8Array(data.n);
    for (let start = 0; start < data.n; start += EVAL_CHUNK) {
      const rows = Int32Array.from({ length: Math.min(EVAL_CHUNK, data.n - start) }, (_, k) => start + k);
      const out = tf.tidy(() => {
        const { x, labels } = batchTensors(data, rows);
        const { preActivations } = forward(layers, x);
        const scored = scoreLogits(preActivations[layers.length - 1], labels);
        return tf.stack([scored.nll, scored.correct], 1);
      });
      const values = out.dataSync();
      out.dispose();
      rows.forEach((i, row) => {
        nll[i] = values[2 * row];
        correct[i] = values[2 * row + 1];
      });
    }
    let nllSum = 0;
    let right = 0;
    for (let i = 0; i < data.n; i++) {
      nllSum += nll[i];
      right += correct[i];
    }
    return { loss: data.n ? nllSum / data.n : NaN, error: data.n ? 1 - right / data.n : NaN, nll, correct };
  }

  dispose(): void {
    if (this.layers) disposeLayers(this.layers);
    this.layers = null;
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
    labels[row] = data.y[i];
  });
  return { x: tf.tensor2d(x, [positions.length, width]), labels: tf.tensor1d(labels, 'int32') };
}
