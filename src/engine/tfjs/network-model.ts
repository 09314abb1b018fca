/**
 * The tfjs Model of a network of conv2d, ReLU, maxpool2, flatten and dense layers
 * (src/model/network.ts). One SGD step, forward and backward written out by hand like the MLP's
 * (./sgd-step.ts: no autodiff, whose gradients tfjs-core registers only with tfjs-layers), so that
 * each sample's δ = ∂L_i/∂z is at hand at every parameterised layer, and from it β:
 *  - dense: (η/m)² ‖δ_i‖² (‖a_i‖² + 1), as in the MLP;
 *  - conv2d: (η/m)² (‖G_i‖² + ‖Σ_t δ_{i,t}‖²), where the sample's weight gradient G_i, a
 *    correlation of its padded input with its δ, is one small conv2d per sample (the input's
 *    channels as the batch, δ as the filters); their sum is the batch's weight gradient. Without
 *    importance, that gradient is one such conv2d with the samples as the summed channels (the
 *    wasm backend has no filter-gradient kernel).
 * Activations are NHWC inside (tfjs's layout); parameters and inputs are channels-first outside.
 * No curvature queries yet: influence says so.
 *
 * @example
 *   const model = new TfjsNetworkModel(networkModelSpec(cnnSmall([1, 28, 28], 10)), params);
 *   model.trainBatches(data, order, { lr: 0.1, weightDecay: 0, batchSize: 100, importance: true }, record);
 *   model.dispose();
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerSpec } from '../../model/network';
import { layerSlices, paramCount, type LayerSlice, type ModelSpec } from '../../model/spec';
import type { EpochRecord, EvalResult, Model, ObjectiveOptions, StepHyper, TrainData } from '../types';
import { evaluateInChunks, trainInBatches } from './batches';
import { variableOf } from './params';
import { logitMargin, scoreLogits } from './sgd-step';

/** Rows per forward pass in evaluate(). */
const EVAL_CHUNK = 500;

/** A parameterised layer's variables: conv filter [k, k, c_in, c_out] (tfjs's layout) or dense W [in, out]. */
interface ParamLayer {
  readonly slice: LayerSlice;
  readonly w: tf.Variable;
  readonly b: tf.Variable<tf.Rank.R1>;
}

interface Forward {
  /** Each layer's input (NHWC images, [m, units] vectors); one more entry at the end: the logits. */
  readonly activations: tf.Tensor[];
  readonly logits: tf.Tensor2D;
}

/** The network's layers with, for each parameterised one, its place among the parameters. */
function withParams(spec: ModelSpec): { layer: LayerSpec; param: number }[] {
  let param = 0;
  return spec.network!.layers.map((layer) => ({
    layer,
    param: layer.kind === 'conv2d' || layer.kind === 'dense' ? param++ : -1,
  }));
}

/** The forward pass from x [m, c·h·w] (channels-first rows). */
function forward(spec: ModelSpec, params: readonly ParamLayer[], x: tf.Tensor2D): Forward {
  const [c, h, w] = spec.network!.inputShape;
  let a: tf.Tensor = tf.transpose(tf.reshape(x, [-1, c, h, w]), [0, 2, 3, 1]);
  const activations: tf.Tensor[] = [];
  for (const { layer, param } of withParams(spec)) {
    activations.push(a);
    if (layer.kind === 'conv2d') {
      a = tf.add(tf.conv2d(a as tf.Tensor4D, params[param]!.w as tf.Tensor4D, 1, layer.padding), params[param]!.b);
    } else if (layer.kind === 'dense') {
      a = tf.add(tf.matMul(a as tf.Tensor2D, params[param]!.w as tf.Tensor2D), params[param]!.b);
    } else if (layer.kind === 'relu') a = tf.relu(a);
    else if (layer.kind === 'maxpool2') a = tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid');
    // flatten: channel, row, column order, as the parameters' layout says
    else a = tf.reshape(tf.transpose(a, [0, 3, 1, 2]), [a.shape[0]!, -1]);
  }
  activations.push(a);
  return { activations, logits: a as tf.Tensor2D };
}

/**
 * ∂L/∂(maxpool2's input) from δ at its output: each window's δ goes to the input that is the
 * window's maximum (ties, which need two equal floats, would share it). Inputs have even sizes
 * (src/model/network.ts refuses others).
 */
function maxPoolBackward(input: tf.Tensor4D, pooled: tf.Tensor4D, delta: tf.Tensor4D): tf.Tensor4D {
  const [m, h, w, c] = input.shape;
  const [, ho, wo] = pooled.shape;
  const upsample = (t: tf.Tensor4D) =>
    tf.reshape(tf.tile(tf.reshape(t, [m, ho, 1, wo, 1, c]), [1, 1, 2, 1, 2, 1]), [m, h, w, c]);
  return tf.mul(upsample(delta), tf.cast(tf.equal(input, upsample(pooled)), 'float32')) as tf.Tensor4D;
}

