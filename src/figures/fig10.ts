/**
 * Figure 10 (appendix): the distribution of overall importance τ, on log-spaced bins (τ spans
 * about twelve decades; see analysis/tau-histogram.ts).
 *
 * @example
 *   const frames = fig10.compute(inputs);
 *   await renderSvg(fig10.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/frames';
import { TAU_HISTOGRAM_DEFAULTS, tauHistogram } from '../analysis/tau-histogram';
import { defineFigure } from './figure';
import { firstSeedRun, fmt, item, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, logScale, specOptions, type FigureSpecOptions } from './theme';

const FIG10_SETTINGS = { binsPerDecade: TAU_HISTOGRAM_DEFAULTS.binsPerDecade };

function computeFig10(inputs: FigureInputs, settings: Partial<typeof FIG10_SETTINGS> = {}): Frames {
  return { ...tauHistogram(firstSeedRun(inputs).tau(), { ...FIG10_SETTINGS, ...settings }) };
}

function fig10Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  return {
    ...baseSpec('Figure 10: distribution of overall sample importance τ', opts, 'bins equal in log10 τ'),
    width: opts.width * 1.5,
    height: opts.height,
    data: { values: rowsOf(frames, 'bins') },
    mark: { type: 'rect', color: '#4e79a7', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: logScale('lower', 'τ = Σ_t α_i^t (squared parameter change, log scale)'),
      x2: { field: 'upper' },
      y: { field: 'count', type: 'quantitative', title: 'samples' },
      y2: { datum: 0 },
    },
  };
}

export interface Fig10Measures {
  samples: number;
  lowest: number;
  highest: number;
  median: number;
  /** Share of samples whose τ is at least 100× below the largest bin's upper edge. */
  smallShare: number;
  /** Mean τ and the share of samples below it (absent from data written before they were recorded). */
  mean?: number;
  belowMean?: number;
}

/** The numbers Figure 10's summary and the claims table quote. */
function measureFig10(frames: Frames): Fig10Measures {
  const bins = rowsOf(frames, 'bins');
  const summary = item(rowsOf(frames, 'summary'), 0, 'τ summary');
  const highest = Math.max(...bins.filter((b) => num(b, 'count') > 0).map((b) => num(b, 'upper')));
  return {
    samples: num(summary, 'samples'),
    lowest: num(bins.find((b) => num(b, 'count') > 0) ?? {}, 'lower'),
    highest,
    median: num(summary, 'median'),
    smallShare: bins.filter((b) => num(b, 'upper') <= highest / 100).reduce((s, b) => s + num(b, 'share'), 0),
    mean: summary.mean === undefined ? undefined : num(summary, 'mean'),
    belowMean: summary.belowMean === undefined ? undefined : num(summary, 'belowMean'),
  };
}

function summarizeFig10(frames: Frames): string {
  const m = measureFig10(frames);
  return (
    `**Figure 10.** τ spans ${fmt(m.lowest)} to ${fmt(m.highest)} over ${m.samples} samples; ` +
    `the median is ${fmt(m.median)}` +
    (m.mean !== undefined && m.belowMean !== undefined
      ? ` against a mean of ${fmt(m.mean)}, which ${pct(m.belowMean)} of samples fall below`
      : '') +
    `; ${pct(m.smallShare)} of samples have τ at least 100× below the largest bin's upper edge ` +
    `(paper: most samples have small importance).`
  );
}

export const fig10 = defineFigure({
  id: 'fig10',
  notebook: 'tau-histogram',
  title: 'Distribution of overall sample importance',
  claim: 'Most samples have small overall importance τ.',
  paperDatasets: ['mnist', 'cifar10'],
  drawnFor: 'every dataset',
  needs: ['seedRuns'],
  perSeed: true,
  settings: FIG10_SETTINGS,
  settingDocs: { binsPerDecade: 'histogram bins per factor of ten in τ' },
  compute: computeFig10,
  spec: fig10Spec,
  measure: measureFig10,
  summarize: summarizeFig10,
  claims: [
    {
      id: 'most-small',
      datasets: ['mnist', 'cifar10'],
      text: 'Most samples have small overall importance (§3.3, Fig. 10)',
      rule: 'holds: ≥ 70% of samples have τ below the mean τ (a heavy right tail); partly: ≥ 55%',
      evaluate: (frames) => {
        const m = measureFig10(frames);
        if (m.belowMean === undefined || m.mean === undefined) return null;
        const verdict = m.belowMean >= 0.7 ? 'holds' : m.belowMean >= 0.55 ? 'partly holds' : 'does not hold';
        const medianOverMean = fmt(m.median / m.mean);
        return {
          verdict,
          measured: `${pct(m.belowMean)} below the mean; median τ ${fmt(m.median)} = ${medianOverMean}× the mean`,
        };
      },
    },
  ],
});
