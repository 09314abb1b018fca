/**
 * Influence against actual retraining (Koh & Liang 2017, Fig. 2): train to convergence, predict the
 * change in a test target on removing each of K training samples (−I_i/n, see ./influence), remove
 * it for real (v_i: 1 → 0 in the sum-weighted objective, i.e. J_{−i} = J − L_i/n), retrain from θ*
 * to convergence, and correlate predicted with actual change.
 *
 * θ* and every retraining are found by full-batch L-BFGS in float64 (./lbfgs, weak-Wolfe line search
 * that tolerates float32 noise in J) on the engine's J and ∇J, stopped when ‖∇J_v‖ ≤ tolerance: a
 * first-order quasi-Newton method on the same objective (no HVP, so no use of the quantity being
 * validated), whose answer is the minimiser whatever method reaches it. Each retraining starts from θ*.
 * (Accelerated gradient descent with restarts, used before, stalled at ‖∇J‖ ≈ 7e-3 after 3000 steps
 * on a 784-32-10 MLP: the curvature ranges over ~4 decades there.)
 *
 * Should CG meet negative curvature at θ* (a net short of a minimum, float32 noise along flat
 * directions), the solve is retried with damping δ = 1e-4, 1e-3, … up to `maxDamping`; the δ used is
 * reported with the result.
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
import {
  influenceOnTarget,
  hessianOperator,
  selfInfluence,
  subsetData,
  type InfluenceSetup,
  type InverseHvpOptions,
  type SolverName,
} from './influence';
import { largestEigenvalue } from './solvers';
import { pearson, spearman } from '../analysis/stats';
import { lbfgs, type ValueAndGradient } from './lbfgs';

export interface MinimiseOptions {
  readonly objective: ObjectiveOptions;
  /** Reweight one sample: v_i = weight (0 removes it); default none. */
  readonly sample?: number;
  readonly weight?: number;
  /** Stop when ‖∇J_v‖₂ ≤ this; default 1e-6. */
  readonly gradientTolerance?: number;
  /** L-BFGS iterations; default 5000. */
  readonly maxIterations?: number;
  /** An upper bound L on the curvature of J_v: the first step along −∇J_v is 1/L (default min(1, 1/‖∇J_v‖)). */
  readonly lipschitz?: number;
  /** L-BFGS memory; default 20. */
  readonly memory?: number;
  /** Stop once J_v improved by ≤ this·|J_v| over 25 iterations (see LbfgsOptions.valueTolerance); default 0 (off). */
  readonly valueTolerance?: number;
}

export interface MinimiseResult {
  readonly params: Float32Array;
  readonly iterations: number;
  /** Objective and gradient evaluations (line-search trials included). */
  readonly evaluations: number;
  readonly gradientNorm: number;
  readonly converged: boolean;
  readonly stop: 'tolerance' | 'iterations' | 'stalled' | 'value';
  /** J_v at the returned parameters. */
  readonly value: number;
  readonly seconds: number;
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * a[k]!;
  return Math.sqrt(s);
}

/**
 * Minimises J_v(θ) = (1/n) Σ_j v_j L_j + (λ/2)‖θ_W‖² (v_j = 1 except v_sample = weight) from `start`
 * by L-BFGS in float64 (./lbfgs) on the engine's float32 J and ∇J, leaving the model's parameters at
 * the result (the float32 point whose gradient was measured). ∇J_v = ∇J + ((weight − 1)/n) g_sample.
 */
