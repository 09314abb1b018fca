/**
 * Figure 7: does organising batches by easiness affect training? Training and test error per
 * epoch for each batch construction: mean line with a ± standard-error band over its runs; a
 * diverged run's divergence epoch is marked with a cross on the test panel's top edge.
 *
 * @example
 *   const frames = fig07.compute(inputs);
 *   await renderSvg(fig07.spec(frames, { dataset: 'cifar10' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONSTRUCTION_NAMES } from '../analysis/batch-constructions';
import { constructionErrors } from '../analysis/construction-errors';
import type { Frames, Row } from '../analysis/frames';
import { defineFigure, NO_SETTINGS, verdictOf } from './figure';
import { fmt, item, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, CONSTRUCTION_RANGE, specOptions, type FigureSpecOptions } from './theme';

/** The constructions whose batches mix easy and hard samples. */
const MIXED_CONSTRUCTIONS = ['Rand', 'NLM', 'SIM'];

function computeFig07(inputs: FigureInputs): Frames {
  return { ...constructionErrors(inputs.constructionRuns) };
}

function splitPanel(frames: Frames, split: 'train' | 'test', opts: ReturnType<typeof specOptions>) {
  const colour = {
    field: 'construction',
    type: 'nominal' as const,
    title: 'batch construction',
    scale: { domain: [...CONSTRUCTION_NAMES], range: CONSTRUCTION_RANGE },
    legend: { symbolOpacity: 1 },
  };
  const epoch = { field: 'epoch', type: 'quantitative' as const, title: 'epoch' };
  return {
    width: opts.width,
    height: opts.height * 1.3,
    title: `${split === 'train' ? 'training' : 'test'} error`,
    layer: [
      {
        data: { values: rowsOf(frames, 'errors') },
        transform: [
          { filter: { field: 'split', equal: split } },
          { filter: 'datum.epoch >= 1' },
          { calculate: 'datum.mean - datum.se', as: 'low' },
          { calculate: 'datum.mean + datum.se', as: 'high' },
        ],
        layer: [
          {
            mark: { type: 'area' as const, opacity: 0.25 },
            encoding: {
              x: epoch,
              y: { field: 'low', type: 'quantitative' as const, title: 'error (fraction)', scale: { zero: false } },
              y2: { field: 'high' },
              color: colour,
            },
          },
          {
            mark: { type: 'line' as const, strokeWidth: 1.5 },
            encoding: { x: epoch, y: { field: 'mean', type: 'quantitative' as const }, color: colour },
          },
        ],
      },
      {
        data: { values: rowsOf(frames, 'divergences') },
        mark: { type: 'point' as const, shape: 'cross', size: 90, filled: true, yOffset: 0 },
        encoding: {
          x: epoch,
          y: { value: 0 },
          color: colour,
          tooltip: [{ field: 'construction' }, { field: 'seed' }, { field: 'epoch', title: 'diverged in epoch' }],
        },
      },
    ],
  };
}