/** An NHWC batch with `padding` zeros around each image. */
function padImages(input: tf.Tensor4D, padding: number): tf.Tensor4D {
  return tf.pad(input, [
    [0, 0],
    [padding, padding],
    [padding, padding],
    [0, 0],
  ]);
}

/** Σ_i ∂L_i/∂W of a conv layer in tfjs's filter layout [k, k, c_in, c_out]: input NHWC, δ [m, h_out, w_out, f]. */
function convWeightGradient(input: tf.Tensor4D, delta: tf.Tensor4D, padding: number): tf.Tensor4D {
  // The input's channels as the batch and its samples as the channels, which conv2d sums over.
  const image = tf.transpose(padImages(input, padding), [3, 1, 2, 0]) as tf.Tensor4D;
  const filters = tf.transpose(delta, [1, 2, 0, 3]) as tf.Tensor4D;
  return tf.transpose(tf.conv2d(image, filters, 1, 'valid'), [1, 2, 0, 3]) as tf.Tensor4D;
}

/**
 * A conv layer's per-sample weight gradients G_i (input NHWC [m, h, w, c], δ [m, h_out, w_out, f]):
 * each sample's ‖∂L_i/∂W‖² + ‖∂L_i/∂b‖², and their sum, the batch's weight gradient in tfjs's filter
 * layout [k, k, c_in, c_out], so that importance does not compute it a second time.
 */
function convSampleGradients(
  input: tf.Tensor4D,
  delta: tf.Tensor4D,
  padding: number,
): { norms: tf.Tensor1D; gradW: tf.Tensor4D } {
  const padded = padImages(input, padding);
  const m = input.shape[0];
  const norms: tf.Scalar[] = [];
  const gradients: tf.Tensor4D[] = [];
  for (let i = 0; i < m; i++) {
    // G_i[c, ky, kx, f] = Σ_{oy,ox} x_pad[i, oy+ky, ox+kx, c] δ[i, oy, ox, f]: channels as the batch, δ as filters.
    const image = tf.transpose(tf.slice(padded, [i, 0, 0, 0], [1, -1, -1, -1]), [3, 1, 2, 0]) as tf.Tensor4D;
    const filters = tf.transpose(tf.slice(delta, [i, 0, 0, 0], [1, -1, -1, -1]), [1, 2, 0, 3]) as tf.Tensor4D;
    const gradient = tf.conv2d(image, filters, 1, 'valid');
    norms.push(tf.sum(tf.square(gradient)));
    gradients.push(gradient);
  }
  const biasNorms = tf.sum(tf.square(tf.sum(delta, [1, 2])), 1);
  return {
    norms: tf.add(tf.stack(norms), biasNorms) as tf.Tensor1D,
    gradW: tf.transpose(tf.addN(gradients), [1, 2, 0, 3]) as tf.Tensor4D,
  };
}

export class TfjsNetworkModel implements Model {
  private params: ParamLayer[] | null;

  constructor(
    readonly spec: ModelSpec,
    params: Float32Array,
  ) {
    this.params = layerSlices(spec).map((slice) => ({
      slice,
      w: variableOf(tf.tidy(() => weightTensor(slice, params))),
      b: variableOf(tf.tensor1d(params.slice(slice.bOffset, slice.bOffset + slice.fanOut))),
    }));
  }

  getParams(): Float32Array {
    const out = new Float32Array(paramCount(this.spec));
    for (const { slice, w, b } of this.live()) {
      const flat = tf.tidy(() => (slice.kind === 'conv2d' ? tf.transpose(w, [3, 2, 0, 1]) : w).dataSync());
      out.set(flat as Float32Array, slice.wOffset);
      out.set(b.dataSync() as Float32Array, slice.bOffset);
    }
    return out;
  }

  setParams(params: Float32Array): void {
    for (const { slice, w, b } of this.live()) {
      tf.tidy(() => {
        w.assign(weightTensor(slice, params));
        b.assign(tf.tensor1d(params.slice(slice.bOffset, slice.bOffset + slice.fanOut)));
      });
    }
  }

  trainBatches(data: TrainData, order: Int32Array, hyper: StepHyper, record: EpochRecord): void {
    trainInBatches(data, order, hyper, this.live().length, record, (x, labels) => this.step(x, labels, hyper));
  }

  evaluate(data: TrainData): EvalResult {
    const layers = this.live();
    return evaluateInChunks(data, EVAL_CHUNK, (x) => forward(this.spec, layers, x).logits);
  }

  lossGradient(_data: TrainData, _objective: ObjectiveOptions): Float32Array {
    return noCurvature('the loss gradient');
  }

  hvp(_data: TrainData, _v: Float32Array, _objective: ObjectiveOptions): Float32Array {
    return noCurvature('the Hessian-vector product');
  }

