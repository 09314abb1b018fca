/**
 * L-BFGS in float64 (Nocedal & Wright 2006, Alg. 7.4/7.5) with a weak-Wolfe bracketing line search
 * (Lewis & Overton 2013) that also accepts Hager & Zhang's (2005) approximate Wolfe conditions. The
 * latter matter here: the engines evaluate J in float32, so near the optimum the Armijo decrease
 * (≈ ‖∇J‖² / L) sinks below the rounding noise of J, and only the directional derivatives, which do
 * not suffer that cancellation, can still tell a good step from a bad one.
 *
 * Accepted step t along d (φ(t) = f(x + t d), c1 = 1e-4, c2 = 0.9):
 *   curvature   φ'(t) ≥ c2 φ'(0)                                   (always; keeps sᵀy > 0), and either
 *   Armijo      φ(t) ≤ φ(0) + c1 t φ'(0), or
 *   approximate φ(t) ≤ φ(0) + ε_f and φ'(t) ≤ (2c1 − 1) φ'(0), with ε_f = noise·|φ(0)|.
 *
 * @example
 *   const r = lbfgs((x) => ({ value: f(x), gradient: grad(x) }), x0, { gradientTolerance: 1e-8 });
 *   r.x; r.gradientNorm; r.converged;
 */

export interface ValueAndGradient {
  readonly value: number;
  readonly gradient: Float64Array;
}

export interface LbfgsOptions {
  /** Stop when ‖∇f‖₂ ≤ this; default 1e-6. */
  readonly gradientTolerance?: number;
  /** Default 5000. */
  readonly maxIterations?: number;
  /** Pairs (s, y) kept; default 20. */
  readonly memory?: number;
  /** First step length along −∇f (before any curvature pair exists); default min(1, 1/‖∇f‖). */
  readonly initialStep?: number;
  /** Relative noise of f for the approximate-Wolfe test; default 1e-7 (f rounded to float32). */
  readonly valueNoise?: number;
  /**
   * Also stop ('value') once the lowest f seen has improved by at most valueTolerance·|f| over the
   * last `valueWindow` iterations: for objectives whose minimiser is a kink (ReLU nets, see
   * docs/INFLUENCE.md), where ‖∇f‖ never gets small. Default 0 (off).
   */
  readonly valueTolerance?: number;
  /** Default 25. */
  readonly valueWindow?: number;
  /** Trial steps per line search before giving up on the direction; default 40. */
  readonly maxLineSearch?: number;
}

