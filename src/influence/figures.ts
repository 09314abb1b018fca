/**
 * Vega-Lite specs for the influence validation (a ValidationResult from ./validate, or its JSON):
 *  - predicted vs actual change in the test target on removal, correlations in the title;
 *  - the most helpful and most harmful training images for the target test points;
 *  - τ (the paper's overall importance) vs the final-model influence.
 * Render with renderSvg(spec) from src/figures/render.
 *
 * "Helpful" = removing the sample would raise the target loss (predicted removal change > 0,
 * I_i < 0); "harmful" = removing it would lower the loss.
 *
 * @example
 *   const spec = predictedVsActualSpec(result, { dataset: 'mnist' });
 *   const images = helpfulHarmfulSpec(result, train, { count: 6 });
 */
import type { TopLevelSpec } from 'vega-lite';
import type { TrainData } from '../engine/types';
import { imageDataUrl } from '../figures/png';
import { logScale } from '../figures/theme';
import type { ValidationResult } from './validate';

export interface InfluenceFigureOptions {
  readonly dataset?: string;
  readonly width?: number;
  readonly height?: number;
}

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start' as const },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  view: { stroke: '#cccccc' },
};

function base(title: string, subtitle: string | undefined, opts: InfluenceFigureOptions) {
  const name = opts.dataset === 'mnist' ? 'MNIST' : opts.dataset === 'cifar10' ? 'CIFAR-10' : (opts.dataset ?? '');
  const text = name ? `${title} (${name})` : title;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: subtitle ? { text, subtitle } : text,
    background: 'white',
    padding: 10,
    config: CONFIG,
  };
}

type Result = Pick<ValidationResult, 'removed' | 'correlation' | 'solve' | 'n' | 'model'>;

/** Scatter of predicted (−I_i/n) vs actual change in T, with the y = x line. */
export function predictedVsActualSpec(result: Result, opts: InfluenceFigureOptions = {}): TopLevelSpec {
  const rows = result.removed.map((r) => ({
    sample: r.sample,
    label: r.label,
    predicted: r.predicted,
    actual: r.actual,
  }));
  const values = rows.flatMap((r) => [r.predicted, r.actual]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const c = result.correlation;
  return {
    ...base(
      `Influence vs retraining: Pearson ${c.pearson.toFixed(3)}, Spearman ${c.spearman.toFixed(3)}`,
      `${result.model.kind} ${result.model.sizes.join('-')}, n = ${result.n}, ${c.samples} removals; ` +
        `${result.solve.solver}, δ = ${result.solve.damping}`,
      opts,
    ),
    width: opts.width ?? 320,
    height: opts.height ?? 320,
    layer: [
      {
        data: {
          values: [
            { x: lo, y: lo },
            { x: hi, y: hi },
          ],
        },
        mark: { type: 'line', color: '#999999', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'circle', size: 40, opacity: 0.8 },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', title: 'predicted change in test loss on removal (−I_i/n)' },
          y: { field: 'actual', type: 'quantitative', title: 'actual change after retraining' },
          color: { field: 'label', type: 'nominal', title: 'label' },
          tooltip: [{ field: 'sample' }, { field: 'label' }, { field: 'predicted' }, { field: 'actual' }],
        },
      },
    ],
  } as TopLevelSpec;
}

/** One captioned cell of the image grid: sample i of `data` as a PNG data URL (square grey images). */
function imageCell(data: TrainData, i: number, panel: string, order: number, caption: string): Record<string, unknown> {
  const side = Math.round(Math.sqrt(data.inputSize));
  if (side * side !== data.inputSize)
    throw new RangeError(`images must be square and grey; inputSize ${data.inputSize}`);
  const pixels = data.x.subarray(i * data.inputSize, (i + 1) * data.inputSize);
  return { panel, order, caption, image: imageDataUrl([side, side, 1], pixels) };
}

/**
 * The target test points, then the `count` most helpful and most harmful training samples by I_i
 * (grey images, e.g. MNIST), each captioned with its label and predicted removal change.
 */