function fig07Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  return {
    ...baseSpec(
      'Figure 7: training under seven batch constructions',
      opts,
      'epochs 1 on; line: mean over runs; band: ± standard error; ✕ on the top edge: a run diverged in that epoch',
    ),
    hconcat: [splitPanel(frames, 'train', opts), splitPanel(frames, 'test', opts)],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

export interface ConstructionFinal {
  construction: string;
  epoch: number;
  /** Mean ± standard error over runs of the final test error. */
  mean: number;
  se: number;
  runs: number;
  /** Largest rise of the mean training error above its lowest value so far (> 0: it went up), and where. */
  trainRise: number;
  trainRiseEpoch: number;
}

export interface Fig07Measures {
  /** One row per construction, lowest final test error first. */
  finals: ConstructionFinal[];
  divergences: { construction: string; seed: number; epoch: number }[];
}

/** The numbers Figure 7's summary and the claims table quote. */
function measureFig07(frames: Frames): Fig07Measures {
  const errors = rowsOf(frames, 'errors');
  const last = (rows: Row[]) => rows.reduce((a, b) => (num(b, 'epoch') > num(a, 'epoch') ? b : a));
  const finals = [...new Set(errors.map((r) => String(r.construction)))].map((construction) => {
    const test = last(errors.filter((r) => r.construction === construction && r.split === 'test'));
    const train = errors
      .filter((r) => r.construction === construction && r.split === 'train')
      .sort((a, b) => num(a, 'epoch') - num(b, 'epoch'));
    let [lowest, trainRise, trainRiseEpoch] = [Infinity, 0, 0];
    for (const r of train) {
      lowest = Math.min(lowest, num(r, 'mean'));
      if (num(r, 'mean') - lowest > trainRise) [trainRise, trainRiseEpoch] = [num(r, 'mean') - lowest, num(r, 'epoch')];
    }
    return {
      construction,
      epoch: num(test, 'epoch'),
      mean: num(test, 'mean'),
      se: num(test, 'se'),
      runs: num(test, 'runs'),
      trainRise,
      trainRiseEpoch,
    };
  });
  finals.sort((a, b) => a.mean - b.mean);
  const divergences = rowsOf(frames, 'divergences').map((r) => ({
    construction: String(r.construction),
    seed: num(r, 'seed'),
    epoch: num(r, 'epoch'),
  }));
  return { finals, divergences };
}

function summarizeFig07(frames: Frames): string {
  const { finals, divergences } = measureFig07(frames);
  if (finals.length === 0) return '**Figure 7.** Not computed: no batch-construction runs were given.';
  const ranked = finals
    .map((r) => `${r.construction} ${fmt(r.mean)} ± ${fmt(r.se)} (epoch ${r.epoch}, ${r.runs} runs)`)
    .join(', ');
  const top3 = finals.slice(0, 3).map((r) => r.construction);
  const mixedBest = top3.length === 3 && top3.every((c) => MIXED_CONSTRUCTIONS.includes(c));
  const divergedText = divergences.length
    ? ` Diverged: ${divergences.map((r) => `${r.construction} seed ${r.seed} in epoch ${r.epoch}`).join('; ')} ` +
      `(excluded from the means from that epoch on).`
    : ' No run diverged.';
  return (
    `**Figure 7.** Final test error, best first: ${ranked}. The three lowest are ${top3.join(', ')}; ` +
    `paper: the mixed constructions Rand, NLM, SIM ` +
    `are best${mixedBest ? ', as here' : '; not exactly so here'}.${divergedText}`
  );
}

/** "5 runs", or "1–3 runs" when diverged runs stopped contributing. */
function runsRange(finals: { runs: number }[]): string {
  const [lo, hi] = [Math.min(...finals.map((f) => f.runs)), Math.max(...finals.map((f) => f.runs))];
  return lo === hi ? `${lo} runs` : `${lo}–${hi} runs`;
}

const byConstruction = (frames: Frames) => new Map(measureFig07(frames).finals.map((f) => [f.construction, f]));

export const fig07 = defineFigure({
  id: 'fig07',
  notebook: 'batch-constructions',
  title: 'Training under seven batch constructions',
  claim:
    'Batches of mixed easiness (Rand, NLM, SIM) reach the lowest test error; ' +
    'ordered batches (NLO, SIO) do worse, and reversing the order changes the outcome.',
  paperDatasets: ['mnist', 'cifar10'],
  drawnFor: 'every dataset',
  needs: ['constructionRuns'],
  ...NO_SETTINGS,
  compute: computeFig07,
  spec: fig07Spec,
  measure: measureFig07,
  summarize: summarizeFig07,
  claims: [
    {
      id: 'mixed-best',
      datasets: ['mnist', 'cifar10'],
      text: 'Mixed batches (Rand, NLM, SIM) have the lowest test error (§3.6)',
      rule: 'holds: the three lowest final test errors are Rand, NLM and SIM; partly: two of them',
      evaluate: (frames) => {
        const f = measureFig07(frames).finals;
        if (f.length < 7) return null;
        const mixed = f.slice(0, 3).filter((c) => MIXED_CONSTRUCTIONS.includes(c.construction)).length;
        return {
          verdict: mixed === 3 ? 'holds' : mixed === 2 ? 'partly holds' : 'does not hold',
          measured:
            `${f.map((c) => `${c.construction} ${pct(c.mean)}`).join(' < ')} ` +
            `(${runsRange(f)} at epoch ${item(f, 0, 'construction').epoch})`,
        };
      },
    },
    {
      id: 'ordered-worst',
      datasets: ['cifar10'],
      text: 'NLO and SIO perform worst on CIFAR-10 (§3.6)',
      rule: 'holds: the two highest final test errors are NLO and SIO; partly: one of them',
      evaluate: (frames) => {
        const f = measureFig07(frames).finals;
        if (f.length < 7) return null;
        const worst = f.slice(-2).map((c) => c.construction);
        return {
          verdict: verdictOf(worst.includes('NLO'), worst.includes('SIO')),
          measured: `worst two: ${worst.join(', ')}`,
        };
      },
    },
    {
      id: 'ordered-train-rises',
      datasets: ['mnist', 'cifar10'],
      text: 'Under NLO and SIO the training error goes up after the early stage (§3.6, said of CIFAR-10)',
      rule: 'holds: for both, the mean training error climbs > 1 point above its lowest value so far; partly: for one',
      evaluate: (frames) => {
        const m = byConstruction(frames);
        const [nlo, sio] = [m.get('NLO'), m.get('SIO')];
        if (!nlo || !sio) return null;
        const rise = (c: ConstructionFinal) => `${c.construction} +${pct(c.trainRise)} (epoch ${c.trainRiseEpoch})`;
        return {
          verdict: verdictOf(nlo.trainRise > 0.01, sio.trainRise > 0.01),
          measured: `largest climb: ${rise(nlo)}, ${rise(sio)}`,
        };
      },
    },
    {
      id: 'reversed-differ',
      datasets: ['cifar10'],
      text: 'Reversed orders (RNLO, RSIO) perform drastically differently from NLO and SIO on CIFAR-10 (§3.6)',
      rule:
        'holds: for both pairs the final test errors differ by more than 2 combined standard errors and 1 point; ' +
        'partly: one pair',
      evaluate: (frames) => {
        const m = byConstruction(frames);
        const pairs: [ConstructionFinal, ConstructionFinal][] = [];
        for (const [a, b] of [
          ['NLO', 'RNLO'],
          ['SIO', 'RSIO'],
        ] as const) {
          const [forward, reversed] = [m.get(a), m.get(b)];
          if (!forward || !reversed) return null;
          pairs.push([forward, reversed]);
        }
        // One run has no standard error; the 1-point floor then decides alone.
        const se = (c: ConstructionFinal) => (Number.isFinite(c.se) ? c.se : 0);
        const differ = pairs.map(([a, b]) => Math.abs(a.mean - b.mean) > Math.max(0.01, 2 * Math.hypot(se(a), se(b))));
        return {
          verdict: verdictOf(...differ),
          measured: pairs
            .map(([a, b]) => `${a.construction} ${pct(a.mean)} vs ${b.construction} ${pct(b.mean)}`)
            .join('; '),
        };
      },
    },
  ],
});
