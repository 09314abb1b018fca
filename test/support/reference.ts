/**
 * A plain float64 reference of the maths every engine implements, used as the test oracle. It is
 * deliberately literal and slow: per-sample gradients are materialised, and β is the squared norm
 * of φ_i = −(η/m) g_i over each layer's slice, never the norm identity the engines use, so that
 * agreement tests the identity too.
 *
 * @example
 *   const spec = mlpSpec(5, [4, 3], 3);
 *   const g = sampleGradient(spec, params, x, y);           // ∂L/∂θ for one sample
 *   const fd = finiteDifferenceGradient(spec, params, x, y); // ≈ g
 *   const after = referenceTrain(spec, params, data, order, hyper);
 */
import { layerSlices, paramCount, type ModelSpec } from '../../src/model/spec';
import type { StepHyper, TrainData } from '../../src/engine/types';
import { networkForward, networkSampleGradient } from './network-reference';

type Vector = ArrayLike<number>;

export interface SampleForward {
  /** a_d, the input of each layer (a_1 = x). */
  readonly inputs: Float64Array[];
  /** z_d, the pre-activation of each layer; the last is the logits. */
  readonly preActivations: Float64Array[];
  readonly logProbs: Float64Array;
}

/** A network's forward pass gives its logits only: `inputs` is empty and `preActivations` is [logits]. */
export function forwardSample(spec: ModelSpec, params: Vector, x: Vector): SampleForward {
  if (spec.network) {
    const { logits, logProbs } = networkForward(spec.network, params, x);
    return { inputs: [], preActivations: [logits], logProbs };
  }
  const slices = layerSlices(spec);
  const inputs: Float64Array[] = [];
  const preActivations: Float64Array[] = [];
  let a = Float64Array.from(x);
  slices.forEach((s, d) => {
    inputs.push(a);
    const z = new Float64Array(s.fanOut);
    for (let o = 0; o < s.fanOut; o++) {
      let sum = params[s.bOffset + o]!;
      for (let k = 0; k < s.fanIn; k++) sum += a[k]! * params[s.wOffset + k * s.fanOut + o]!;
      z[o] = sum;
    }
    preActivations.push(z);
    a = d + 1 < slices.length ? z.map((v) => Math.max(v, 0)) : z;
  });
  const logits = preActivations[slices.length - 1]!;
  const max = Math.max(...logits);
  const logSumExp = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
  return { inputs, preActivations, logProbs: logits.map((v) => v - logSumExp) };
}

export function sampleLoss(spec: ModelSpec, params: Vector, x: Vector, y: number): number {
  return -forwardSample(spec, params, x).logProbs[y]!;
}

/** Index of the first largest logit, as argmax does. */
export function predictedClass(forward: SampleForward): number {
  const logits = forward.preActivations[forward.preActivations.length - 1]!;
  let best = 0;
  for (let c = 1; c < logits.length; c++) if (logits[c]! > logits[best]!) best = c;
  return best;
}

/** The label's logit minus the largest other logit. */
export function logitMargin(forward: SampleForward, y: number): number {
  const logits = forward.preActivations[forward.preActivations.length - 1]!;
  return logits[y]! - Math.max(...Array.from(logits).filter((_, c) => c !== y));
}

/** ‖softmax − onehot(y)‖₂. */
export function el2nScore(forward: SampleForward, y: number): number {
  return Math.hypot(...Array.from(forward.logProbs, (lp, c) => Math.exp(lp) - (c === y ? 1 : 0)));
}

/** The full gradient ∂L/∂θ of one sample, by explicit backpropagation, in the flat layout. */
export function sampleGradient(spec: ModelSpec, params: Vector, x: Vector, y: number): Float64Array {
  if (spec.network) return networkSampleGradient(spec.network, params, x, y);
  const slices = layerSlices(spec);
  const { inputs, preActivations, logProbs } = forwardSample(spec, params, x);
  const grad = new Float64Array(paramCount(spec));
  let delta = logProbs.map((lp, c) => Math.exp(lp) - (c === y ? 1 : 0));
  for (let d = slices.length - 1; d >= 0; d--) {
    const s = slices[d]!;
    const a = inputs[d]!;
    for (let k = 0; k < s.fanIn; k++) {
      for (let o = 0; o < s.fanOut; o++) grad[s.wOffset + k * s.fanOut + o] = a[k]! * delta[o]!;
    }
    for (let o = 0; o < s.fanOut; o++) grad[s.bOffset + o] = delta[o]!;
    if (d > 0) {
      const below = new Float64Array(s.fanIn);
      for (let k = 0; k < s.fanIn; k++) {
        if (preActivations[d - 1]![k]! <= 0) continue; // ReLU'(z) = 0 for z <= 0
        let sum = 0;
        for (let o = 0; o < s.fanOut; o++) sum += params[s.wOffset + k * s.fanOut + o]! * delta[o]!;
        below[k] = sum;
      }
      delta = below;
    }
  }
  return grad;
}

