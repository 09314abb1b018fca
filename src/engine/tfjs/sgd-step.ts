/**
 * One SGD step of the MLP with tfjs-core ops, forward and backward written out by hand (no
 * autodiff) so that each sample's δ_d = ∂L_i/∂z_d is at hand for its importance
 *   β_{i,d} = (η/m)² ‖δ_{i,d}‖² (‖a_{i,d}‖² + 1),   a_{i,d} = layer d's input,
 * which equals ‖(η/m) g_{i,d}‖² without materialising any per-sample gradient.
 *
 * @example
 *   const out = sgdStep(layers, x, labels, { lr: 0.1, weightDecay: 0, importance: true });
 *   out.dataSync();  // row i: nll_i, correct_i (0/1), margin_i, el2n_i, β_{i,1} … β_{i,D}
 *   out.dispose();
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DenseLayer } from './params';

interface ForwardPass {
  /** a_d: the input of each layer, a_1 = x. */
  readonly inputs: tf.Tensor2D[];
  /** z_d: the pre-activation of each layer; the last is the logits. */
  readonly preActivations: tf.Tensor2D[];
}

export function forward(layers: readonly DenseLayer[], x: tf.Tensor2D): ForwardPass {
  const inputs: tf.Tensor2D[] = [];
  const preActivations: tf.Tensor2D[] = [];
  let a = x;
  layers.forEach((layer, d) => {
    inputs.push(a);
    const z = tf.add(tf.matMul(a, layer.w), layer.b) as tf.Tensor2D;
    preActivations.push(z);
    a = d + 1 < layers.length ? tf.relu(z) : z;
  });
  return { inputs, preActivations };
}

/** The label's logit minus the largest other logit, per row. */
export function logitMargin(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  const others = tf.where(tf.cast(oneHot, 'bool'), tf.fill(logits.shape, -Infinity), logits);
  return tf.sub(tf.sum(tf.mul(logits, oneHot), 1), tf.max(others, 1)) as tf.Tensor1D;
}

/** Per-sample NLL, correctness as 0/1, and log-probabilities, from the logits. */
export function scoreLogits(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
): { nll: tf.Tensor1D; correct: tf.Tensor1D; logProbs: tf.Tensor2D; oneHot: tf.Tensor2D } {
  const logProbs = tf.logSoftmax(logits);
  const oneHot = tf.cast(tf.oneHot(labels, logits.shape[1]), 'float32') as tf.Tensor2D;
  const nll = tf.neg(tf.sum(tf.mul(logProbs, oneHot), 1)) as tf.Tensor1D;
  const correct = tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32') as tf.Tensor1D;
  return { nll, correct, logProbs, oneHot };
}

export interface SgdStepHyper {
  readonly lr: number;
  readonly weightDecay: number;
  readonly importance: boolean;
  /** margin and el2n (default true); when false their columns hold zeros. */
  readonly scores?: boolean;
}

/** Columns of sgdStep's result before the β columns: nll, correct, margin, el2n. */
export const STEP_SCORE_COLUMNS = 4;

/**
 * Updates `layers` in place by one step on the batch (x [m, in], labels int32 [m]) and returns a
 * new tensor [m, 4 + D] (or [m, 4] without importance): nll, correct, margin, el2n, β per layer.
 * The caller owns it.
 */
export function sgdStep(
  layers: readonly DenseLayer[],
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
  hyper: SgdStepHyper,
): tf.Tensor2D {
  return tf.tidy(() => {
    const m = x.shape[0];
    const { inputs, preActivations } = forward(layers, x);
    const { nll, correct, logProbs, oneHot } = scoreLogits(preActivations[layers.length - 1]!, labels);
    const betaScale = (hyper.lr / m) ** 2;
    const betas: tf.Tensor1D[] = [];
    const updated: { w: tf.Tensor2D; b: tf.Tensor1D }[] = [];
    // ∂L_i/∂z at the output of softmax cross-entropy, one row per sample.
    let delta = tf.sub(tf.exp(logProbs), oneHot) as tf.Tensor2D;
    const scores = hyper.scores ?? true;
    const margin = scores ? logitMargin(preActivations[layers.length - 1]!, oneHot) : tf.zerosLike(nll);
    const el2n = scores ? (tf.sqrt(tf.sum(tf.square(delta), 1)) as tf.Tensor1D) : tf.zerosLike(nll);
    for (let d = layers.length - 1; d >= 0; d--) {
      const { w, b } = layers[d]!;
      const a = inputs[d]!;
      if (hyper.importance) {
        const inputNormPlusOne = tf.add(tf.sum(tf.square(a), 1), 1);
        betas[d] = tf.mul(tf.mul(tf.sum(tf.square(delta), 1), inputNormPlusOne), betaScale) as tf.Tensor1D;
      }
      // Explicit transposes: the wasm backend's matMul is ~10x slower with its transpose flags set.
      const meanGradW = tf.div(tf.matMul(tf.transpose(a), delta), m);
      const meanGradB = tf.div(tf.sum(delta, 0), m);
      updated[d] = {
        w: tf.sub(w, tf.mul(tf.add(meanGradW, tf.mul(w, hyper.weightDecay)), hyper.lr)) as tf.Tensor2D,
        b: tf.sub(b, tf.mul(meanGradB, hyper.lr)) as tf.Tensor1D,
      };
      // Backpropagate through this step's (not yet updated) weights and the ReLU of the layer below.
      if (d > 0) delta = tf.mul(tf.matMul(delta, tf.transpose(w)), tf.step(preActivations[d - 1]!)) as tf.Tensor2D;
    }
    layers.forEach((layer, d) => {
      layer.w.assign(updated[d]!.w);
      layer.b.assign(updated[d]!.b);
    });
    return tf.stack([nll, correct, margin, el2n, ...betas], 1) as tf.Tensor2D;
  });
}
