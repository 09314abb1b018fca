/**
 * float64 oracles for the second-order queries of the objective
 *   J(θ) = (1/n) Σ_i L_i(θ) + (λ/2) ‖θ_W‖²
 * built only on the literal per-sample gradients of ./reference: the gradient of J, its
 * Hessian-vector product by central differences of that gradient (a test oracle only: the engines
 * compute exact R-operator products), and the per-sample directional derivatives ⟨g_i, s⟩.
 *
 * @example
 *   const hv = finiteDifferenceHvp(spec, params, data, v, 1e-3);   // ≈ model.hvp(data, v, { weightDecay: 1e-3 })
 */
import type { TrainData } from '../../src/engine/types';
import type { ModelSpec } from '../../src/model/spec';
import { sampleGradient, weightMask } from './reference';

type Vector = ArrayLike<number>;

export function sampleRow(data: TrainData, i: number): Float32Array {
  return data.x.subarray(i * data.inputSize, (i + 1) * data.inputSize);
}

/** ∇J in float64. */
export function referenceObjectiveGradient(
  spec: ModelSpec,
  params: Vector,
  data: TrainData,
  weightDecay: number,
): Float64Array {
  const grad = new Float64Array(params.length);
  for (let i = 0; i < data.n; i++) {
    const g = sampleGradient(spec, params, sampleRow(data, i), data.y[i]!);
    for (let j = 0; j < g.length; j++) grad[j]! += g[j]! / data.n;
  }
  const mask = weightMask(spec);
  for (let j = 0; j < grad.length; j++) if (mask[j]) grad[j]! += weightDecay * params[j]!;
  return grad;
}

/** (∇J(θ + h v) − ∇J(θ − h v)) / 2h: O(h²) truncation, no kink crossed for small h on generic data. */
export function finiteDifferenceHvp(
  spec: ModelSpec,
  params: Vector,
  data: TrainData,
  v: Vector,
  weightDecay: number,
  h = 1e-5,
): Float64Array {
  const up = Float64Array.from(params, (p, j) => p + h * v[j]!);
  const down = Float64Array.from(params, (p, j) => p - h * v[j]!);
  const gUp = referenceObjectiveGradient(spec, up, data, weightDecay);
  const gDown = referenceObjectiveGradient(spec, down, data, weightDecay);
  return gUp.map((g, j) => (g - gDown[j]!) / (2 * h));
}

/** ⟨g_i, s⟩ for every sample from the materialised per-sample gradients. */
export function referenceDirectional(spec: ModelSpec, params: Vector, data: TrainData, s: Vector): Float64Array {
  const out = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) {
    const g = sampleGradient(spec, params, sampleRow(data, i), data.y[i]!);
    let dot = 0;
    for (let j = 0; j < g.length; j++) dot += g[j]! * s[j]!;
    out[i] = dot;
  }
  return out;
}

/** The dense Hessian of J by finite differences of the gradient, column by column (tiny nets only). */
export function finiteDifferenceHessian(
  spec: ModelSpec,
  params: Vector,
  data: TrainData,
  weightDecay: number,
  h = 1e-5,
): Float64Array[] {
  const p = params.length;
  const columns: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const e = new Float64Array(p);
    e[j] = 1;
    columns.push(finiteDifferenceHvp(spec, params, data, e, weightDecay, h));
  }
  return columns;
}
