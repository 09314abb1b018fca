/**
 * Figure 3: are all samples equally important for all layers? Share of each layer's total
 * importance carried by the top 10%, the next 10% and the other 80% of samples ranked by τ.
 *
 * @example
 *   const frames = fig03.compute(inputs);
 *   await renderSvg(fig03.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/frames';
import { SHARE_GROUPS, topShare } from '../analysis/top-share';
import { defineFigure, NO_SETTINGS, verdictOf } from './figure';
import {
  firstSeedRun,
  layerRoles,
  layersIn,
  lowerLayersVerdict,
  num,
  pct,
  rowsOf,
  share,
  sharesText,
  type FigureInputs,
} from './inputs';
import { baseSpec, specOptions, type FigureSpecOptions } from './theme';

function computeFig03(inputs: FigureInputs): Frames {
  return { shares: topShare(firstSeedRun(inputs)) };
}

function fig03Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const rows = rowsOf(frames, 'shares').map((r) => ({
    ...r,
    groupOrder: SHARE_GROUPS.indexOf(r.group as (typeof SHARE_GROUPS)[number]),
  }));
  return {
    ...baseSpec('Figure 3: share of each layer’s importance by sample group', opts, 'samples ranked by τ = Σ_t α_i^t'),
    width: opts.width,
    height: opts.height,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'layer', type: 'nominal', title: 'layer', sort: [...layersIn(rows), 'All'], axis: { labelAngle: 0 } },
      y: { field: 'share', type: 'quantitative', title: 'share of Σ_t Σ_i β', stack: 'zero', axis: { format: '%' } },
      color: {
        field: 'group',
        type: 'nominal',
        title: 'samples by τ',
        sort: [...SHARE_GROUPS],
        scale: { domain: [...SHARE_GROUPS], range: ['#d62728', '#ff9896', '#c7c7c7'] },
      },
      order: { field: 'groupOrder' },
      tooltip: [{ field: 'layer' }, { field: 'group' }, { field: 'share', format: '.1%' }],
    },
  };
}

export interface Fig03Measures {
  /** Share of all importance carried by the top 10% and top 20% of samples by τ. */
  top10: number;
  top20: number;
  /** Which layers play the paper's L1 … Out. */
  roles: ReturnType<typeof layerRoles>;
  /** The same per layer (L1 … Out). */
  top10ByLayer: Record<string, number>;
  top20ByLayer: Record<string, number>;
}

/** The numbers Figure 3's summary and the claims table quote. */
function measureFig03(frames: Frames): Fig03Measures {
  const rows = rowsOf(frames, 'shares');
  const share = (layer: string, group: string): number =>
    num(rows.find((r) => r.layer === layer && r.group === group) ?? {}, 'share');
  const layers = layersIn(rows);
  const top10 = (l: string): number => share(l, SHARE_GROUPS[0]);
  const top20 = (l: string): number => share(l, SHARE_GROUPS[0]) + share(l, SHARE_GROUPS[1]);
  return {
    top10: top10('All'),
    top20: top20('All'),
    roles: layerRoles(layers),
    top10ByLayer: Object.fromEntries(layers.map((l) => [l, top10(l)])),
    top20ByLayer: Object.fromEntries(layers.map((l) => [l, top20(l)])),
  };
}

function summarizeFig03(frames: Frames): string {
  const m = measureFig03(frames);
  return (
    `**Figure 3.** The top 10% of samples by τ carry ${pct(m.top10)} of all importance ` +
    `and the top 20% ${pct(m.top20)} ` +
    `(paper, MNIST: the top 10% carry almost all of it; top 20% the majority). Per layer, the top 20% carry ` +
    `${sharesText(m.top20ByLayer)} ` +
    `(paper: more so in lower layers).`
  );
}

export const fig03 = defineFigure({
  id: 'fig03',
  notebook: 'top-samples',
  title: 'Share of importance by sample group',
  claim:
    'The top 20% of samples by τ carry the majority of importance ' +
    '(on MNIST the top 10% almost all), more so in lower layers.',
  paperDatasets: ['mnist', 'cifar10'],
  drawnFor: 'every dataset',
  needs: ['seedRuns'],
  perSeed: true,
  ...NO_SETTINGS,
  compute: computeFig03,
  spec: fig03Spec,
  measure: measureFig03,
  summarize: summarizeFig03,
  claims: [
    {
      id: 'top20-majority',
      datasets: ['mnist', 'cifar10'],
      text: 'The top 20% most important samples contribute the majority of importance (§3.3)',
      rule: 'holds: top 20% by τ carry > 50% of all β',
      evaluate: (frames) => {
        const m = measureFig03(frames);
        return {
          verdict: verdictOf(m.top20 > 0.5),
          measured: `top 20% carry ${pct(m.top20)} (top 10% ${pct(m.top10)})`,
        };
      },
    },
    {
      id: 'top10-almost-all-mnist',
      datasets: ['mnist'],
      text: 'On MNIST the top 10% of samples contribute almost all importance (§3.3)',
      rule: 'holds: top 10% carry ≥ 80%; partly: ≥ 50%',
      evaluate: (frames) => {
        const m = measureFig03(frames);
        return {
          verdict: m.top10 >= 0.8 ? 'holds' : m.top10 >= 0.5 ? 'partly holds' : 'does not hold',
          measured: `top 10% carry ${pct(m.top10)}`,
        };
      },
    },
    {
      id: 'top-lower-layers-cifar',
      datasets: ['cifar10'],
      text: 'On CIFAR-10 the most important samples contribute more in lower layers than in the output layer (§3.3)',
      rule: "holds: the top 10%'s share is larger in L1 than in Out",
      evaluate: (frames) => {
        const m = measureFig03(frames);
        return {
          verdict: verdictOf(share(m.top10ByLayer, m.roles.first) > share(m.top10ByLayer, m.roles.output)),
          measured:
            `top 10% share: ${m.roles.first} ${pct(share(m.top10ByLayer, m.roles.first))}, ` +
            `${m.roles.output} ${pct(share(m.top10ByLayer, m.roles.output))}`,
        };
      },
    },
    {
      id: 'top20-lower-layers',
      datasets: ['mnist', 'cifar10'],
      text: 'The top 20% carry the majority of learning especially in lower layers (Fig. 3 caption)',
      rule: "holds: the top 20%'s share is larger in each of L1, L2 and L3 than in Out; partly: in L1",
      evaluate: (frames) => {
        const m = measureFig03(frames);
        const at = (l: string) => share(m.top20ByLayer, l);
        return {
          verdict: lowerLayersVerdict(m.roles.lower, (l) => at(l) > at(m.roles.output)),
          measured: `top 20% share: ${sharesText(m.top20ByLayer)}`,
        };
      },
    },
  ],
});
