/**
 * Figure 10 (appendix): the distribution of overall importance τ, on log-spaced bins (τ spans
 * about twelve decades; see analysis/tau-histogram.ts).
 *
 * @example
 *   const frames = computeFig10(inputs);
 *   await renderSvg(fig10Spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/figure-data';
import { tauHistogram } from '../analysis/tau-histogram';
import { firstSeedRun, fmt, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

export function computeFig10(inputs: FigureInputs): Frames {
  return { ...tauHistogram(firstSeedRun(inputs).tau()) };
}

export function fig10Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  return {
    ...baseSpec('Figure 10: distribution of overall sample importance τ', opts, 'bins equal in log10 τ'),
    width: opts.width * 1.5,
    height: opts.height,
    data: { values: rowsOf(frames, 'bins') },
    mark: { type: 'rect', color: '#4e79a7', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'lower', type: 'quantitative', title: 'τ = Σ_t α_i^t (squared parameter change, log scale)', scale: { type: 'log' }, axis: { format: '.0e' } },
      x2: { field: 'upper' },
      y: { field: 'count', type: 'quantitative', title: 'samples' },
      y2: { datum: 0 },
    },
  };
}

export function summarizeFig10(frames: Frames): string {
  const bins = rowsOf(frames, 'bins');
  const summary = rowsOf(frames, 'summary')[0];
  const top = Math.max(...bins.filter((b) => num(b, 'count') > 0).map((b) => num(b, 'upper')));
  const smallShare = bins.filter((b) => num(b, 'upper') <= top / 100).reduce((s, b) => s + num(b, 'share'), 0);
  return (
    `**Figure 10.** τ spans ${fmt(num(bins.find((b) => num(b, 'count') > 0) ?? {}, 'lower'))} to ${fmt(top)} over ${num(summary, 'samples')} samples; ` +
    `the median is ${fmt(num(summary, 'median'))}, and ${pct(smallShare)} of samples have τ at least 100× below the largest bin's upper edge ` +
    `(paper: most samples have small importance).`
  );
}