export interface LbfgsResult {
  /** The iterate with the smallest gradient norm seen. */
  readonly x: Float64Array;
  readonly value: number;
  readonly gradientNorm: number;
  readonly iterations: number;
  /** Function/gradient evaluations, line-search trials included. */
  readonly evaluations: number;
  readonly converged: boolean;
  /** The lowest f seen (at a point whose gradient may be larger than gradientNorm's). */
  readonly lowestValue: number;
  /** ‖∇f‖ at the point of lowest f. */
  readonly gradientNormAtLowest: number;
  /**
   * Why it stopped: 'tolerance', 'iterations', 'stalled' (no acceptable step even along −∇f), or
   * 'value' (f stopped improving, see valueTolerance).
   */
  readonly stop: 'tolerance' | 'iterations' | 'stalled' | 'value';
  /** With stop 'value' the point of lowest f, otherwise the one of smallest ‖∇f‖. */
  readonly returned: 'lowest value' | 'smallest gradient';
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

const C1 = 1e-4;
const C2 = 0.9;

export function lbfgs(
  fg: (x: Float64Array) => ValueAndGradient,
  start: ArrayLike<number>,
  opts: LbfgsOptions = {},
): LbfgsResult {
  const tol = opts.gradientTolerance ?? 1e-6;
  const maxIterations = opts.maxIterations ?? 5000;
  const memory = opts.memory ?? 20;
  const noise = opts.valueNoise ?? 1e-7;
  const valueTolerance = opts.valueTolerance ?? 0;
  const valueWindow = opts.valueWindow ?? 25;
  const lowestHistory: number[] = [];
  const maxTrials = opts.maxLineSearch ?? 40;
  const dim = start.length;
  let x: Float64Array = Float64Array.from(start);
  let cur = fg(x);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const R: number[] = [];
  let best = { x: Float64Array.from(x), value: cur.value, norm: Math.sqrt(dot(cur.gradient, cur.gradient)) };
  let lowest = { ...best };
  let iterations = 0;
  let stop: LbfgsResult['stop'] = 'iterations';
  for (;;) {
    const g = cur.gradient;
    const gn = Math.sqrt(dot(g, g));
    if (!Number.isFinite(gn) || !Number.isFinite(cur.value))
      throw new Error(`L-BFGS: non-finite objective or gradient at iteration ${iterations}`);
    if (gn < best.norm) best = { x: Float64Array.from(x), value: cur.value, norm: gn };
    if (cur.value < lowest.value) lowest = { x: Float64Array.from(x), value: cur.value, norm: gn };
    if (gn <= tol) {
      stop = 'tolerance';
      break;
    }
    lowestHistory.push(lowest.value);
    if (valueTolerance > 0 && lowestHistory.length > valueWindow) {
      const before = lowestHistory[lowestHistory.length - 1 - valueWindow]!;
      if (before - lowest.value <= valueTolerance * Math.abs(lowest.value)) {
        stop = 'value';
        break;
      }
    }
    if (iterations >= maxIterations) break;
    // Two-loop recursion: d = −H_k g.
    const d = Float64Array.from(g, (v) => -v);
    const a = new Array<number>(S.length);
    for (let j = S.length - 1; j >= 0; j--) {
      a[j] = R[j]! * dot(S[j]!, d);
      for (let k = 0; k < dim; k++) d[k]! -= a[j]! * Y[j]![k]!;
    }
    const last = S.length - 1;
    const gamma =
      last >= 0 ? dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!) : (opts.initialStep ?? Math.min(1, 1 / gn));
    for (let k = 0; k < dim; k++) d[k]! *= gamma;
    for (let j = 0; j < S.length; j++) {
      const b = R[j]! * dot(Y[j]!, d);
      for (let k = 0; k < dim; k++) d[k]! += (a[j]! - b) * S[j]![k]!;
    }
    const dg0 = dot(d, g);
    if (!(dg0 < 0)) {
      // Not a descent direction (should not happen with sᵀy > 0): forget the curvature pairs.
      S.length = Y.length = R.length = 0;
      continue;
    }
    // Weak-Wolfe bracketing line search from t = 1.
    let lo = 0;
    let hi = Infinity;
    let t = 1;
    let accepted: { x: Float64Array; vg: ValueAndGradient } | undefined;
    for (let trial = 0; trial < maxTrials; trial++) {
      const xt = Float64Array.from(x, (v, k) => v + t * d[k]!);
      const vg = fg(xt);
      evaluations++;
      const dgt = dot(vg.gradient, d);
      const armijo = vg.value <= cur.value + C1 * t * dg0;
      const approx = vg.value <= cur.value + noise * Math.abs(cur.value) && dgt <= (2 * C1 - 1) * dg0;
      if (!Number.isFinite(vg.value) || !(armijo || approx)) hi = t;
      else if (dgt < C2 * dg0) lo = t;
      else {
        accepted = { x: xt, vg };
        break;
      }
      t = hi < Infinity ? (lo + hi) / 2 : 2 * t;
    }
    iterations++;
    if (!accepted) {
      if (S.length === 0) {
        stop = 'stalled';
        break;
      }
      S.length = Y.length = R.length = 0;
      continue;
    }
    const s = Float64Array.from(accepted.x, (v, k) => v - x[k]!);
    const y = Float64Array.from(accepted.vg.gradient, (v, k) => v - g[k]!);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      S.push(s);
      Y.push(y);
      R.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        R.shift();
      }
    }
    x = accepted.x;
    cur = accepted.vg;
  }
  const out = stop === 'value' ? lowest : best;
  return {
    x: out.x,
    value: out.value,
    gradientNorm: out.norm,
    iterations,
    evaluations,
    converged: best.norm <= tol,
    stop,
    lowestValue: lowest.value,
    gradientNormAtLowest: lowest.norm,
    returned: stop === 'value' ? 'lowest value' : 'smallest gradient',
  };
}
