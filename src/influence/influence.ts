/**
 * The influence of a training sample on the final model (Gao & Jojic §4, eqs. 4–5; Koh & Liang 2017).
 *
 * Normalisation. The engines' objective is the mean-loss one the SGD update descends,
 *   J(θ) = (1/n) Σ_i L_i(θ) + (λ/2) ‖θ_W‖²,      H = ∇²J(θ*).
 * The paper's sample-weighted objective (eq. 3) with the same minimiser at v = 1 is
 *   J_v(θ) = Σ_i v_i L_i(θ) + (nλ/2) ‖θ_W‖² = n·J at v = 1,   with Hessian n·H,
 * so eq. 4 reads  dθ* / dv_i = −(nH)⁻¹ g_i = −(1/n) H⁻¹ g_i,  and eq. 5 for a target T
 *   dT/dv_i = −(1/n) ∇Tᵀ H⁻¹ g_i = I_i / n,   where   I_i := −∇T(θ*)ᵀ H⁻¹ g_i
 * is the score this module returns (Koh & Liang's I_up,loss: the effect of upweighting i by ε in the
 * mean objective, (1/n)ΣL + εL_i, is ε·I_i). Changing v_i from 1 to v moves T by ≈ (v − 1) I_i / n;
 * removing the sample (v_i: 1 → 0) by ≈ −I_i / n.
 *
 * Cost. One solve s = H⁻¹ ∇T (k HVPs for k CG iterations; each HVP is ~3 passes over the training
 * data: forward, tangent forward, R-backward), then one JVP pass giving ⟨g_i, s⟩ for every i at once.
 * No per-sample gradient is formed except for the samples whose parameter influence is asked for.
 *
 * @example
 *   const setup = { model, train, objective: { weightDecay: 1e-2 } };
 *   const inf = influenceOnTarget(setup, test, [17], { solver: 'cg', damping: 0 });
 *   inf.predictedRemoval[i];   // ≈ T(θ* without sample i) − T(θ*)
 */
import type { Model, ObjectiveOptions, TrainData } from '../engine/types';
import { layerSlices } from '../model/spec';
import type { Rng } from '../util/rng';
import {
  conjugateGradient,
  largestEigenvalue,
  lissa,
  type HvpOperator,
  type SolveResult,
  type StochasticHvpOperator,
} from './solvers';

export interface InfluenceSetup {
  /** Holds θ* (the converged parameters). */
  readonly model: Model;
  readonly train: TrainData;
  readonly objective: ObjectiveOptions;
}

export type SolverName = 'cg' | 'lissa';
export const SOLVER_NAMES: readonly SolverName[] = ['cg', 'lissa'];

export interface InverseHvpOptions {
  readonly solver: SolverName;
  /** δ added to H (non-convex nets); default 0. */
  readonly damping?: number;
  /** CG: relative residual; LiSSA: relative change per step. Default 1e-6 (CG), 1e-5 (LiSSA). */
  readonly tolerance?: number;
  /** CG iterations; default 500. */
  readonly maxIterations?: number;
  /**
   * LiSSA: scale (default 1.5 × the largest eigenvalue of H + δI by power iteration), depth,
   * repetitions, batch size, seed.
   */
  readonly lissa?: {
    readonly scale?: number;
    readonly depth?: number;
    readonly repetitions?: number;
    readonly batchSize?: number;
    readonly seed?: number;
  };
}

/** Rows `indices` of `data`, copied. */
export function subsetData(data: TrainData, indices: ArrayLike<number>): TrainData {
  const width = data.inputSize;
  const x = new Float32Array(indices.length * width);
  const y = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(i >= 0 && i < data.n)) throw new RangeError(`sample ${i} is outside [0, ${data.n})`);
    x.set(data.x.subarray(i * width, (i + 1) * width), k * width);
    y[k] = data.y[i]!;
  }
  return { x, y, n: indices.length, inputSize: width };
}

/**
 * The one exact null direction of H: softmax is unchanged when every logit moves by the same amount,
 * and the output biases carry no decay, so u = (1 on each output bias)/√C has H u = 0 at any θ. Every
 * g_i and ∇T is orthogonal to u (Σ_c (p_c − y_c) = 0), so H x = b has solutions orthogonal to u, but
 * float32 rounding leaks b's component along u, which a solver would amplify without bound. The
 * operators below therefore apply H + GAUGE·uuᵀ: the same answers for b ⟂ u, and no null space.
 */
export const GAUGE = 1;

function addGauge(model: Model, v: Float32Array, hv: Float32Array): Float32Array {
  const slices = layerSlices(model.spec);
  const out = slices[slices.length - 1]!;
  let along = 0;
  for (let k = out.bOffset; k < out.bOffset + out.fanOut; k++) along += v[k]!;
  const c = (GAUGE * along) / out.fanOut;
  for (let k = out.bOffset; k < out.bOffset + out.fanOut; k++) hv[k]! += c;
  return hv;
}

/** v ↦ (H + GAUGE·uuᵀ) v over all training data. */
export function hessianOperator(setup: InfluenceSetup): HvpOperator {
  return (v) => addGauge(setup.model, v, setup.model.hvp(setup.train, v, setup.objective));
}

