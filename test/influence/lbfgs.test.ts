/**
 * L-BFGS on problems with known minimisers: the Rosenbrock valley, an ill-conditioned quadratic
 * (condition 1e4, where plain gradient descent needs ~1e4 steps per decade), and the same quadratic
 * with its value and gradient rounded to float32, as an engine returns them (the approximate-Wolfe
 * branch of the line search must carry it below the point where J's rounding hides any decrease).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lbfgs } from '../../src/influence/lbfgs';

describe('L-BFGS', () => {
  it('finds the Rosenbrock minimum (1, 1)', () => {
    const r = lbfgs(
      (x) => {
        const [a, b] = [x[0]!, x[1]!];
        return {
          value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
          gradient: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)),
        };
      },
      [-1.2, 1],
      { gradientTolerance: 1e-10 },
    );
    assert.ok(r.converged, `‖∇f‖ = ${r.gradientNorm} after ${r.iterations}`);
    assert.ok(Math.abs(r.x[0]! - 1) < 1e-8 && Math.abs(r.x[1]! - 1) < 1e-8, `x = ${r.x}`);
    assert.ok(r.iterations < 100, `iterations ${r.iterations}`);
  });

  const dim = 200;
  const diag = Float64Array.from({ length: dim }, (_, k) => 10 ** (-2 + (4 * k) / (dim - 1)));
  const centre = Float64Array.from({ length: dim }, (_, k) => Math.sin(k));
  const quadratic = (round: boolean) => (x: Float64Array) => {
    let value = 0.3;
    const gradient = new Float64Array(dim);
    for (let k = 0; k < dim; k++) {
      const e = x[k]! - centre[k]!;
      value += 0.5 * diag[k]! * e * e;
      gradient[k] = diag[k]! * e;
    }
    return round
      ? { value: Math.fround(value), gradient: Float64Array.from(Float32Array.from(gradient)) }
      : { value, gradient };
  };

  it("converges on a quadratic of condition 1e4 at a CG-like rate, not gradient descent's", () => {
    const r = lbfgs(quadratic(false), new Float64Array(dim), { gradientTolerance: 1e-9 });
    assert.ok(r.converged, `‖∇f‖ = ${r.gradientNorm}`);
    // ‖∇f‖ falls by ~1e12. CG's bound is √κ/2·ln(2/ε) ≈ 1400 iterations; gradient descent needs ~κ·ln(1/ε) ≈ 3e5.
    assert.ok(r.iterations < 1500, `iterations ${r.iterations}`);
    for (let k = 0; k < dim; k++) assert.ok(Math.abs(r.x[k]! - centre[k]!) < 1e-6, `x[${k}]`);
  });

  it('gets below the float32 noise of f using derivatives only', () => {
    // f ≈ 0.3 is known to ~3e-8; the Armijo decrease ‖∇f‖²/L at ‖∇f‖ = 1e-6 is ~1e-14.
    const r = lbfgs(quadratic(true), new Float64Array(dim), { gradientTolerance: 1e-6 });
    assert.ok(r.converged, `‖∇f‖ = ${r.gradientNorm}, stop ${r.stop}`);
  });

  it('reports a stall instead of looping when no step helps', () => {
    // A gradient that points the wrong way: no descent is possible along −g.
    const r = lbfgs((x) => ({ value: x[0]!, gradient: Float64Array.of(-1) }), [0], {
      gradientTolerance: 1e-9,
      maxIterations: 50,
    });
    assert.equal(r.converged, false);
    assert.equal(r.stop, 'stalled');
  });
});