export function minimise(model: Model, train: TrainData, start: Float32Array, opts: MinimiseOptions): MinimiseResult {
  const began = Date.now();
  const tol = opts.gradientTolerance ?? 1e-6;
  const single = opts.sample === undefined ? undefined : subsetData(train, [opts.sample]);
  const extra = opts.sample === undefined ? 0 : ((opts.weight ?? 1) - 1) / train.n;
  const lambda = opts.objective.weightDecay;
  const weights = layerSlices(model.spec).map((s) => [s.wOffset, s.bOffset] as const);
  const fg = (theta: Float64Array): ValueAndGradient => {
    const params = Float32Array.from(theta);
    model.setParams(params);
    const gradient = Float64Array.from(model.lossGradient(train, opts.objective));
    let value = model.evaluate(train).loss;
    let decay = 0;
    for (const [from, to] of weights) for (let k = from; k < to; k++) decay += params[k]! * params[k]!;
    value += (lambda / 2) * decay;
    if (single && extra !== 0) {
      const gi = model.lossGradient(single, { weightDecay: 0 });
      for (let k = 0; k < gradient.length; k++) gradient[k]! += extra * gi[k]!;
      value += extra * model.evaluate(single).loss;
    }
    return { value, gradient };
  };
  const r = lbfgs(fg, start, {
    gradientTolerance: tol,
    maxIterations: opts.maxIterations ?? 5000,
    memory: opts.memory ?? 20,
    initialStep: opts.lipschitz ? 1 / opts.lipschitz : undefined,
    // J is the engine's float32 per-sample losses, summed: the approximate-Wolfe tolerance is lbfgs's default 1e-7·|J|.
    valueTolerance: opts.valueTolerance ?? 0,
  });
  const params = Float32Array.from(r.x);
  model.setParams(params);
  return {
    params,
    iterations: r.iterations,
    evaluations: r.evaluations,
    gradientNorm: r.gradientNorm,
    converged: r.converged,
    stop: r.stop,
    value: r.value,
    seconds: (Date.now() - began) / 1000,
  };
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
  /** On negative curvature with the given damping, retry with δ = 1e-4, 1e-3, … up to this (0: never); default 0.1. */
  readonly maxDamping?: number;
  /** ‖∇J‖ tolerance for θ* and for each retraining; default 1e-6. */
  readonly gradientTolerance?: number;
  /** L-BFGS iteration cap of each retraining; default 5000. */
  readonly maxIterations?: number;
  /** L-BFGS iteration cap for θ*; default 5000. */
  readonly optimumIterations?: number;
  /**
   * Also accept θ* / a retraining once J stops improving by more than this·|J| over 25 L-BFGS
   * iterations (ReLU nets: the minimiser sits on kinks and ‖∇J‖ stalls at ~1e-3); default 0 (off).
   */
  readonly valueTolerance?: number;
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
  readonly optimum: {
    optimiser: string;
    iterations: number;
    evaluations: number;
    gradientNorm: number;
    converged: boolean;
    stop: string;
    objective: number;
    valueTolerance: number;
    seconds: number;
    lipschitz: number;
    trainLoss: number;
    testError: number;
  };
  readonly target: { testIndices: number[]; labels: number[]; value: number };
  readonly solve: {
    solver: SolverName;
    damping: number;
    dampingTried: { damping: number; negativeCurvature: number; iterations: number }[];
    iterations: number;
    hvps: number;
    converged: boolean;
    finalResidual: number;
    residualNorms: number[];
    negativeCurvature: { iteration: number; curvature: number }[];
    seconds: number;
    jvpSeconds: number;
  };
  readonly removed: {
    sample: number;
    label: number;
    score: number;
    predicted: number;
    actual: number;
    iterations: number;
    evaluations: number;
    gradientNorm: number;
    converged: boolean;
    stop: string;
  }[];
  readonly correlation: { pearson: number; spearman: number; samples: number };
  readonly retrainSeconds: number;
  /** Retrainings that stopped above the gradient tolerance (their ‖∇J_v‖ is in `removed`). */
  readonly retrainNotConverged: number;
  readonly importance: {
    readonly samples: number[];
    readonly tau: number[];
    readonly tracin: number[];
    readonly selfInfluence: number[];
    readonly finalGradNormSq: number[];
    readonly spearman: {
      tauVsSelfInfluence: number;
      tracinVsSelfInfluence: number;
      tauVsFinalGradNormSq: number;
      tauVsAbsTargetInfluenceAll: number;
      selfInfluenceVsFinalGradNormSq: number;
    };
  };
  /** I_i for every training sample (for figures). */
  readonly scores: number[];
  readonly tauAll: number[];
  readonly seconds: number;
}

