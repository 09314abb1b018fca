/**
 * Solvers for (H + δI) x = b given only Hessian-vector products: conjugate gradient and LiSSA
 * (Agarwal, Bullins & Hazan 2017). Both work in float64 on the front end; the operator (an engine's
 * exact HVP over the data or a mini-batch) takes and returns float32.
 *
 * Damping δ makes a non-convex H (a net short of a minimum, or a flat direction) usable: the solve
 * is then of H + δI, and every result reports the δ it used.
 *
 * @example
 *   const op = (v: Float32Array) => model.hvp(train, v, { weightDecay: 1e-3 });
 *   const cg = conjugateGradient(op, b, { damping: 0, tolerance: 1e-6, maxIterations: 200 });
 *   cg.x;                 // ≈ H⁻¹ b
 *   cg.residualNorms;     // ‖b − (H+δI) x_k‖ / ‖b‖ per iteration, starting with 1 at x_0 = 0
 */
import { Rng } from '../util/rng';

/** v ↦ H v (float32 in, float32 out), e.g. an engine's hvp over the training data. */
export type HvpOperator = (v: Float32Array) => Float32Array;
/** v ↦ H_B v on a fresh random mini-batch B drawn with `rng` (an unbiased estimate of H v). */
export type StochasticHvpOperator = (v: Float32Array, rng: Rng) => Float32Array;

export interface SolveResult {
  readonly solver: 'cg' | 'lissa';
  /** ≈ (H + δI)⁻¹ b */
  readonly x: Float64Array;
  readonly damping: number;
  readonly iterations: number;
  /** HVPs spent (CG: one per iteration plus one for the final residual; LiSSA: mini-batch ones plus one full). */
  readonly hvps: number;
  readonly converged: boolean;
  /**
   * CG: the relative residual ‖b − (H+δI)x_k‖/‖b‖ after each iteration (index 0: x_0 = 0).
   * LiSSA: the relative change ‖h_j − h_{j−1}‖/‖h_j‖ per step, averaged over repetitions.
   */
  readonly residualNorms: number[];
  /** ‖b − (H+δI)x‖/‖b‖ of the returned x, with the full (not stochastic) operator where one was given. */
  readonly finalResidual: number;
  /** CG only: iterations at which pᵀ(H+δI)p ≤ 0 was met, with that curvature pᵀ(H+δI)p / ‖p‖². */
  readonly negativeCurvature: { iteration: number; curvature: number }[];
  readonly seconds: number;
}

export interface CgOptions {
  /** δ ≥ 0; default 0. */
  readonly damping?: number;
  /** Stop when ‖r_k‖/‖b‖ ≤ tolerance; default 1e-6. */
  readonly tolerance?: number;
  /** Default 500. */
  readonly maxIterations?: number;
  /** On pᵀ(H+δI)p ≤ 0: 'stop' returns the current iterate (default), 'continue' goes on regardless. */
  readonly onNegativeCurvature?: 'stop' | 'continue';
  /** Called after each iteration with the relative residual. */
  readonly onIteration?: (iteration: number, relativeResidual: number) => void;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** (H + δI) v in float64 from the float32 operator. */
function applyDamped(op: HvpOperator, v: Float64Array, damping: number): Float64Array {
  const hv = op(Float32Array.from(v));
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = hv[k]! + damping * v[k]!;
  return out;
}

/**
 * Conjugate gradient from x_0 = 0. Exact in at most dim iterations for SPD H + δI (in exact arithmetic).
 * Negative or zero curvature along a search direction means H + δI is not positive definite there:
 * it is recorded, and by default the solve stops (raise δ, or use the result with care).
 */
export function conjugateGradient(op: HvpOperator, b: ArrayLike<number>, opts: CgOptions = {}): SolveResult {
  const began = Date.now();
  const damping = opts.damping ?? 0;
  const tolerance = opts.tolerance ?? 1e-6;
  const maxIterations = opts.maxIterations ?? 500;
  if (!(damping >= 0)) throw new RangeError(`damping must be >= 0, got ${damping}`);
  const dim = b.length;
  const x = new Float64Array(dim);
  const r = Float64Array.from(b);
  const p = Float64Array.from(b);
  const bNorm = norm(b);
  const residualNorms = [1];
  const negativeCurvature: { iteration: number; curvature: number }[] = [];
  if (bNorm === 0) {
    return {
      solver: 'cg',
      x,
      damping,
      iterations: 0,
      hvps: 0,
      converged: true,
      residualNorms: [0],
      finalResidual: 0,
      negativeCurvature,
      seconds: 0,
    };
  }
  let rr = dot(r, r);
  let iterations = 0;
  let hvps = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const hp = applyDamped(op, p, damping);
    hvps++;
    const pHp = dot(p, hp);
    iterations++;
    if (!(pHp > 0)) {
      negativeCurvature.push({ iteration: iterations, curvature: pHp / dot(p, p) });
      if ((opts.onNegativeCurvature ?? 'stop') === 'stop') {
        residualNorms.push(Math.sqrt(rr) / bNorm);
        break;
      }
    }
    const alpha = rr / pHp;
    for (let k = 0; k < dim; k++) {
      x[k]! += alpha * p[k]!;
      r[k]! -= alpha * hp[k]!;
    }
    const rrNext = dot(r, r);
    const rel = Math.sqrt(rrNext) / bNorm;
    residualNorms.push(rel);
    opts.onIteration?.(iterations, rel);
    if (rel <= tolerance) {
      converged = true;
      break;
    }
    const beta = rrNext / rr;
    for (let k = 0; k < dim; k++) p[k] = r[k]! + beta * p[k]!;
    rr = rrNext;
  }
  // The recursive residual drifts from the true one in finite precision: report the true one.
  const hx = applyDamped(op, x, damping);
  hvps++;
  const finalResidual = norm(Float64Array.from(b, (v, k) => v - hx[k]!)) / bNorm;
  return {
    solver: 'cg',
    x,
    damping,
    iterations,
    hvps,
    converged,
    residualNorms,
    finalResidual,
    negativeCurvature,
    seconds: (Date.now() - began) / 1000,
  };
}

