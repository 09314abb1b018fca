/**
 * Influence against actual retraining (Koh & Liang 2017, Fig. 2): train to convergence, predict the
 * change in a test target on removing each of K training samples (−I_i/n, see ./influence), remove
 * it for real (v_i: 1 → 0 in the sum-weighted objective, i.e. J_{−i} = J − L_i/n), retrain from θ*
 * to convergence, and correlate predicted with actual change.
 *
 * Retraining is full-batch Nesterov-accelerated gradient descent with gradient-based adaptive restart
 * (O'Donoghue & Candès 2015) and step 1/L, L from power iteration on the exact HVP, stopped when
 * ‖∇J_v‖ ≤ tolerance: a plain first-order method on the same objective, whose answer is the
 * minimiser whatever method reaches it.
 *
 * The same run records the paper's τ_i = Σ_t α_i^t during an SGD phase (before the full-batch
 * convergence), and TracIn's self-influence Σ_t η‖g_i^t‖² = Σ_t (m_t²/η) α_i^t, and relates them to
 * the final-model influence.
 *
 * @example
 *   const result = await validateInfluence({ engine, train, test, hidden: [], weightDecay: 1e-2, removals: 50 });
 *   result.correlation.pearson;   // ≈ 0.99 for logistic regression
 */
import { newEpochRecord, type Engine, type Model, type ObjectiveOptions, type TrainData } from '../engine/types';
import { initParams } from '../model/init';
import { layerSlices, mlpSpec, paramCount } from '../model/spec';
import { Rng } from '../util/rng';
import { influenceOnTarget, hessianOperator, selfInfluence, subsetData, type InfluenceSetup, type InverseHvpOptions, type SolverName } from './influence';
import { largestEigenvalue } from './solvers';
import { pearson, spearman } from './stats';

export interface MinimiseOptions {
  readonly objective: ObjectiveOptions;
  /** Reweight one sample: v_i = weight (0 removes it); default none. */
  readonly sample?: number;
  readonly weight?: number;
  /** Stop when ‖∇J_v‖₂ ≤ this; default 1e-6. */
  readonly gradientTolerance?: number;
  /** Default 20,000. */
  readonly maxIterations?: number;
  /** Step 1/L; L ≥ the largest eigenvalue of ∇²J_v near the path. */
  readonly lipschitz: number;
}

export interface MinimiseResult {
  readonly params: Float32Array;
  readonly iterations: number;
  readonly gradientNorm: number;
  readonly converged: boolean;
  readonly seconds: number;
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * a[k];
  return Math.sqrt(s);
}

/**
 * Minimises J_v(θ) = (1/n) Σ_j v_j L_j + (λ/2)‖θ_W‖² (v_j = 1 except v_sample = weight) from `start`,
 * leaving the model's parameters at the result. ∇J_v = ∇J + ((weight − 1)/n) g_sample.
 */
export function minimise(model: Model, train: TrainData, start: Float32Array, opts: MinimiseOptions): MinimiseResult {
  const began = Date.now();
  const tol = opts.gradientTolerance ?? 1e-6;
  const maxIterations = opts.maxIterations ?? 20000;
  const step = 1 / opts.lipschitz;
  const single = opts.sample === undefined ? undefined : subsetData(train, [opts.sample]);
  const extra = opts.sample === undefined ? 0 : ((opts.weight ?? 1) - 1) / train.n;
  const gradient = (theta: Float64Array): Float64Array => {
    model.setParams(Float32Array.from(theta));
    const g = Float64Array.from(model.lossGradient(train, opts.objective));
    if (single && extra !== 0) {
      const gi = model.lossGradient(single, { weightDecay: 0 });
      for (let k = 0; k < g.length; k++) g[k] += extra * gi[k];
    }
    return g;
  };
  let x = Float64Array.from(start);
  let y = Float64Array.from(start);
  let t = 1;
  let gradientNorm = Infinity;
  let iterations = 0;
  let best = { theta: Float64Array.from(start), norm: Infinity };
  for (; iterations < maxIterations; iterations++) {
    const g = gradient(y);
    gradientNorm = norm(g);
    if (gradientNorm < best.norm) best = { theta: Float64Array.from(y), norm: gradientNorm };
    if (!Number.isFinite(gradientNorm)) throw new Error(`retraining diverged at iteration ${iterations} (step 1/L too large?)`);
    if (gradientNorm <= tol) break;
    const xNext = y.map((v, k) => v - step * g[k]);
    let restart = 0;
    for (let k = 0; k < g.length; k++) restart += g[k] * (xNext[k] - x[k]);
    if (restart > 0) {
      // The momentum points uphill: drop it.
      t = 1;
      y = xNext;
    } else {
      const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const beta = (t - 1) / tNext;
      y = xNext.map((v, k) => v + beta * (v - x[k]));
      t = tNext;
    }
    x = xNext;
  }
  const params = Float32Array.from(best.theta);
  model.setParams(params);
  return { params, iterations, gradientNorm: best.norm, converged: best.norm <= tol, seconds: (Date.now() - began) / 1000 };
}