export function helpfulHarmfulSpec(
  result: Pick<ValidationResult, 'scores' | 'target' | 'n'>,
  train: TrainData,
  test: TrainData,
  opts: InfluenceFigureOptions & { readonly count?: number } = {},
): TopLevelSpec {
  const count = opts.count ?? 6;
  const order = result.scores.map((_, i) => i).sort((a, b) => result.scores[a]! - result.scores[b]!);
  const helpful = order.slice(0, count); // most negative I_i: removing them raises the loss most
  const harmful = order.slice(-count).reverse();
  const fmt = (v: number) => v.toExponential(1);
  const values = [
    ...result.target.testIndices.map((t, k) => imageCell(test, t, 'test point', k, `test ${t}, label ${test.y[t]}`)),
    ...helpful.map((i, k) =>
      imageCell(train, i, 'most helpful', k, `#${i} y=${train.y[i]} Δ=${fmt(-result.scores[i]! / result.n)}`),
    ),
    ...harmful.map((i, k) =>
      imageCell(train, i, 'most harmful', k, `#${i} y=${train.y[i]} Δ=${fmt(-result.scores[i]! / result.n)}`),
    ),
  ];
  const side = Math.round(Math.sqrt(train.inputSize));
  // One row of captioned images per panel (a row facet would misplace image marks).
  const row = (panel: string) => ({
    title: panel,
    data: { values: values.filter((v) => v.panel === panel) },
    facet: {
      column: {
        field: 'caption',
        type: 'nominal',
        title: null,
        sort: { field: 'order' },
        header: { labelFontSize: 9 },
      },
    },
    spec: {
      width: 3 * side,
      height: 3 * side,
      mark: { type: 'image', width: 3 * side, height: 3 * side, align: 'left', baseline: 'top' },
      encoding: { url: { field: 'image', type: 'nominal' }, x: { value: 0 }, y: { value: 0 } },
    },
  });
  return {
    ...base(
      'Most helpful and most harmful training samples for the target',
      'Δ = predicted change in target loss if the sample were removed',
      opts,
    ),
    vconcat: ['test point', 'most helpful', 'most harmful'].map(row),
  } as TopLevelSpec;
}

/** τ vs |I_i| over all samples, and τ vs the self-influence g_iᵀH⁻¹g_i over the sampled ones. */
export function tauVsInfluenceSpec(
  result: Pick<ValidationResult, 'scores' | 'tauAll' | 'importance'>,
  opts: InfluenceFigureOptions = {},
): TopLevelSpec {
  const s = result.importance.spearman;
  const all = result.tauAll
    .map((tau, i) => ({ tau, influence: Math.abs(result.scores[i]!) }))
    .filter((r) => r.tau > 0 && r.influence > 0);
  const self = result.importance.samples
    .map((i, k) => ({ sample: i, tau: result.importance.tau[k]!, selfInfluence: result.importance.selfInfluence[k]! }))
    .filter((r) => r.tau > 0 && r.selfInfluence > 0);
  const panel = { width: opts.width ?? 280, height: opts.height ?? 240 };
  return {
    ...base(
      'Sample importance τ vs final-model influence',
      `Spearman: τ vs |I_i| ${s.tauVsAbsTargetInfluenceAll.toFixed(2)} (all samples); ` +
        `τ vs g_iᵀH⁻¹g_i ${s.tauVsSelfInfluence.toFixed(2)}`,
      opts,
    ),
    hconcat: [
      {
        ...panel,
        title: '|I_i| on the test target (all samples)',
        data: { values: all },
        mark: { type: 'circle', size: 8, opacity: 0.4, color: '#4e79a7' },
        encoding: {
          x: logScale('tau', 'τ = Σ_t α_i^t (log)'),
          y: logScale('influence', '|I_i| (log)'),
        },
      },
      {
        ...panel,
        title: 'self-influence g_iᵀH⁻¹g_i (sampled)',
        data: { values: self },
        mark: { type: 'circle', size: 30, opacity: 0.8, color: '#e15759' },
        encoding: {
          x: logScale('tau', 'τ (log)'),
          y: logScale('selfInfluence', 'g_iᵀH⁻¹g_i (log)'),
        },
      },
    ],
  } as TopLevelSpec;
}