  sampleDirectionalDerivatives(_data: TrainData, _s: Float32Array): Float32Array {
    return noCurvature('the per-sample directional derivative');
  }

  dispose(): void {
    for (const { w, b } of this.params ?? []) {
      w.dispose();
      b.dispose();
    }
    this.params = null;
  }

  /** One step on the batch; returns [m, 4 + D]: nll, correct, margin, el2n, β per layer ([m, 4] without importance). */
  private step(x: tf.Tensor2D, labels: tf.Tensor1D, hyper: StepHyper): tf.Tensor2D {
    const params = this.live();
    const m = x.shape[0];
    const { activations, logits } = forward(this.spec, params, x);
    const { nll, correct, logProbs, oneHot } = scoreLogits(logits, labels);
    const scores = hyper.scores ?? true;
    // ∂L_i/∂logits = softmax − onehot, one row per sample.
    let delta: tf.Tensor = tf.sub(tf.exp(logProbs), oneHot);
    const margin = scores ? logitMargin(logits, oneHot) : tf.zerosLike(nll);
    const el2n = scores ? (tf.sqrt(tf.sum(tf.square(delta), 1)) as tf.Tensor1D) : tf.zerosLike(nll);
    const betaScale = (hyper.lr / m) ** 2;
    const betas: tf.Tensor1D[] = [];
    const updates: { gradW: tf.Tensor; gradB: tf.Tensor }[] = [];
    const layers = withParams(this.spec);
    for (let li = layers.length - 1; li >= 0; li--) {
      const { layer, param } = layers[li]!;
      const a = activations[li]!;
      const below = li > 0;
      if (layer.kind === 'conv2d') {
        const d = delta as tf.Tensor4D;
        let gradW: tf.Tensor4D;
        if (hyper.importance) {
          const perSample = convSampleGradients(a as tf.Tensor4D, d, layer.padding);
          betas[param] = tf.mul(perSample.norms, betaScale) as tf.Tensor1D;
          gradW = perSample.gradW;
        } else gradW = convWeightGradient(a as tf.Tensor4D, d, layer.padding);
        updates[param] = { gradW, gradB: tf.sum(d, [0, 1, 2]) };
        if (below)
          delta = tf.conv2dTranspose(
            d,
            params[param]!.w as tf.Tensor4D,
            a.shape as [number, number, number, number],
            1,
            layer.padding,
          );
      } else if (layer.kind === 'dense') {
        const d = delta as tf.Tensor2D;
        if (hyper.importance)
          betas[param] = tf.mul(
            tf.mul(tf.sum(tf.square(d), 1), tf.add(tf.sum(tf.square(a), 1), 1)),
            betaScale,
          ) as tf.Tensor1D;
        updates[param] = { gradW: tf.matMul(tf.transpose(a), d), gradB: tf.sum(d, 0) };
        if (below) delta = tf.matMul(d, tf.transpose(params[param]!.w));
      } else if (!below) break;
      else if (layer.kind === 'relu') delta = tf.mul(delta, tf.step(a));
      else if (layer.kind === 'maxpool2')
        delta = maxPoolBackward(a as tf.Tensor4D, activations[li + 1] as tf.Tensor4D, delta as tf.Tensor4D);
      else {
        const [, h, w, c] = a.shape;
        delta = tf.transpose(tf.reshape(delta, [m, c!, h!, w!]), [0, 2, 3, 1]);
      }
    }
    // Every δ above used the weights as they were before this step: only now are they updated.
    params.forEach(({ w, b }, d) => {
      const { gradW, gradB } = updates[d]!;
      w.assign(tf.sub(w, tf.mul(tf.add(tf.div(gradW, m), tf.mul(w, hyper.weightDecay)), hyper.lr)));
      b.assign(tf.sub(b, tf.mul(tf.div(gradB, m), hyper.lr)) as tf.Tensor1D);
    });
    return tf.stack([nll, correct, margin, el2n, ...betas], 1) as tf.Tensor2D;
  }

  private live(): ParamLayer[] {
    if (!this.params) throw new Error('this tfjs model has been disposed');
    return this.params;
  }
}

/** A layer's weights from the flat vector, in tfjs's layout. */
function weightTensor(slice: LayerSlice, params: Float32Array): tf.Tensor {
  const flat = params.slice(slice.wOffset, slice.bOffset);
  if (slice.kind === 'dense') return tf.tensor2d(flat, [slice.fanIn, slice.fanOut]);
  const k = slice.kernel;
  const channels = slice.fanIn / (k * k);
  return tf.transpose(tf.tensor4d(flat, [slice.fanOut, channels, k, k]), [2, 3, 1, 0]);
}

function noCurvature(what: string): never {
  throw new Error(
    `${what} is not available for convolutional networks yet (tfjs engine): influence runs on the paper's MLP only`,
  );
}
