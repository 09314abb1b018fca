/**
 * CG and LiSSA on small dense systems with known answers, plus the stopping and negative-curvature
 * reports. The operators round to float32 as an engine's HVP does, so answers are held to 1e-5
 * relative (float32 ε ≈ 6e-8 times the condition number ≈ 30, with margin).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conjugateGradient, largestEigenvalue, lissa } from '../../src/influence/solvers';
import { Rng } from '../../src/util/rng';

/** A = QᵀDQ-like SPD matrix: BᵀB + shift·I from a seeded B. */
function spd(dim: number, shift: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const b = Array.from({ length: dim }, () => Array.from({ length: dim }, () => rng.uniform() - 0.5));
  return Array.from({ length: dim }, (_, i) =>
    Array.from({ length: dim }, (_, j) => b.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? shift : 0)),
  );
}

const apply = (a: number[][]) => (v: Float32Array) =>
  Float32Array.from(a, (row) => row.reduce((s, x, j) => s + x * v[j]!, 0));

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string) {
  const scale = Math.max(...Array.from(expected, Math.abs));
  for (let k = 0; k < expected.length; k++) {
    assert.ok(Math.abs(actual[k]! - expected[k]!) <= rtol * scale, `${what}[${k}]: ${actual[k]} vs ${expected[k]}`);
  }
}

describe('conjugate gradient', () => {
  const a = spd(8, 0.2, 1);
  const xTrue = [1, -2, 0.5, 3, -1, 0, 2, -0.25];
  const b = a.map((row) => row.reduce((s, v, j) => s + v * xTrue[j]!, 0));

  it('solves an 8x8 SPD system to its exact answer within dim iterations', () => {
    const r = conjugateGradient(apply(a), b, { tolerance: 1e-10, maxIterations: 50 });
    close(r.x, xTrue, 1e-5, 'x');
    assert.ok(r.iterations <= 12, `iterations ${r.iterations}`);
    assert.equal(r.residualNorms[0], 1);
    assert.equal(r.residualNorms.length, r.iterations + 1);
    assert.ok(r.finalResidual < 1e-5, `final residual ${r.finalResidual}`);
    assert.deepEqual(r.negativeCurvature, []);
  });

  it('with damping solves (A + δI) x = b', () => {
    const damped = a.map((row, i) => row.map((v, j) => v + (i === j ? 0.5 : 0)));
    const r = conjugateGradient(apply(a), b, { damping: 0.5, tolerance: 1e-10 });
    const check = damped.map((row) => row.reduce((s, v, j) => s + v * r.x[j]!, 0));
    close(check, b, 1e-5, '(A + δI)x');
    assert.equal(r.damping, 0.5);
  });

  it('stops at maxIterations and says it did not converge', () => {
    const r = conjugateGradient(apply(a), b, { tolerance: 1e-14, maxIterations: 3 });
    assert.equal(r.iterations, 3);
    assert.equal(r.converged, false);
    assert.equal(r.hvps, 4);
  });

  it('detects negative curvature on an indefinite matrix, and damping removes it', () => {
    const indefinite = [
      [2, 0, 0],
      [0, -1, 0],
      [0, 0, 1],
    ];
    const r = conjugateGradient(apply(indefinite), [1, 1, 1], { maxIterations: 10 });
    assert.ok(r.negativeCurvature.length >= 1, 'no negative curvature reported');
    assert.equal(r.converged, false);
    const damped = conjugateGradient(apply(indefinite), [1, 1, 1], { damping: 2, tolerance: 1e-10 });
    assert.deepEqual(damped.negativeCurvature, []);
    close(damped.x, [1 / 4, 1, 1 / 3], 1e-6, 'x');
  });
});

describe('LiSSA', () => {
  const a = spd(6, 0.5, 2);
  const xTrue = [0.5, -1, 2, 0, 1, -0.5];
  const b = a.map((row) => row.reduce((s, v, j) => s + v * xTrue[j]!, 0));

  it('converges to A⁻¹b with an exact operator and a scale above λmax', () => {
    const lmax = largestEigenvalue(apply(a), 6, 100);
    const r = lissa((v) => apply(a)(v), b, {
      scale: 1.2 * lmax,
      depth: 5000,
      repetitions: 1,
      tolerance: 1e-9,
      fullOperator: apply(a),
    });
    close(r.x, xTrue, 1e-4, 'x');
    assert.ok(r.finalResidual < 1e-4, `residual ${r.finalResidual}`);
    assert.ok(r.residualNorms.length === r.iterations);
  });

  it('averages noisy operators to an unbiased answer', () => {
    // H_B = A + noise·E with E symmetric and mean zero over the rng's draws.
    const noisy = (v: Float32Array, rng: Rng) => {
      const s = rng.uniform() < 0.5 ? -0.1 : 0.1;
      const av = apply(a)(v);
      return av.map((x, k) => x + s * v[k]!);
    };
    const lmax = largestEigenvalue(apply(a), 6, 100);
    const r = lissa(noisy, b, {
      scale: 1.5 * lmax + 0.2,
      depth: 3000,
      repetitions: 8,
      tolerance: 0,
      fullOperator: apply(a),
      seed: 3,
    });
    assert.ok(r.finalResidual < 0.05, `residual ${r.finalResidual}`);
  });

  it('reports divergence when the scale is too small', () => {
    assert.throws(() => lissa((v) => apply(a)(v), b, { scale: 0.01, depth: 3000, repetitions: 1 }), /diverged|scale/);
  });
});