/** K samples across the score range: the K/4 highest, the K/4 lowest, the rest evenly spaced in rank. */
export function chooseAcrossRange(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  if (k >= n) return order;
  const tail = Math.floor(k / 4);
  const chosen = new Set<number>([...order.slice(0, tail), ...order.slice(n - tail)]);
  const middle = order.slice(tail, n - tail);
  const rest = k - chosen.size;
  for (let j = 0; j < rest; j++) chosen.add(middle[Math.floor(((j + 0.5) * middle.length) / rest)]!);
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
        for (let d = 0; d < depth; d++) alpha += record.importance[i * depth + d]!;
        tau[i]! += alpha;
        tracin[i]! += ((m * m) / lr) * alpha;
      });
    }
    const sgdSeconds = (Date.now() - sgdBegan) / 1000;
    say(`SGD: ${epochs} epochs in ${sgdSeconds.toFixed(1)} s`);

    // 2. θ*: full-batch accelerated GD to ‖∇J‖ ≤ tol.
    const setup: InfluenceSetup = { model, train, objective };
    const lipschitz = 1.2 * largestEigenvalue(hessianOperator(setup), paramCount(spec), 20);
    const optimum = minimise(model, train, model.getParams(), {
      objective,
      gradientTolerance: tol,
      maxIterations: opts.optimumIterations ?? 5000,
      lipschitz,
      valueTolerance: opts.valueTolerance,
    });
    const thetaStar = optimum.params;
    const trainLoss = model.evaluate(train).loss;
    const testEval = model.evaluate(test);
    say(
      `θ*: L-BFGS ${optimum.iterations} iterations ` +
        `(${optimum.evaluations} evaluations, ${optimum.seconds.toFixed(1)} s), ` +
        `‖∇J‖ = ${optimum.gradientNorm.toExponential(2)} (stop: ${optimum.stop}, J = ${optimum.value.toFixed(9)}), ` +
        `L = ${lipschitz.toFixed(3)}, test error ${(100 * testEval.error).toFixed(2)}%`,
    );

    // 3. Target: the summed loss of the chosen test points.
    const tp = opts.testPoints ?? 1;
    const testIndices =
      typeof tp === 'number'
        ? Array.from({ length: test.n }, (_, i) => i)
            .sort((a, b) => testEval.nll[b]! - testEval.nll[a]!)
            .slice(0, tp)
        : [...tp];
    const maxDamping = opts.maxDamping ?? 0.1;
    const dampingTried: ValidationResult['solve']['dampingTried'] = [];
    let inf = influenceOnTarget(setup, test, testIndices, solverOpts);
    for (;;) {
      const d = inf.solve.damping;
      dampingTried.push({
        damping: d,
        negativeCurvature: inf.solve.negativeCurvature.length,
        iterations: inf.solve.iterations,
      });
      const next = d > 0 ? 10 * d : 1e-4;
      const first = inf.solve.negativeCurvature[0];
      if (first === undefined || next > maxDamping * (1 + 1e-9)) break;
      say(`negative curvature with δ = ${d} at CG iteration ${first.iteration}: retrying with δ = ${next}`);
      inf = influenceOnTarget(setup, test, testIndices, { ...solverOpts, damping: next });
    }
    const damped: InverseHvpOptions = { ...solverOpts, damping: inf.solve.damping };
    say(
      `solve (${inf.solve.solver}, δ = ${inf.solve.damping}): ${inf.solve.iterations} iterations, ` +
        `residual ${inf.solve.finalResidual.toExponential(2)}, ${inf.solve.seconds.toFixed(1)} s`,
    );

    // 4. Remove each chosen sample, retrain from θ*, measure the change in T.
    const points = subsetData(test, testIndices);
    const targetAt = (): number => model.evaluate(points).loss * points.n;
    model.setParams(thetaStar);
    const base = targetAt();
    const chosen = chooseAcrossRange(inf.scores, opts.removals ?? 50);
    const retrainBegan = Date.now();
    const removed: ValidationResult['removed'] = [];
    for (const [k, i] of chosen.entries()) {
      const r = minimise(model, train, thetaStar, {
        objective,
        sample: i,
        weight: 0,
        gradientTolerance: tol,
        maxIterations: opts.maxIterations,
        lipschitz,
        valueTolerance: opts.valueTolerance,
      });
      removed.push({
        sample: i,
        label: train.y[i]!,
        score: inf.scores[i]!,
        predicted: inf.predictedRemoval[i]!,
        actual: targetAt() - base,
        iterations: r.iterations,
        evaluations: r.evaluations,
        gradientNorm: r.gradientNorm,
        converged: r.converged,
        stop: r.stop,
      });
      if ((k + 1) % 10 === 0)
        say(
          `retrained ${k + 1}/${chosen.length} (${((Date.now() - retrainBegan) / 1000).toFixed(0)} s; ` +
            `last: ${r.iterations} iterations, ‖∇J_v‖ = ${r.gradientNorm.toExponential(1)})`,
        );
    }
    model.setParams(thetaStar);
    const retrainSeconds = (Date.now() - retrainBegan) / 1000;
    const predicted = removed.map((r) => r.predicted);
    const actual = removed.map((r) => r.actual);

    // 5. τ, TracIn and the final-model self-influence on random samples.
    const selfRng = new Rng(seed + 2000);
    const selfSamples = Array.from(
      selfRng.permutation(train.n).subarray(0, Math.min(opts.selfInfluenceSamples ?? 30, train.n)),
    );
    const self = selfSamples.map((i) => selfInfluence(setup, i, damped).value);
    const gradSq = selfSamples.map((i) => {
      const g = model.lossGradient(subsetData(train, [i]), { weightDecay: 0 });
      return norm(g) ** 2;
    });
    const tauSel = selfSamples.map((i) => tau[i]!);
    const tracinSel = selfSamples.map((i) => tracin[i]!);
    return {
      model: {
        kind: opts.hidden.length === 0 ? 'logreg' : 'mlp',
        sizes: [spec.inputSize, ...spec.hidden, spec.classes],
        params: paramCount(spec),
      },
      engine: `${opts.engine.name} (${opts.engine.backend})`,
      n: train.n,
      weightDecay: opts.weightDecay,
      normalisation:
        'J = (1/n) Σ L_i + (λ/2)‖θ_W‖², H = ∇²J; I_i = −∇Tᵀ(H+δI)⁻¹g_i; ' +
        'dT/dv_i (eq. 5, objective Σ v_i L_i + (nλ/2)‖θ_W‖²) = I_i/n; ' +
        'predicted removal change = −I_i/n',
      sgd: { epochs, lr, batchSize, seconds: sgdSeconds },
      optimum: {
        optimiser: 'L-BFGS (memory 20, weak-Wolfe line search), float64',
        iterations: optimum.iterations,
        evaluations: optimum.evaluations,
        gradientNorm: optimum.gradientNorm,
        converged: optimum.converged,
        stop: optimum.stop,
        objective: optimum.value,
        valueTolerance: opts.valueTolerance ?? 0,
        seconds: optimum.seconds,
        lipschitz,
        trainLoss,
        testError: testEval.error,
      },
      target: { testIndices, labels: testIndices.map((i) => test.y[i]!), value: base },
      solve: {
        solver: inf.solve.solver,
        damping: inf.solve.damping,
        dampingTried,
        iterations: inf.solve.iterations,
        hvps: inf.solve.hvps,
        converged: inf.solve.converged,
        finalResidual: inf.solve.finalResidual,
        residualNorms: inf.solve.residualNorms,
        negativeCurvature: inf.solve.negativeCurvature,
        seconds: inf.solve.seconds,
        jvpSeconds: inf.jvpSeconds,
      },
      removed,
      correlation: {
        pearson: pearson(predicted, actual),
        spearman: spearman(predicted, actual),
        samples: removed.length,
      },
      retrainSeconds,
      retrainNotConverged: removed.filter((r) => !r.converged).length,
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
