/**
 * Figure 8: do parameters converge differently under different batch constructions? Paths of
 * every run's parameter snapshots in the first two principal components of all snapshots.
 *
 * @example
 *   const frames = fig08.compute(inputs);     // reads every snapshot of every construction run
 *   await renderSvg(fig08.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONSTRUCTION_NAMES } from '../analysis/batch-constructions';
import { frameFromRows, type Frames, type Row } from '../analysis/frames';
import type { GramPcaOptions } from '../analysis/gram-pca';
import { pcaPaths, snapshotSeries } from '../analysis/pca-paths';
import { defineFigure, NO_SETTINGS, verdictOf } from './figure';
import { fmt, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, CONSTRUCTION_RANGE, specOptions, type FigureSpecOptions } from './theme';

/**
 * One path per construction, as in the paper: each construction's first run, which keeps every
 * epoch's parameters and shares initialisation seed 1 with the others. Runs from other seeds start
 * elsewhere, and that distance would take over the first two components.
 * With fewer than two snapshots in all there is no variance to project: the frames are empty.
 */
function computeFig08(inputs: FigureInputs, opts: Partial<GramPcaOptions> = {}): Frames {
  const firstRuns = Object.fromEntries(
    Object.entries(inputs.constructionRuns).map(([name, runs = []]) => [name, runs.slice(0, 1)]),
  );
  const series = snapshotSeries(firstRuns);
  if (series.reduce((s, r) => s + r.epochs.length, 0) < 2) {
    return {
      paths: frameFromRows([], ['construction', 'seed', 'epoch', 'pc1', 'pc2']),
      explained: frameFromRows([], ['component', 'ratio']),
    };
  }
  return { ...pcaPaths(series, opts) };
}

function fig08Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const ratio = (k: number): string => pct(num(rowsOf(frames, 'explained')[k] ?? {}, 'ratio'));
  return {
    ...baseSpec(
      'Figure 8: parameter paths in the first two principal components',
      opts,
      'one path per run, a point per snapshot epoch; the larger point is the last epoch',
    ),
    width: opts.width * 1.5,
    height: opts.height * 1.5,
    data: { values: rowsOf(frames, 'paths') },
    transform: [
      { joinaggregate: [{ op: 'max', field: 'epoch', as: 'lastEpoch' }], groupby: ['construction', 'seed'] },
      { calculate: 'datum.epoch === datum.lastEpoch ? 60 : 16', as: 'pointSize' },
    ],
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.2, opacity: 0.8 },
        encoding: { order: { field: 'epoch' }, detail: { field: 'seed' } },
      },
      {
        mark: { type: 'circle', opacity: 0.9 },
        encoding: {
          size: { field: 'pointSize', type: 'quantitative', legend: null, scale: null },
          tooltip: [{ field: 'construction' }, { field: 'seed' }, { field: 'epoch' }],
        },
      },
    ],
    encoding: {
      x: { field: 'pc1', type: 'quantitative', title: `PC1 (${ratio(0)} of variance; parameter units)` },
      y: { field: 'pc2', type: 'quantitative', title: `PC2 (${ratio(1)} of variance; parameter units)` },
      color: {
        field: 'construction',
        type: 'nominal',
        title: 'batch construction',
        scale: { domain: [...CONSTRUCTION_NAMES], range: CONSTRUCTION_RANGE },
      },
    },
  } as TopLevelSpec;
}

export interface Fig08Measures {
  explained: [number, number];
  snapshots: number;
  /** Constructions with a path. */
  constructions: number;
  firstEpoch: number;
  lastEpoch: number;
  /** Largest and mean distance between two constructions' end points in (PC1, PC2), and the mean distance travelled. */
  spread: number;
  meanSpread: number;
  travel: number;
  /**
   * The mixed constructions (Rand, NLM, SIM), over the distance travelled: how far apart their paths
   * run (the largest distance between two of them at an epoch, averaged over epochs), and how far
   * the nearest other construction ends from their end points' centre. NaN without all three.
   */
  mixedPathGap: number;
  mixedSeparation: number;
  /** Constructions whose path ends before the last epoch (a diverged run), with that epoch. */
  truncated: string[];
  /** End-point distance of each forward/reversed pair (NLO–RNLO, SIO–RSIO) over the distance travelled. */
  reversedApart: Record<string, number>;
}

const MIXED = ['Rand', 'NLM', 'SIM'];

type Point = [number, number];