export interface ValidationOptions {
  readonly engine: Engine;
  readonly train: TrainData;
  readonly test: TrainData;
  readonly classes: number;
  /** [] for multinomial logistic regression. */
  readonly hidden: readonly number[];
  readonly weightDecay: number;
  readonly seed?: number;
  /** SGD phase (records τ): epochs, η, batch; default 20, 0.1, 100. */
  readonly sgd?: { readonly epochs?: number; readonly lr?: number; readonly batchSize?: number };
  /** Test samples whose summed loss is the target; or a count of the highest-loss test samples to take. Default 1. */
  readonly testPoints?: readonly number[] | number;
  /** Samples removed and retrained (K); default 50. */
  readonly removals?: number;
  readonly solver?: InverseHvpOptions;
  /** ‖∇J‖ tolerance for θ* and for each retraining; default 1e-6. */
  readonly gradientTolerance?: number;
  readonly maxIterations?: number;
  /** Random training samples whose self-influence g_iᵀH⁻¹g_i is solved for, to relate to τ; default 30. */
  readonly selfInfluenceSamples?: number;
  readonly onProgress?: (message: string) => void;
}

export interface ValidationResult {
  readonly model: { readonly kind: 'logreg' | 'mlp'; readonly sizes: number[]; readonly params: number };
  readonly engine: string;
  readonly n: number;
  readonly weightDecay: number;
  readonly normalisation: string;
  readonly sgd: { epochs: number; lr: number; batchSize: number; seconds: number };
  readonly optimum: { iterations: number; gradientNorm: number; converged: boolean; seconds: number; lipschitz: number; trainLoss: number; testError: number };
  readonly target: { testIndices: number[]; labels: number[]; value: number };
  readonly solve: { solver: SolverName; damping: number; iterations: number; hvps: number; converged: boolean; finalResidual: number; residualNorms: number[]; negativeCurvature: { iteration: number; curvature: number }[]; seconds: number; jvpSeconds: number };
  readonly removed: { sample: number; label: number; score: number; predicted: number; actual: number; iterations: number; gradientNorm: number }[];
  readonly correlation: { pearson: number; spearman: number; samples: number };
  readonly retrainSeconds: number;
  readonly importance: {
    readonly samples: number[];
    readonly tau: number[];
    readonly tracin: number[];
    readonly selfInfluence: number[];
    readonly finalGradNormSq: number[];
    readonly spearman: { tauVsSelfInfluence: number; tracinVsSelfInfluence: number; tauVsFinalGradNormSq: number; tauVsAbsTargetInfluenceAll: number; selfInfluenceVsFinalGradNormSq: number };
  };
  /** I_i for every training sample (for figures). */
  readonly scores: number[];
  readonly tauAll: number[];
  readonly seconds: number;
}