/** Central differences of the loss in float64, one parameter at a time. */
export function finiteDifferenceGradient(
  spec: ModelSpec,
  params: Vector,
  x: Vector,
  y: number,
  h = 1e-6,
): Float64Array {
  const theta = Float64Array.from(params);
  const grad = new Float64Array(theta.length);
  for (let j = 0; j < theta.length; j++) {
    const saved = theta[j]!;
    theta[j] = saved + h;
    const up = sampleLoss(spec, theta, x, y);
    theta[j] = saved - h;
    const down = sampleLoss(spec, theta, x, y);
    theta[j] = saved;
    grad[j] = (up - down) / (2 * h);
  }
  return grad;
}

export interface ReferenceRecord {
  readonly importance: Float64Array;
  readonly nll: Float64Array;
  readonly correct: Uint8Array;
  readonly margin: Float64Array;
  readonly el2n: Float64Array;
}

/**
 * SGD over `order` exactly as defined: per batch of m, each sample's nll/correct/margin/el2n at the current
 * θ, φ_i = −(η/m) g_i, β_{i,d} = ‖φ_{i,d}‖² over layer d's slice, then
 * θ ← θ − η((1/m) Σ g_i + λ θ_W). Returns the final θ and the record by sample position.
 */
export function referenceTrain(
  spec: ModelSpec,
  params: Vector,
  data: TrainData,
  order: ArrayLike<number>,
  hyper: StepHyper,
): { params: Float64Array; record: ReferenceRecord } {
  const slices = layerSlices(spec);
  const depth = slices.length;
  const theta = Float64Array.from(params);
  const record = {
    importance: new Float64Array(data.n * depth),
    nll: new Float64Array(data.n),
    correct: new Uint8Array(data.n),
    margin: new Float64Array(data.n),
    el2n: new Float64Array(data.n),
  };
  for (let start = 0; start < order.length; start += hyper.batchSize) {
    const batch = Array.from(order).slice(start, start + hyper.batchSize);
    const m = batch.length;
    const gradSum = new Float64Array(theta.length);
    for (const i of batch) {
      const x = data.x.subarray(i * data.inputSize, (i + 1) * data.inputSize);
      const forward = forwardSample(spec, theta, x);
      record.nll[i] = -forward.logProbs[data.y[i]!]!;
      record.correct[i] = predictedClass(forward) === data.y[i] ? 1 : 0;
      record.margin[i] = logitMargin(forward, data.y[i]!);
      record.el2n[i] = el2nScore(forward, data.y[i]!);
      const g = sampleGradient(spec, theta, x, data.y[i]!);
      if (hyper.importance) {
        slices.forEach((s, d) => {
          let beta = 0;
          for (let j = s.wOffset; j < s.wOffset + s.count; j++) beta += (-(hyper.lr / m) * g[j]!) ** 2;
          record.importance[i * depth + d] = beta;
        });
      }
      g.forEach((v, j) => {
        gradSum[j]! += v;
      });
    }
    const isWeight = weightMask(spec);
    for (let j = 0; j < theta.length; j++) {
      theta[j]! -= hyper.lr * (gradSum[j]! / m + (isWeight[j] ? hyper.weightDecay * theta[j]! : 0));
    }
  }
  return { params: theta, record };
}

/** 1 where the flat parameter is a weight, 0 where it is a bias. */
export function weightMask(spec: ModelSpec): Uint8Array {
  const mask = new Uint8Array(paramCount(spec));
  for (const s of layerSlices(spec)) mask.fill(1, s.wOffset, s.bOffset);
  return mask;
}

/** Per-sample nll and correct at θ, as evaluate() defines them. */
export function referenceEvaluate(
  spec: ModelSpec,
  params: Vector,
  data: TrainData,
): { loss: number; error: number; nll: Float64Array; correct: Uint8Array } {
  const nll = new Float64Array(data.n);
  const correct = new Uint8Array(data.n);
  for (let i = 0; i < data.n; i++) {
    const forward = forwardSample(spec, params, data.x.subarray(i * data.inputSize, (i + 1) * data.inputSize));
    nll[i] = -forward.logProbs[data.y[i]!]!;
    correct[i] = predictedClass(forward) === data.y[i] ? 1 : 0;
  }
  const loss = nll.reduce((s, v) => s + v, 0) / data.n;
  const error = 1 - correct.reduce((s, v) => s + v, 0) / data.n;
  return { loss, error, nll, correct };
}