/** v ↦ (H_B + GAUGE·uuᵀ) v over a uniformly drawn mini-batch B of `batchSize` samples (with replacement). */
export function stochasticHessianOperator(setup: InfluenceSetup, batchSize: number): StochasticHvpOperator {
  return (v, rng: Rng) => {
    const rows = Int32Array.from({ length: batchSize }, () => rng.int(setup.train.n));
    return addGauge(setup.model, v, setup.model.hvp(subsetData(setup.train, rows), v, setup.objective));
  };
}

/** x ≈ (H + δI)⁻¹ b with the chosen solver. */
export function inverseHvp(setup: InfluenceSetup, b: ArrayLike<number>, opts: InverseHvpOptions): SolveResult {
  const damping = opts.damping ?? 0;
  const full = hessianOperator(setup);
  if (opts.solver === 'cg') {
    return conjugateGradient(full, b, {
      damping,
      tolerance: opts.tolerance ?? 1e-6,
      maxIterations: opts.maxIterations ?? 500,
    });
  }
  const l = opts.lissa ?? {};
  const batchSize = Math.min(l.batchSize ?? 200, setup.train.n);
  const scale = l.scale ?? 1.5 * (largestEigenvalue(full, b.length, 20) + damping);
  return lissa(stochasticHessianOperator(setup, batchSize), b, {
    damping,
    scale,
    depth: l.depth ?? 2000,
    repetitions: l.repetitions ?? 2,
    tolerance: opts.tolerance ?? 1e-5,
    seed: l.seed ?? 1,
    fullOperator: full,
  });
}

/** g_i = ∇L_i(θ*) of one training sample (no decay term). */
export function sampleGradient(setup: InfluenceSetup, i: number): Float32Array {
  return setup.model.lossGradient(subsetData(setup.train, [i]), { weightDecay: 0 });
}

/** ∇T for T = Σ_{k ∈ testIndices} L_k (the sum of the test losses), and T itself. */
export function targetGradient(
  model: Model,
  test: TrainData,
  testIndices: ArrayLike<number>,
): { gradient: Float32Array; value: number } {
  const points = subsetData(test, testIndices);
  const mean = model.lossGradient(points, { weightDecay: 0 });
  return { gradient: mean.map((g) => g * points.n), value: model.evaluate(points).loss * points.n };
}

export interface TargetInfluence {
  readonly testIndices: number[];
  /** T(θ*) = Σ of the test losses. */
  readonly target: number;
  /** I_i = −∇Tᵀ H⁻¹ g_i for every training sample (H of the mean objective J). */
  readonly scores: Float64Array;
  /** dT/dv_i of the paper's eq. 5 (sum-weighted objective): I_i / n. */
  readonly perUnitWeight: Float64Array;
  /** Predicted T(θ*_{−i}) − T(θ*) on removing sample i: −I_i / n. */
  readonly predictedRemoval: Float64Array;
  /** s = (H + δI)⁻¹ ∇T. */
  readonly s: Float64Array;
  readonly solve: SolveResult;
  /** Seconds for the JVP pass over the training data. */
  readonly jvpSeconds: number;
}

export function influenceOnTarget(
  setup: InfluenceSetup,
  test: TrainData,
  testIndices: ArrayLike<number>,
  opts: InverseHvpOptions,
): TargetInfluence {
  const { gradient, value } = targetGradient(setup.model, test, testIndices);
  const solve = inverseHvp(setup, gradient, opts);
  const began = Date.now();
  const dots = setup.model.sampleDirectionalDerivatives(setup.train, Float32Array.from(solve.x));
  const jvpSeconds = (Date.now() - began) / 1000;
  const n = setup.train.n;
  const scores = Float64Array.from(dots, (d) => -d);
  return {
    testIndices: Array.from(testIndices),
    target: value,
    scores,
    perUnitWeight: scores.map((v) => v / n),
    predictedRemoval: scores.map((v) => -v / n),
    s: solve.x,
    solve,
    jvpSeconds,
  };
}

export interface ParameterInfluence {
  readonly sample: number;
  /** Eq. 4: dθ* / dv_i = −(1/n) H⁻¹ g_i (sum-weighted objective). */
  readonly dThetaDv: Float64Array;
  /** −H⁻¹ g_i: the parameter change per unit ε of upweighting in the mean objective. */
  readonly upweight: Float64Array;
  readonly solve: SolveResult;
}

/** Eq. 4 for one sample: one solve with b = g_i. */
export function parameterInfluence(setup: InfluenceSetup, sample: number, opts: InverseHvpOptions): ParameterInfluence {
  const g = sampleGradient(setup, sample);
  const solve = inverseHvp(setup, g, opts);
  const upweight = solve.x.map((v) => -v);
  return { sample, dThetaDv: upweight.map((v) => v / setup.train.n), upweight, solve };
}

/** g_iᵀ H⁻¹ g_i: −I_i for the sample's own loss as the target (Koh & Liang's self-influence). */
export function selfInfluence(
  setup: InfluenceSetup,
  sample: number,
  opts: InverseHvpOptions,
): { value: number; solve: SolveResult } {
  const g = sampleGradient(setup, sample);
  const solve = inverseHvp(setup, g, opts);
  let value = 0;
  for (let k = 0; k < g.length; k++) value += g[k]! * solve.x[k]!;
  return { value, solve };
}
