/**
 * Influence on a tiny convex problem (multinomial logistic regression, 24 samples (200 for the
 * removal check), 4 inputs, 3 classes, λ = 0.05) against exact retraining with the same engine,
 * converged to ‖∇J‖ ≤ 1e-7:
 *
 *  - derivative in the sample weight: (T(v_i = 1+ε) − T(v_i = 1−ε)) / 2ε with ε = 0.02 equals the
 *    eq. 5 value dT/dv_i = I_i / n to 1e-3 relative (central difference O(ε²) ≈ 4e-4·T''' plus float32
 *    convergence noise ~ 1e-7/μ / (2ε));
 *  - same for the parameters, eq. 4: (θ(1+ε) − θ(1−ε)) / 2ε = −(1/n) H⁻¹ g_i;
 *  - removal (v_i: 1 → 0): actual ΔT has the sign of −I_i/n and is within 25% of it (the removal is a
 *    finite step of size 1/n = 1/200, and second-order terms remain: an
 *    outlying sample moves θ* by 15–20% more than the linearisation says).
 * Runs on the first engine that loads (native, else tfjs).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, type Model, type TrainData } from '../../src/engine/index';
import { mlpSpec, paramCount } from '../../src/model/spec';
import { Rng } from '../../src/util/rng';
import {
  hessianOperator,
  influenceOnTarget,
  parameterInfluence,
  subsetData,
  type InfluenceSetup,
} from '../../src/influence/influence';
import { largestEigenvalue } from '../../src/influence/solvers';
import { chooseAcrossRange, minimise } from '../../src/influence/validate';
import { pearson, spearman } from '../../src/analysis/stats';

const spec = mlpSpec(4, [], 3);
const LAMBDA = 0.05;
const TOL = 1e-7;

function randomData(n: number, seed: number): TrainData {
  const rng = new Rng(seed);
  // Class-dependent means so the problem is neither separable nor trivial.
  const y = Int32Array.from({ length: n }, () => rng.int(3));
  const x = Float32Array.from(
    { length: n * 4 },
    (_, k) => 2 * rng.uniform() - 1 + (y[Math.floor(k / 4)] === k % 4 ? 1 : 0),
  );
  return { x, y, n, inputSize: 4 };
}

interface Problem {
  readonly model: Model;
  readonly setup: InfluenceSetup;
  readonly train: TrainData;
  readonly thetaStar: Float32Array;
  /** Retrains with v_sample = weight from θ*, returns T there and the parameters; restores θ*. */
  retrain(sample: number, weight: number): { t: number; params: Float32Array };
  T(): number;
}

const test = randomData(5, 2);
const target = [0, 3];

async function problem(n: number): Promise<Problem> {
  const engine = await loadEngine('auto');
  const train = randomData(n, 1);
  const objective = { weightDecay: LAMBDA };
  const model = engine.createModel(spec, new Float32Array(paramCount(spec)));
  const setup: InfluenceSetup = { model, train, objective };
  const lipschitz = 1.2 * largestEigenvalue(hessianOperator(setup), paramCount(spec), 50);
  const r = minimise(model, train, new Float32Array(paramCount(spec)), {
    objective,
    gradientTolerance: TOL,
    lipschitz,
  });
  assert.ok(r.converged, `θ* not converged: ‖∇J‖ = ${r.gradientNorm}`);
  const thetaStar = r.params;
  const T = () => model.evaluate(subsetData(test, target)).loss * target.length;
  return {
    model,
    setup,
    train,
    thetaStar,
    T,
    retrain(sample, weight) {
      const q = minimise(model, train, thetaStar, { objective, sample, weight, gradientTolerance: TOL, lipschitz });
      assert.ok(q.converged, `retraining ${sample} at v=${weight} not converged: ${q.gradientNorm}`);
      const t = T();
      model.setParams(thetaStar);
      return { t, params: q.params };
    },
  };
}

