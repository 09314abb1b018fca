/**
 * Second-order queries of the objective J(θ) = (1/n) Σ L_i + (λ/2)‖θ_W‖² with tfjs-core ops, forward
 * and backward written out by hand as in ./sgd-step (no autodiff), one chunk of rows at a time:
 *  - chunk sums of ∇L_i (backprop);
 *  - chunk sums of ∇²L_i v by Pearlmutter's R-operator: tangent forward
 *      R{z_d} = R{a_d} W_d + a_d V_d + c_d,  R{a_{d+1}} = relu'(z) ⊙ R{z}
 *    then the backward pass of the R-quantities
 *      R{δ_D} = p ⊙ R{z_D} − p (pᵀ R{z_D}),  R{δ_d} = (R{δ_{d+1}} W_dᵀ + δ_{d+1} V_dᵀ) ⊙ relu'(z_d),
 *      R{∇W_d} = R{a_d}ᵀ δ_{d+1} + a_dᵀ R{δ_{d+1}},  R{∇b_d} = Σ_i R{δ_{d+1}};
 *  - per-sample ⟨∇L_i, s⟩ = (p_i − onehot(y_i)) · R{z_D,i} (forward-mode JVP).
 * The caller (TfjsModel) adds the chunks up in float64, divides by n and adds the decay term.
 *
 * @example
 *   const parts = tf.tidy(() => chunkHvp(layers, tangentLayers(spec, v), x, labels)); // [gW, gb] per layer
 */
import * as tf from '@tensorflow/tfjs-core';
import { layerSlices, type ModelSpec } from '../../model/spec';
import type { DenseLayer } from './params';
import { forward } from './sgd-step';

/** A direction in parameter space, per layer (V_d [in, out], c_d [out]). */
export interface TangentLayer {
  readonly w: tf.Tensor2D;
  readonly b: tf.Tensor1D;
}

/** Splits a flat parameter-shaped vector into per-layer tensors (call inside tf.tidy). */
export function tangentLayers(spec: ModelSpec, v: Float32Array): TangentLayer[] {
  return layerSlices(spec).map((s) => ({
    w: tf.tensor2d(v.subarray(s.wOffset, s.bOffset), [s.fanIn, s.fanOut]),
    b: tf.tensor1d(v.subarray(s.bOffset, s.bOffset + s.fanOut)),
  }));
}

interface Pass {
  readonly inputs: tf.Tensor2D[];
  readonly preActivations: tf.Tensor2D[];
  readonly probs: tf.Tensor2D;
  /** ∂L_i/∂logits = p − onehot(y). */
  readonly delta: tf.Tensor2D;
}

function lossPass(layers: readonly DenseLayer[], x: tf.Tensor2D, labels: tf.Tensor1D): Pass {
  const { inputs, preActivations } = forward(layers, x);
  const logits = preActivations[layers.length - 1]!;
  const probs = tf.softmax(logits) as tf.Tensor2D;
  const oneHot = tf.cast(tf.oneHot(labels, logits.shape[1]), 'float32') as tf.Tensor2D;
  return { inputs, preActivations, probs, delta: tf.sub(probs, oneHot) as tf.Tensor2D };
}

/** R{a_d} for each layer input (null for the data) and R{logits}. */
function tangentForward(
  layers: readonly DenseLayer[],
  tangent: readonly TangentLayer[],
  pass: Pass,
): { rInputs: (tf.Tensor2D | null)[]; rLogits: tf.Tensor2D } {
  const rInputs: (tf.Tensor2D | null)[] = [];
  let ra: tf.Tensor2D | null = null;
  let rz: tf.Tensor2D | null = null;
  layers.forEach((layer, d) => {
    rInputs.push(ra);
    let z = tf.add(tf.matMul(pass.inputs[d]!, tangent[d]!.w), tangent[d]!.b) as tf.Tensor2D;
    if (ra) z = tf.add(z, tf.matMul(ra, layer.w)) as tf.Tensor2D;
    rz = z;
    if (d + 1 < layers.length) ra = tf.mul(z, tf.step(pass.preActivations[d]!)) as tf.Tensor2D;
  });
  return { rInputs, rLogits: rz! };
}

/** Σ_i ∇L_i over the chunk, as [gW_0, gb_0, gW_1, gb_1, …]. */
export function chunkGradient(layers: readonly DenseLayer[], x: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor[] {
  const pass = lossPass(layers, x, labels);
  const out: tf.Tensor[] = [];
  let delta = pass.delta;
  for (let d = layers.length - 1; d >= 0; d--) {
    out[2 * d] = tf.matMul(tf.transpose(pass.inputs[d]!), delta);
    out[2 * d + 1] = tf.sum(delta, 0);
    if (d > 0) {
      delta = tf.mul(tf.matMul(delta, tf.transpose(layers[d]!.w)), tf.step(pass.preActivations[d - 1]!)) as tf.Tensor2D;
    }
  }
  return out;
}

/** Σ_i ∇²L_i v over the chunk, as [HW_0, Hb_0, …]. */
export function chunkHvp(
  layers: readonly DenseLayer[],
  tangent: readonly TangentLayer[],
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
): tf.Tensor[] {
  const pass = lossPass(layers, x, labels);
  const { rInputs, rLogits } = tangentForward(layers, tangent, pass);
  const p = pass.probs;
  let delta = pass.delta;
  let rDelta = tf.mul(p, tf.sub(rLogits, tf.sum(tf.mul(p, rLogits), 1, true))) as tf.Tensor2D;
  const out: tf.Tensor[] = [];
  for (let d = layers.length - 1; d >= 0; d--) {
    let hw = tf.matMul(tf.transpose(pass.inputs[d]!), rDelta);
    const ra = rInputs[d];
    if (ra) hw = tf.add(hw, tf.matMul(tf.transpose(ra), delta));
    out[2 * d] = hw;
    out[2 * d + 1] = tf.sum(rDelta, 0);
    if (d > 0) {
      const mask = tf.step(pass.preActivations[d - 1]!);
      const wT = tf.transpose(layers[d]!.w);
      rDelta = tf.mul(
        tf.add(tf.matMul(rDelta, wT), tf.matMul(delta, tf.transpose(tangent[d]!.w))),
        mask,
      ) as tf.Tensor2D;
      delta = tf.mul(tf.matMul(delta, wT), mask) as tf.Tensor2D;
    }
  }
  return out;
}

/** ⟨∇L_i, s⟩ for each row of the chunk, [m]. */
export function chunkDirectional(
  layers: readonly DenseLayer[],
  tangent: readonly TangentLayer[],
  x: tf.Tensor2D,
  labels: tf.Tensor1D,
): tf.Tensor1D {
  const pass = lossPass(layers, x, labels);
  const { rLogits } = tangentForward(layers, tangent, pass);
  return tf.sum(tf.mul(pass.delta, rLogits), 1) as tf.Tensor1D;
}
