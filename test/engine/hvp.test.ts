/**
 * Conformance of the second-order queries (lossGradient, hvp, sampleDirectionalDerivatives) on every
 * engine that loads, against float64 oracles (test/support/hessian.ts), and between engines.
 *
 * Tolerances. The engines compute in float32; the oracles in float64, the HVP one by central
 * differences with h = 1e-5 (truncation ~h² ≈ 1e-10, cancellation ~ε₆₄/h ≈ 1e-11). An element is held
 * to rtol·max(|expected_k|, max_k|expected|) with rtol = 1e-4 (float32 rounding over a few hundred
 * operations, ~1e-6, with margin).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeEngines, type Engine } from '../../src/engine/index';
import { initParams } from '../../src/model/init';
import { mlpSpec, paramCount, type ModelSpec } from '../../src/model/spec';
import { Rng } from '../../src/util/rng';
import { assertClose as assertCloseTo } from '../support/close';
import { finiteDifferenceHvp, referenceDirectional, referenceObjectiveGradient } from '../support/hessian';
import { randomData } from '../support/synthetic';

const RTOL = 1e-4;

/** Every expected vector here is non-zero: an all-zero one would make the comparison vacuous. */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void {
  assertCloseTo(actual, expected, rtol, what, { nonZero: true });
}

function randomVector(length: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length }, () => 2 * rng.uniform() - 1);
}

/** Glorot everywhere plus small random biases, so that every ReLU sees both signs. */
function params(spec: ModelSpec, seed: number): Float32Array {
  const p = initParams(spec, seed, 'glorot');
  const noise = randomVector(p.length, seed + 100);
  return p.map((v, k) => (v === 0 ? 0.1 * noise[k]! : v));
}

const SPECS = [mlpSpec(5, [], 3), mlpSpec(5, [4, 3], 3), mlpSpec(6, [5, 4, 3], 4)] as const;
const name = (spec: ModelSpec) => [spec.inputSize, ...spec.hidden, spec.classes].join('-');
const DECAY = 0.01;