export interface LissaOptions {
  /** δ ≥ 0; default 0. */
  readonly damping?: number;
  /** Must exceed the largest eigenvalue of H_B + δI for the recursion to converge (see largestEigenvalue). */
  readonly scale: number;
  /** Recursion steps per repetition (the Neumann series is truncated there); default 1000. */
  readonly depth?: number;
  /** Independent repetitions averaged; default 4. */
  readonly repetitions?: number;
  /** Stop a repetition early once ‖h_j − h_{j−1}‖/‖h_j‖ ≤ tolerance; default 1e-5. */
  readonly tolerance?: number;
  readonly seed?: number;
  /** When given, the returned finalResidual uses this full operator (one extra HVP). */
  readonly fullOperator?: HvpOperator;
}

/**
 * LiSSA: h_0 = b, h_j = b + (I − (H_{B_j} + δI)/scale) h_{j−1}, whose limit is scale·(H + δI)⁻¹ b (a
 * Neumann series, in expectation over the mini-batches B_j); the estimate is h/scale, averaged over
 * repetitions.
 */
export function lissa(op: StochasticHvpOperator, b: ArrayLike<number>, opts: LissaOptions): SolveResult {
  const began = Date.now();
  const damping = opts.damping ?? 0;
  const depth = opts.depth ?? 1000;
  const repetitions = opts.repetitions ?? 4;
  const tolerance = opts.tolerance ?? 1e-5;
  const scale = opts.scale;
  if (!(scale > 0)) throw new RangeError(`LiSSA needs scale > 0, got ${scale}`);
  const rng = new Rng(opts.seed ?? 1);
  const dim = b.length;
  const x = new Float64Array(dim);
  const sums: number[] = [];
  const counts: number[] = [];
  let hvps = 0;
  let iterations = 0;
  let allConverged = true;
  for (let rep = 0; rep < repetitions; rep++) {
    const h = Float64Array.from(b);
    let converged = false;
    for (let j = 0; j < depth; j++) {
      const hh = op(Float32Array.from(h), rng);
      hvps++;
      let change = 0;
      let size = 0;
      for (let k = 0; k < dim; k++) {
        const next = b[k]! + h[k]! - (hh[k]! + damping * h[k]!) / scale;
        change += (next - h[k]!) ** 2;
        size += next * next;
        h[k] = next;
      }
      if (!Number.isFinite(size))
        throw new Error(`LiSSA diverged at step ${j + 1}: scale ${scale} is below the largest eigenvalue of H_B + δI`);
      const rel = Math.sqrt(change / size);
      sums[j] = (sums[j] ?? 0) + rel;
      counts[j] = (counts[j] ?? 0) + 1;
      iterations = Math.max(iterations, j + 1);
      if (rel <= tolerance) {
        converged = true;
        break;
      }
    }
    allConverged &&= converged;
    for (let k = 0; k < dim; k++) x[k]! += h[k]! / scale / repetitions;
  }
  const residualNorms = sums.map((s, j) => s / counts[j]!);
  let finalResidual = NaN;
  if (opts.fullOperator) {
    const hx = applyDamped(opts.fullOperator, x, damping);
    hvps++;
    finalResidual = norm(Float64Array.from(b, (v, k) => v - hx[k]!)) / norm(b);
  }
  return {
    solver: 'lissa',
    x,
    damping,
    iterations,
    hvps,
    converged: allConverged,
    residualNorms,
    finalResidual,
    negativeCurvature: [],
    seconds: (Date.now() - began) / 1000,
  };
}

/**
 * The largest eigenvalue of H by power iteration (|λ|max, in fact: the one of largest magnitude),
 * e.g. for LiSSA's scale or a gradient step 1/L. Returns the Rayleigh quotient after `iterations`.
 */
export function largestEigenvalue(op: HvpOperator, dim: number, iterations = 30, seed = 1): number {
  const rng = new Rng(seed);
  let v = Float64Array.from({ length: dim }, () => rng.uniform() - 0.5);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    const n = norm(v);
    for (let k = 0; k < dim; k++) v[k]! /= n;
    const hv = op(Float32Array.from(v));
    lambda = dot(v, hv);
    v = Float64Array.from(hv);
  }
  return lambda;
}