/** The mean (PC1, PC2) of some path points (the runs of a construction at an epoch). */
function centreOf(rows: readonly Row[]): Point {
  return [
    rows.reduce((s, r) => s + num(r, 'pc1'), 0) / rows.length,
    rows.reduce((s, r) => s + num(r, 'pc2'), 0) / rows.length,
  ];
}

function apart(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** The largest distance between two of the points. */
function widest(points: readonly Point[]): number {
  return Math.max(0, ...points.flatMap((a, i) => points.slice(i + 1).map((b) => apart(a, b))));
}

/** How closely the mixed constructions' paths run together, and how far the others end from them (Fig08Measures). */
function mixedPaths(paths: Row[], ends: Map<string, Point>, travel: number): { gap: number; separation: number } {
  if (!MIXED.every((c) => ends.has(c))) return { gap: NaN, separation: NaN };
  const gaps = [...new Set(paths.map((r) => num(r, 'epoch')))].flatMap((epoch) => {
    const at = MIXED.map((c) => paths.filter((r) => r.construction === c && num(r, 'epoch') === epoch));
    return at.every((rows) => rows.length > 0) ? [widest(at.map(centreOf))] : [];
  });
  const mixedEnds = MIXED.map((c) => ends.get(c) as Point);
  const centre: Point = [0, 1].map((k) => mixedEnds.reduce((s, p) => s + p[k]!, 0) / mixedEnds.length) as Point;
  const others = [...ends.entries()].filter(([c]) => !MIXED.includes(c)).map(([, p]) => apart(p, centre));
  return {
    gap: gaps.reduce((x, y) => x + y, 0) / Math.max(1, gaps.length) / travel,
    separation: others.length ? Math.min(...others) / travel : NaN,
  };
}

/** The numbers Figure 8's summary and the claims table quote; null without paths. */
function measureFig08(frames: Frames): Fig08Measures | null {
  const paths = rowsOf(frames, 'paths');
  const explained = rowsOf(frames, 'explained');
  if (paths.length === 0) return null;
  const lastEpoch = Math.max(...paths.map((r) => num(r, 'epoch')));
  const firstEpoch = Math.min(...paths.map((r) => num(r, 'epoch')));
  const constructions = [...new Set(paths.map((r) => String(r.construction)))];
  // A diverged run's path ends at its last snapshot, before the global last epoch.
  const lastOf = new Map(
    constructions.map((c) => [c, Math.max(...paths.filter((r) => r.construction === c).map((r) => num(r, 'epoch')))]),
  );
  const ends = new Map(
    constructions.map((c) => [
      c,
      centreOf(paths.filter((r) => r.construction === c && num(r, 'epoch') === lastOf.get(c))),
    ]),
  );
  const truncated = constructions.filter((c) => lastOf.get(c)! < lastEpoch).map((c) => `${c} (epoch ${lastOf.get(c)})`);
  const start = centreOf(paths.filter((r) => num(r, 'epoch') === firstEpoch));
  const travel =
    [...ends.values()].reduce((s, e) => s + Math.hypot(e[0] - start[0], e[1] - start[1]), 0) / Math.max(1, ends.size);
  const endList = [...ends.values()];
  const pairs = endList.flatMap((a, i) => endList.slice(i + 1).map((b) => apart(a, b)));
  const spread = widest(endList);
  const meanSpread = pairs.reduce((x, y) => x + y, 0) / Math.max(1, pairs.length);
  const { gap: mixedPathGap, separation: mixedSeparation } = mixedPaths(paths, ends, travel);
  const reversedApart: Record<string, number> = {};
  for (const [forward, reversed] of [
    ['NLO', 'RNLO'],
    ['SIO', 'RSIO'],
  ] as const) {
    const [a, b] = [ends.get(forward), ends.get(reversed)];
    if (a && b) reversedApart[`${forward}–${reversed}`] = apart(a, b) / travel;
  }
  return {
    explained: [num(explained[0] ?? {}, 'ratio'), num(explained[1] ?? {}, 'ratio')],
    snapshots: paths.length,
    constructions: ends.size,
    truncated,
    firstEpoch,
    lastEpoch,
    spread,
    meanSpread,
    travel,
    mixedPathGap,
    mixedSeparation,
    reversedApart,
  };
}

function summarizeFig08(frames: Frames): string {
  const m = measureFig08(frames);
  if (!m) return '**Figure 8.** Not computed: the batch-construction runs hold fewer than two parameter snapshots.';
  const reversed = Object.entries(m.reversedApart)
    .map(([pair, v]) => `${pair} ${fmt(v)}×`)
    .join(', ');
  return (
    `**Figure 8.** PC1 and PC2 explain ${pct(m.explained[0])} and ${pct(m.explained[1])} ` +
    `of the variance of ${m.snapshots} snapshots. ` +
    `At epoch ${m.lastEpoch}` +
    `${m.truncated.length ? ` (diverged runs end earlier: ${m.truncated.join(', ')})` : ''} ` +
    `the constructions' end points lie at most ${fmt(m.spread)} apart in (PC1, PC2) (${fmt(m.meanSpread)} on ` +
    'average over pairs), ' +
    `against a mean distance travelled from epoch ${m.firstEpoch} of ${fmt(m.travel)} ` +
    `(ratio ${fmt(m.spread / m.travel)}; paper: paths are similar on MNIST and differ on CIFAR-10)` +
    (reversed ? `; forward and reversed orders end ${reversed} the distance travelled apart.` : '.')
  );
}

export const fig08 = defineFigure({
  id: 'fig08',
  notebook: 'pca-paths',
  title: 'Parameter paths in principal components',
  claim:
    'On MNIST all constructions follow similar parameter paths; ' +
    'on CIFAR-10 construction and even batch order change where parameters converge.',
  paperDatasets: ['mnist', 'cifar10'],
  drawnFor: 'every dataset',
  needs: ['constructionRuns'],
  ...NO_SETTINGS,
  compute: (inputs) => computeFig08(inputs),
  spec: fig08Spec,
  measure: measureFig08,
  summarize: summarizeFig08,
  claims: [
    {
      id: 'paths-mnist-similar',
      datasets: ['mnist'],
      text: 'On MNIST the parameter paths of all constructions are very similar (§3.6)',
      rule:
        'holds: the two end points farthest apart are at most 0.5× the distance travelled apart in ' +
        '(PC1, PC2); partly: < 1×, or the mean over pairs < 0.5×',
      evaluate: (frames) => {
        const m = measureFig08(frames);
        if (!m || m.constructions < 7) return null;
        const [largest, mean] = [m.spread / m.travel, m.meanSpread / m.travel];
        return {
          verdict: largest < 0.5 ? 'holds' : largest < 1 || mean < 0.5 ? 'partly holds' : 'does not hold',
          measured: `end points at most ${fmt(largest)}×, on average ${fmt(mean)}× the distance travelled apart`,
        };
      },
    },
    {
      id: 'paths-cifar-differ',
      datasets: ['cifar10'],
      text: 'On CIFAR-10 construction, and even the order of batches, changes where parameters converge (§3.6)',
      rule:
        'holds: end points ≥ 1× the distance travelled apart, ' +
        'and each reversed order ends ≥ 0.5× apart from its forward one; partly: one of the two',
      evaluate: (frames) => {
        const m = measureFig08(frames);
        if (!m || m.constructions < 7) return null;
        const reversed = Object.values(m.reversedApart);
        return {
          verdict: verdictOf(m.spread / m.travel >= 1, reversed.length > 0 && reversed.every((v) => v >= 0.5)),
          measured: `end points ${fmt(m.spread / m.travel)}× apart; ${Object.entries(m.reversedApart)
            .map(([p, v]) => `${p} ${fmt(v)}×`)
            .join(', ')}`,
        };
      },
    },
    {
      id: 'mixed-paths-overlap-cifar',
      datasets: ['cifar10'],
      text:
        'On CIFAR-10 the paths of the mixed constructions (Rand, NLM, SIM) overlap, and differ from all the ' +
        'others (Fig. 8 caption)',
      rule:
        'holds: the mixed paths run within 0.5× the distance travelled of each other (largest gap between two, ' +
        'averaged over epochs), and every other construction ends farther than that from their end points; ' +
        'partly: one of the two',
      evaluate: (frames) => {
        const m = measureFig08(frames);
        if (!m || m.constructions < 7 || !Number.isFinite(m.mixedPathGap)) return null;
        return {
          verdict: verdictOf(m.mixedPathGap < 0.5, m.mixedSeparation > m.mixedPathGap),
          measured:
            `mixed paths ${fmt(m.mixedPathGap)}× apart on average; ` +
            `nearest other end point ${fmt(m.mixedSeparation)}× from theirs`,
        };
      },
    },
  ],
});