describe('second-order queries', async () => {
  const probed = await probeEngines();
  const loaded = probed.filter((p): p is { name: typeof p.name; engine: Engine } => p.engine !== undefined);

  for (const { name: engineName, engine, reason } of probed) {
    describe(`${engineName} engine`, () => {
      if (!engine) {
        it('conforms', { skip: `${engineName} does not load: ${reason}` }, () => {});
        return;
      }
      for (const spec of SPECS) {
        const theta = params(spec, 3);
        const data = randomData(spec, 9, 4);
        it(`lossGradient matches the float64 gradient of J on ${name(spec)}`, () => {
          const model = engine.createModel(spec, theta);
          try {
            assertClose(
              model.lossGradient(data, { weightDecay: DECAY }),
              referenceObjectiveGradient(spec, theta, data, DECAY),
              RTOL,
              'grad',
            );
            assertClose(
              model.lossGradient(data, { weightDecay: 0 }),
              referenceObjectiveGradient(spec, theta, data, 0),
              RTOL,
              'grad without decay',
            );
          } finally {
            model.dispose();
          }
        });
        it(`hvp matches central differences of the gradient on ${name(spec)}`, () => {
          const model = engine.createModel(spec, theta);
          try {
            for (const seed of [7, 8]) {
              const v = randomVector(paramCount(spec), seed);
              assertClose(
                model.hvp(data, v, { weightDecay: DECAY }),
                finiteDifferenceHvp(spec, theta, data, v, DECAY),
                RTOL,
                `Hv (seed ${seed})`,
              );
            }
            const v = randomVector(paramCount(spec), 9);
            // The decay term alone: H(λ) v − H(0) v = λ v_W.
            const withDecay = model.hvp(data, v, { weightDecay: 0.5 });
            const without = model.hvp(data, v, { weightDecay: 0 });
            assertClose(without, finiteDifferenceHvp(spec, theta, data, v, 0), RTOL, 'Hv without decay');
            assert.ok(Math.abs(withDecay[0]! - without[0]! - 0.5 * v[0]!) < 1e-5, 'decay on the first weight');
            const bias = spec.inputSize * (spec.hidden[0] ?? spec.classes);
            assert.ok(Math.abs(withDecay[bias]! - without[bias]!) < 1e-6, 'no decay on the first bias');
          } finally {
            model.dispose();
          }
        });
        it(`hvp is symmetric (uᵀHv = vᵀHu) and linear on ${name(spec)}`, () => {
          const model = engine.createModel(spec, theta);
          try {
            const u = randomVector(paramCount(spec), 11);
            const v = randomVector(paramCount(spec), 12);
            const hu = model.hvp(data, u, { weightDecay: DECAY });
            const hv = model.hvp(data, v, { weightDecay: DECAY });
            const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
              Array.from(a).reduce((s, x, k) => s + x * b[k]!, 0);
            const a = dot(u, hv);
            const b = dot(v, hu);
            assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(a), 1e-3), `uᵀHv ${a} vs vᵀHu ${b}`);
            const h2v = model.hvp(
              data,
              v.map((x) => 2 * x),
              { weightDecay: DECAY },
            );
            assertClose(
              h2v,
              hv.map((x) => 2 * x),
              RTOL,
              'H(2v)',
            );
          } finally {
            model.dispose();
          }
        });
        it(`sampleDirectionalDerivatives equals ⟨g_i, s⟩ on ${name(spec)}`, () => {
          const model = engine.createModel(spec, theta);
          try {
            const s = randomVector(paramCount(spec), 13);
            assertClose(
              model.sampleDirectionalDerivatives(data, s),
              referenceDirectional(spec, theta, data, s),
              RTOL,
              '⟨g_i, s⟩',
            );
          } finally {
            model.dispose();
          }
        });
      }
      it('runs in chunks: 1,300 rows give the same mean as the float64 gradient', () => {
        const spec = mlpSpec(4, [3], 3);
        const theta = params(spec, 5);
        const data = randomData(spec, 1300, 6);
        const model = engine.createModel(spec, theta);
        try {
          assertClose(
            model.lossGradient(data, { weightDecay: DECAY }),
            referenceObjectiveGradient(spec, theta, data, DECAY),
            RTOL,
            'grad',
          );
          const s = randomVector(paramCount(spec), 14);
          const dirs = model.sampleDirectionalDerivatives(data, s);
          assert.equal(dirs.length, 1300);
          assertClose(dirs, referenceDirectional(spec, theta, data, s), RTOL, '⟨g_i, s⟩');
        } finally {
          model.dispose();
        }
      });
      it('rejects vectors of the wrong length and negative decay', () => {
        const spec = SPECS[1];
        const model = engine.createModel(spec, params(spec, 1));
        const data = randomData(spec, 3, 1);
        try {
          assert.throws(
            () => model.hvp(data, new Float32Array(paramCount(spec) - 1), { weightDecay: 0 }),
            /length|\bv\b/i,
          );
          assert.throws(() => model.sampleDirectionalDerivatives(data, new Float32Array(2)), /length|\bs\b/i);
          assert.throws(() => model.lossGradient(data, { weightDecay: -1 }), /decay/i);
        } finally {
          model.dispose();
        }
      });
    });
  }

  describe('engines agree on a 20-16-16-5 net', () => {
    const pairs = loaded.flatMap((a, k) => loaded.slice(k + 1).map((b) => [a, b] as const));
    if (pairs.length === 0)
      it('needs two engines', { skip: `loaded: ${loaded.map((p) => p.name).join(', ') || 'none'}` }, () => {});
    for (const [a, b] of pairs) {
      it(`${a.name} and ${b.name}`, () => {
        const spec = mlpSpec(20, [16, 16], 5);
        const theta = params(spec, 21);
        const data = randomData(spec, 700, 22);
        const v = randomVector(paramCount(spec), 23);
        const ma = a.engine.createModel(spec, theta);
        const mb = b.engine.createModel(spec, theta);
        try {
          assertClose(
            ma.lossGradient(data, { weightDecay: DECAY }),
            mb.lossGradient(data, { weightDecay: DECAY }),
            RTOL,
            'grad',
          );
          assertClose(ma.hvp(data, v, { weightDecay: DECAY }), mb.hvp(data, v, { weightDecay: DECAY }), RTOL, 'Hv');
          assertClose(
            ma.sampleDirectionalDerivatives(data, v),
            mb.sampleDirectionalDerivatives(data, v),
            RTOL,
            '⟨g_i, v⟩',
          );
        } finally {
          ma.dispose();
          mb.dispose();
        }
      });
    }
  });
});
