/**
 * The influence figure specs compile with Vega-Lite and carry the numbers they claim.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from 'vega-lite';
import { helpfulHarmfulSpec, predictedVsActualSpec, tauVsInfluenceSpec } from '../../src/influence/figures';

const n = 12;
const scores = Array.from({ length: n }, (_, i) => i - 6.5);
const result = {
  n,
  model: { kind: 'logreg' as const, sizes: [16, 3], params: 51 },
  correlation: { pearson: 0.987, spearman: 0.95, samples: 3 },
  solve: {
    solver: 'cg' as const,
    damping: 0,
    dampingTried: [],
    iterations: 5,
    hvps: 6,
    converged: true,
    finalResidual: 1e-7,
    residualNorms: [1, 0.1],
    negativeCurvature: [],
    seconds: 0,
    jvpSeconds: 0,
  },
  removed: [0, 1, 2].map((i) => {
    const score = scores[i]!;
    return {
      sample: i,
      label: i % 3,
      score,
      predicted: -score / n,
      actual: (-score / n) * 1.1,
      iterations: 10,
      evaluations: 12,
      gradientNorm: 1e-7,
      converged: true,
      stop: 'tolerance',
    };
  }),
  scores,
  tauAll: scores.map((_, i) => i + 1),
  target: { testIndices: [1], labels: [2], value: 3 },
  importance: {
    samples: [0, 1, 2],
    tau: [1, 2, 3],
    tracin: [10, 20, 30],
    selfInfluence: [0.1, 0.3, 0.2],
    finalGradNormSq: [1, 2, 3],
    spearman: {
      tauVsSelfInfluence: 0.5,
      tracinVsSelfInfluence: 0.5,
      tauVsFinalGradNormSq: 1,
      tauVsAbsTargetInfluenceAll: 0.1,
      selfInfluenceVsFinalGradNormSq: 0.5,
    },
  },
};
const images = {
  x: Float32Array.from({ length: n * 16 }, (_, k) => (k % 7) / 7),
  y: Int32Array.from({ length: n }, (_, i) => i % 3),
  n,
  inputSize: 16,
};

describe('influence figure specs', () => {
  it('predicted vs actual compiles and shows the correlations', () => {
    const spec = predictedVsActualSpec(result, { dataset: 'mnist' });
    assert.ok(compile(spec).spec);
    assert.match(JSON.stringify(spec.title), /Pearson 0\.987, Spearman 0\.950/);
  });
  it('helpful/harmful images compile, one facet cell per image', () => {
    const spec = helpfulHarmfulSpec(result, images, images, { count: 2 });
    assert.ok(compile(spec).spec);
    const values = (spec as { vconcat: { data: { values: { caption: string; image: string }[] } }[] }).vconcat.flatMap(
      (r) => r.data.values,
    );
    assert.equal(new Set(values.map((v) => v.caption)).size, 5);
    assert.equal(values.length, 5, 'one PNG per image, not one mark per pixel');
    assert.ok(values.every((v) => v.image.startsWith('data:image/png;base64,')));
  });
  it('τ vs influence compiles', () => {
    assert.ok(compile(tauVsInfluenceSpec(result)).spec);
  });
});
