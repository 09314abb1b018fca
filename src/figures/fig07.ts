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
import { fmt, num, pct, pct2, rowsOf, type FigureInputs } from './inputs';
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
    // Two panels and the legend beside them: 0.85 of a panel keeps the figure within FIGURE_MAX_WIDTH.
    width: opts.width * 0.85,
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

export interface CommonEpochRanking {
  /** The last epoch at which every run of every construction still contributes (none has diverged yet). */
  epoch: number;
  /** Test error there, lowest first, with the runs that make each mean. */
  ranked: { construction: string; mean: number; se: number; runs: number }[];
  /** Diverged runs per construction (over the whole training). */
  diverged: Record<string, number>;
}

/**
 * The constructions ranked at an epoch every run reached, so that a construction whose runs
 * diverged is not judged on its survivors alone.
 */
export function rankAtCommonEpoch(frames: Frames): CommonEpochRanking | null {
  const test = rowsOf(frames, 'errors').filter((r) => r.split === 'test');
  const constructions = [...new Set(test.map((r) => String(r.construction)))];
  if (constructions.length === 0) return null;
  const runsAt = (c: string, e: number) =>
    num(test.find((r) => r.construction === c && num(r, 'epoch') === e) ?? {}, 'runs');
  const whole = new Map(
    constructions.map((c) => [c, Math.max(...test.filter((r) => r.construction === c).map((r) => num(r, 'runs')))]),
  );
  const epochs = [...new Set(test.map((r) => num(r, 'epoch')))].sort((a, b) => a - b);
  const common = epochs.filter((e) => e > 0 && constructions.every((c) => runsAt(c, e) === whole.get(c)));
  const epoch = common[common.length - 1];
  if (epoch === undefined) return null;
  const ranked = constructions
    .map((construction) => {
      const r = test.find((row) => row.construction === construction && num(row, 'epoch') === epoch) ?? {};
      return { construction, mean: num(r, 'mean'), se: num(r, 'se'), runs: num(r, 'runs') };
    })
    .sort((a, b) => a.mean - b.mean);
  const diverged = Object.fromEntries(constructions.map((c) => [c, 0]));
  for (const d of rowsOf(frames, 'divergences'))
    diverged[String(d.construction)] = (diverged[String(d.construction)] ?? 0) + 1;
  return { epoch, ranked, diverged };
}

/** A mean's standard error, 0 where one run gives none (NaN). */
const errorBar = (x: { se: number }) => (Number.isFinite(x.se) ? x.se : 0);

/** Whether `a`'s mean is below `b`'s by more than two combined standard errors. */
function significantlyBelow(a: { mean: number; se: number }, b: { mean: number; se: number }): boolean {
  return b.mean - a.mean > 2 * Math.hypot(errorBar(a), errorBar(b));
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
      rule:
        'at the last epoch every run reached (no run diverged yet): holds: the three lowest test errors are ' +
        'Rand, NLM and SIM; partly: two of them, or a construction ranked above a mixed one leads it by no ' +
        'more than 2 combined standard errors; diverged runs are counted',
      evaluate: (frames) => {
        const at = rankAtCommonEpoch(frames);
        if (!at || at.ranked.length < 7) return null;
        const top = at.ranked.slice(0, 3);
        const mixedTop = top.filter((c) => MIXED_CONSTRUCTIONS.includes(c.construction)).length;
        const mixed = at.ranked.filter((c) => MIXED_CONSTRUCTIONS.includes(c.construction));
        // An ordered construction among the three lowest counts only if it beats the mixed one it displaces.
        const worstMixed = mixed.reduce((a, b) => (b.mean > a.mean ? b : a));
        const intruders = top.filter((c) => !MIXED_CONSTRUCTIONS.includes(c.construction));
        const clearLead = intruders.some((c) => significantlyBelow(c, worstMixed));
        const diverged = Object.entries(at.diverged).filter(([, n]) => n > 0);
        return {
          verdict: mixedTop === 3 ? 'holds' : mixedTop === 2 || !clearLead ? 'partly holds' : 'does not hold',
          measured:
            `at epoch ${at.epoch}: ` +
            at.ranked.map((c) => `${c.construction} ${pct2(c.mean)} ± ${pct2(c.se)}`).join(' < ') +
            (intruders.length ? `; lead over ${worstMixed.construction} ${clearLead ? 'beyond' : 'within'} 2 SE` : '') +
            `; diverged runs: ${diverged.length ? diverged.map(([c, n]) => `${c} ${n}`).join(', ') : 'none'}`,
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
      rule:
        'holds: for both, the mean training error climbs > 1 point above its lowest value so far, and more than ' +
        "any mixed construction's (Rand, NLM, SIM) does; partly: for one",
      evaluate: (frames) => {
        const m = byConstruction(frames);
        const [nlo, sio] = [m.get('NLO'), m.get('SIO')];
        const mixed = MIXED_CONSTRUCTIONS.flatMap((c) => m.get(c) ?? []);
        if (!nlo || !sio || mixed.length === 0) return null;
        const control = mixed.reduce((a, b) => (b.trainRise > a.trainRise ? b : a));
        const climbs = (c: ConstructionFinal) => c.trainRise > 0.01 && c.trainRise > control.trainRise;
        const rise = (c: ConstructionFinal) => `${c.construction} +${pct(c.trainRise)} (epoch ${c.trainRiseEpoch})`;
        return {
          verdict: verdictOf(climbs(nlo), climbs(sio)),
          measured: `largest climb: ${rise(nlo)}, ${rise(sio)}; mixed at most ${rise(control)}`,
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
        const differ = pairs.map(
          ([a, b]) => Math.abs(a.mean - b.mean) > Math.max(0.01, 2 * Math.hypot(errorBar(a), errorBar(b))),
        );
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