/** K samples across the score range: the K/4 highest, the K/4 lowest, the rest evenly spaced in rank. */
export function chooseAcrossRange(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  if (k >= n) return order;
  const tail = Math.floor(k / 4);
  const chosen = new Set<number>([...order.slice(0, tail), ...order.slice(n - tail)]);
  const middle = order.slice(tail, n - tail);
  const rest = k - chosen.size;
  for (let j = 0; j < rest; j++) chosen.add(middle[Math.floor(((j + 0.5) * middle.length) / rest)]);
  return [...chosen];
}

export async function validateInfluence(opts: ValidationOptions): Promise<ValidationResult> {
  const began = Date.now();
  const say = opts.onProgress ?? (() => {});
  const { train, test } = opts;
  const spec = mlpSpec(train.inputSize, opts.hidden, opts.classes);
  const objective: ObjectiveOptions = { weightDecay: opts.weightDecay };
  const seed = opts.seed ?? 1;
  const epochs = opts.sgd?.epochs ?? 20;
  const lr = opts.sgd?.lr ?? 0.1;
  const batchSize = opts.sgd?.batchSize ?? 100;
  const tol = opts.gradientTolerance ?? 1e-6;
  const solverOpts: InverseHvpOptions = opts.solver ?? { solver: 'cg', damping: 0 };
  const model = opts.engine.createModel(spec, initParams(spec, seed, 'glorot'));
  try {
    // 1. SGD as in the paper, recording α_i^t per epoch: τ_i and TracIn's Σ_t (m²/η) α_i^t.
    const sgdBegan = Date.now();
    const depth = layerSlices(spec).length;
    const tau = new Float64Array(train.n);
    const tracin = new Float64Array(train.n);
    const rng = new Rng(seed + 1000);
    for (let e = 0; e < epochs; e++) {
      const order = rng.permutation(train.n);
      const record = newEpochRecord(train.n, depth);
      model.trainBatches(train, order, { lr, weightDecay: opts.weightDecay, batchSize, importance: true }, record);
      order.forEach((i, pos) => {
        const m = Math.min(batchSize, train.n - Math.floor(pos / batchSize) * batchSize);
        let alpha = 0;
        for (let d = 0; d < depth; d++) alpha += record.importance[i * depth + d];
        tau[i] += alpha;
        tracin[i] += ((m * m) / lr) * alpha;
      });
    }
    const sgdSeconds = (Date.now() - sgdBegan) / 1000;
    say(`SGD: ${epochs} epochs in ${sgdSeconds.toFixed(1)} s`);

    // 2. θ*: full-batch accelerated GD to ‖∇J‖ ≤ tol.
    const setup: InfluenceSetup = { model, train, objective };
    const lipschitz = 1.2 * largestEigenvalue(hessianOperator(setup), paramCount(spec), 20);
    const optimum = minimise(model, train, model.getParams(), { objective, gradientTolerance: tol, maxIterations: opts.maxIterations, lipschitz });
    const thetaStar = optimum.params;
    const trainLoss = model.evaluate(train).loss;
    const testEval = model.evaluate(test);
    say(`θ*: ${optimum.iterations} iterations, ‖∇J‖ = ${optimum.gradientNorm.toExponential(2)} (${optimum.converged ? 'converged' : 'NOT converged'}), L = ${lipschitz.toFixed(3)}, test error ${(100 * testEval.error).toFixed(2)}%`);

    // 3. Target: the summed loss of the chosen test points.
    const tp = opts.testPoints ?? 1;
    const testIndices = typeof tp === 'number'
      ? Array.from({ length: test.n }, (_, i) => i).sort((a, b) => testEval.nll[b] - testEval.nll[a]).slice(0, tp)
      : [...tp];
    const inf = influenceOnTarget(setup, test, testIndices, solverOpts);
    say(`solve (${inf.solve.solver}, δ = ${inf.solve.damping}): ${inf.solve.iterations} iterations, residual ${inf.solve.finalResidual.toExponential(2)}, ${inf.solve.seconds.toFixed(1)} s`);

    // 4. Remove each chosen sample, retrain from θ*, measure the change in T.
    const points = subsetData(test, testIndices);
    const targetAt = (): number => model.evaluate(points).loss * points.n;
    model.setParams(thetaStar);
    const base = targetAt();
    const chosen = chooseAcrossRange(inf.scores, opts.removals ?? 50);
    const retrainBegan = Date.now();
    const removed: ValidationResult['removed'] = [];
    for (const [k, i] of chosen.entries()) {
      const r = minimise(model, train, thetaStar, { objective, sample: i, weight: 0, gradientTolerance: tol, maxIterations: opts.maxIterations, lipschitz });
      removed.push({ sample: i, label: train.y[i], score: inf.scores[i], predicted: inf.predictedRemoval[i], actual: targetAt() - base, iterations: r.iterations, gradientNorm: r.gradientNorm });
      if ((k + 1) % 10 === 0) say(`retrained ${k + 1}/${chosen.length}`);
    }
    model.setParams(thetaStar);
    const retrainSeconds = (Date.now() - retrainBegan) / 1000;
    const predicted = removed.map((r) => r.predicted);
    const actual = removed.map((r) => r.actual);

    // 5. τ, TracIn and the final-model self-influence on random samples.
    const selfRng = new Rng(seed + 2000);
    const selfSamples = Array.from(selfRng.permutation(train.n).subarray(0, Math.min(opts.selfInfluenceSamples ?? 30, train.n)));
    const self = selfSamples.map((i) => selfInfluence(setup, i, solverOpts).value);
    const gradSq = selfSamples.map((i) => {
      const g = model.lossGradient(subsetData(train, [i]), { weightDecay: 0 });
      return norm(g) ** 2;
    });
    const tauSel = selfSamples.map((i) => tau[i]);
    const tracinSel = selfSamples.map((i) => tracin[i]);
    return {
      model: { kind: opts.hidden.length === 0 ? 'logreg' : 'mlp', sizes: [spec.inputSize, ...spec.hidden, spec.classes], params: paramCount(spec) },
      engine: `${opts.engine.name} (${opts.engine.backend})`,
      n: train.n,
      weightDecay: opts.weightDecay,
      normalisation: 'J = (1/n) Σ L_i + (λ/2)‖θ_W‖², H = ∇²J; I_i = −∇Tᵀ(H+δI)⁻¹g_i; dT/dv_i (eq. 5, objective Σ v_i L_i + (nλ/2)‖θ_W‖²) = I_i/n; predicted removal change = −I_i/n',
      sgd: { epochs, lr, batchSize, seconds: sgdSeconds },
      optimum: { iterations: optimum.iterations, gradientNorm: optimum.gradientNorm, converged: optimum.converged, seconds: optimum.seconds, lipschitz, trainLoss, testError: testEval.error },
      target: { testIndices, labels: testIndices.map((i) => test.y[i]), value: base },
      solve: {
        solver: inf.solve.solver, damping: inf.solve.damping, iterations: inf.solve.iterations, hvps: inf.solve.hvps, converged: inf.solve.converged,
        finalResidual: inf.solve.finalResidual, residualNorms: inf.solve.residualNorms, negativeCurvature: inf.solve.negativeCurvature, seconds: inf.solve.seconds, jvpSeconds: inf.jvpSeconds,
      },
      removed,
      correlation: { pearson: pearson(predicted, actual), spearman: spearman(predicted, actual), samples: removed.length },
      retrainSeconds,
      importance: {
        samples: selfSamples,
        tau: tauSel,
        tracin: tracinSel,
        selfInfluence: self,
        finalGradNormSq: gradSq,
        spearman: {
          tauVsSelfInfluence: spearman(tauSel, self),
          tracinVsSelfInfluence: spearman(tracinSel, self),
          tauVsFinalGradNormSq: spearman(tauSel, gradSq),
          tauVsAbsTargetInfluenceAll: spearman(tau, inf.scores.map(Math.abs)),
          selfInfluenceVsFinalGradNormSq: spearman(self, gradSq),
        },
      },
      scores: Array.from(inf.scores),
      tauAll: Array.from(tau),
      seconds: (Date.now() - began) / 1000,
    };
  } finally {
    model.dispose();
  }
}