describe('influence on a tiny logistic regression vs exact retraining', () => {
  let small: Problem;
  let large: Problem;
  before(async () => {
    small = await problem(24);
    large = await problem(200);
  });
  after(() => {
    small.model.dispose();
    large.model.dispose();
  });

  it('dT/dv_i = I_i / n matches a central difference in v_i for every sample', () => {
    const { model, setup, train, thetaStar, retrain } = small;
    model.setParams(thetaStar);
    const inf = influenceOnTarget(setup, test, target, { solver: 'cg', tolerance: 1e-9 });
    assert.ok(inf.solve.converged && inf.solve.negativeCurvature.length === 0);
    const eps = 0.02;
    const scale = Math.max(...Array.from(inf.perUnitWeight, Math.abs));
    for (let i = 0; i < train.n; i++) {
      const fd = (retrain(i, 1 + eps).t - retrain(i, 1 - eps).t) / (2 * eps);
      const predicted = inf.perUnitWeight[i];
      assert.ok(predicted !== undefined, `sample ${i}: no prediction`);
      const err = Math.abs(fd - predicted);
      assert.ok(
        err <= 1e-3 * scale + 1e-3 * Math.abs(fd),
        `sample ${i}: finite difference ${fd}, predicted ${predicted}`,
      );
    }
  });

  it('eq. 4: dθ*/dv_i = −(1/n) H⁻¹ g_i matches a central difference of the retrained parameters', () => {
    const { model, setup, thetaStar, retrain } = small;
    model.setParams(thetaStar);
    for (const i of [0, 7, 13]) {
      const p = parameterInfluence(setup, i, { solver: 'cg', tolerance: 1e-9 });
      const eps = 0.02;
      const up = retrain(i, 1 + eps).params;
      const down = retrain(i, 1 - eps).params;
      const fd = up.map((v, k) => (v - down[k]!) / (2 * eps));
      const scale = Math.max(...Array.from(p.dThetaDv, Math.abs));
      fd.forEach((v, k) => {
        const predicted = p.dThetaDv[k];
        assert.ok(predicted !== undefined, `sample ${i} θ[${k}]: no prediction`);
        assert.ok(Math.abs(v - predicted) <= 2e-3 * scale, `sample ${i} θ[${k}]: ${v} vs ${predicted}`);
      });
    }
  });

  it('removal: actual ΔT ≈ −I_i/n (sign always, within 25%, correlation > 0.99)', () => {
    const { model, setup, train, thetaStar, retrain, T } = large;
    model.setParams(thetaStar);
    const inf = influenceOnTarget(setup, test, target, { solver: 'cg', tolerance: 1e-9 });
    const base = T();
    const predicted: number[] = [];
    const actual: number[] = [];
    const scale = Math.max(...Array.from(inf.predictedRemoval, Math.abs));
    for (let i = 0; i < train.n; i++) {
      const a = retrain(i, 0).t - base;
      const pred = inf.predictedRemoval[i];
      assert.ok(pred !== undefined, `sample ${i}: no prediction`);
      predicted.push(pred);
      actual.push(a);
      if (Math.abs(pred) > 0.05 * scale) {
        assert.equal(Math.sign(a), Math.sign(pred), `sample ${i}: actual ${a}, predicted ${pred}`);
        assert.ok(Math.abs(a - pred) <= 0.25 * Math.abs(a), `sample ${i}: actual ${a}, predicted ${pred}`);
      }
    }
    assert.ok(pearson(predicted, actual) > 0.99, `Pearson ${pearson(predicted, actual)}`);
    assert.ok(spearman(predicted, actual) > 0.95, `Spearman ${spearman(predicted, actual)}`);
  });

  it('LiSSA agrees with CG on the same target', () => {
    const { model, setup, thetaStar } = small;
    model.setParams(thetaStar);
    const cg = influenceOnTarget(setup, test, target, { solver: 'cg', tolerance: 1e-9 });
    const li = influenceOnTarget(setup, test, target, {
      solver: 'lissa',
      tolerance: 1e-7,
      lissa: { batchSize: 8, depth: 4000, repetitions: 4, seed: 5 },
    });
    assert.ok(pearson(cg.scores, li.scores) > 0.98, `Pearson ${pearson(cg.scores, li.scores)}`);
    assert.ok(li.solve.finalResidual < 0.2, `LiSSA residual ${li.solve.finalResidual}`);
  });

  it('chooseAcrossRange takes both tails and the middle, without repeats', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i - 50);
    const chosen = chooseAcrossRange(scores, 20);
    assert.equal(new Set(chosen).size, 20);
    for (const k of [0, 1, 2, 3, 4, 95, 96, 97, 98, 99]) assert.ok(chosen.includes(k), `missing tail ${k}`);
  });
});
