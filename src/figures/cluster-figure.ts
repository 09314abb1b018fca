/**
 * Figures 5 and 6 share one layout: a row per representative cluster (easy, medium, hard), each
 * with example images, the mean per-layer β stacked over epochs, and a box plot of NLL per epoch.
 *
 * @example
 *   const frames = computeClusterFigure(inputs, '5');   // any class, on any dataset
 *   await renderSvg(clusterFigureSpec('Figure 5', frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import { frameFromRows, type Frames } from '../analysis/frames';
import { adjustedRandIndex } from '../analysis/adjusted-rand';
import {
  centreEpochs,
  DIFFICULTIES,
  fitClusters,
  IMPORTANCE_CLUSTER_DEFAULTS,
  importanceClusters,
  type Difficulty,
  type ImportanceClusterOptions,
} from '../analysis/importance-clusters';
import { epochNumber } from '../analysis/run-arrays';
import type { OpenRun } from '../run/open-run';
import { defineFigure, figureNumber, verdictOf, type Claim, type ClaimResult, type Figure } from './figure';
import { firstSeedRun, fmt, item, layerRoles, layersIn, num, pct, rowsOf, share, type FigureInputs } from './inputs';
import { imageDataUrl } from './png';
import { baseSpec, layerColour, specOptions, type FigureSpecOptions } from './theme';

/** The class the paper clusters on each dataset (MNIST “5”, CIFAR-10 “horse”) and how many clusters. */
export const PAPER_CLUSTER_CLASS: Record<string, { className: string; clusters: number }> = {
  mnist: { className: '5', clusters: 20 },
  cifar10: { className: 'horse', clusters: 30 },
  'fashion-mnist': { className: 'Sandal', clusters: 20 },
};

const CLUSTER_SETTINGS = {
  className: null as string | null,
  clusters: null as number | null,
  seed: IMPORTANCE_CLUSTER_DEFAULTS.seed,
};

/**
 * The class (default: the paper's for the inputs' dataset, else the first) in k clusters (default:
 * inputs.clusters, the profile's, else the paper's count). A representative cluster needs at least
 * a quarter of the mean cluster size (capped at 20), so small profiles still find easy, medium and
 * hard clusters.
 */
function computePaperClusterFigure(inputs: FigureInputs, settings: Partial<typeof CLUSTER_SETTINGS> = {}): Frames {
  const paper = PAPER_CLUSTER_CLASS[inputs.dataset] ?? { className: item(inputs.classNames, 0, 'class'), clusters: 20 };
  const className = settings.className ?? paper.className;
  const clusters = settings.clusters ?? inputs.clusters ?? paper.clusters;
  const label = inputs.classNames.indexOf(className);
  const classSize = inputs.trainLabels.reduce((n, y) => n + (y === label ? 1 : 0), 0);
  const minSize = Math.max(2, Math.min(20, Math.floor(classSize / clusters / 4)));
  return computeClusterFigure(inputs, className, { clusters, minSize, seed: settings.seed ?? CLUSTER_SETTINGS.seed });
}

export function computeClusterFigure(
  inputs: FigureInputs,
  className: string,
  opts: Partial<ImportanceClusterOptions> = {},
): Frames {
  const label = inputs.classNames.indexOf(className);
  if (label < 0) throw new RangeError(`class '${className}' is not one of ${inputs.classNames.join(', ')}`);
  const run = firstSeedRun(inputs);
  const clusters: Frames = {
    ...importanceClusters(run, inputs.trainLabels, label, opts),
    seedFits: seedFits(run, inputs.trainLabels, label, opts),
  };
  const examples = rowsOf(clusters, 'examples');
  const batch = inputs.images?.(examples.map((r) => num(r, 'position')));
  const withImages = examples.map((r, k) => ({
    ...r,
    image: batch ? imageDataUrl(batch.shape, item(batch.pixels, k, `image ${k}`)) : '',
  }));
  return {
    ...clusters,
    examples: frameFromRows(withImages, ['difficulty', 'rank', 'position', 'image']),
    chosen: frameFromRows([{ class: className }], ['class']),
  };
}

/** One grid row: the cluster's example images, its mean β per layer, its NLL box plot. */
/** k-means fits compared for the timing claim's robustness: the figure's seed and the next ones. */
export const ROBUSTNESS_FITS = 5;

/**
 * The clustering refitted with ROBUSTNESS_FITS seeds from the figure's: per fit, its agreement with
 * the first (adjusted Rand index) and its representatives' centre epochs. A fit that finds fewer
 * than three clusters of the minimum size has no representatives and is left out.
 */
function seedFits(run: OpenRun, labels: Int32Array, label: number, opts: Partial<ImportanceClusterOptions>) {
  const first = opts.seed ?? IMPORTANCE_CLUSTER_DEFAULTS.seed;
  const fits = Array.from({ length: ROBUSTNESS_FITS }, (_, k) => {
    try {
      return { seed: first + k, fit: fitClusters(run, labels, label, { ...opts, seed: first + k }) };
    } catch (err) {
      if (err instanceof RangeError) return null;
      throw err;
    }
  }).filter((f) => f !== null);
  const reference = fits[0]?.fit.assignment;
  const rows = fits.map(({ seed, fit }) => ({
    seed,
    ari: reference ? adjustedRandIndex(reference, fit.assignment) : Number.NaN,
    ...centreEpochs(run, fit),
  }));
  return frameFromRows(rows, ['seed', 'ari', ...DIFFICULTIES]);
}

function clusterRow(frames: Frames, difficulty: string, opts: ReturnType<typeof specOptions>) {
  const only = { filter: { field: 'difficulty', equal: difficulty } };
  const size = num(rowsOf(frames, 'clusters').find((r) => r.difficulty === difficulty) ?? {}, 'size');
  const epoch = { field: 'epoch', type: 'quantitative' as const, title: 'epoch' };
  // Bars on a quantitative axis make Vega pad and "nice" the domain to negative epochs.
  const boxEpoch = { ...epoch, scale: { zero: false, nice: false, padding: 6 } };
  // Narrower than a standard panel, so the images and two plots fit the report column side by side.
  const plot = { width: opts.width * 0.72, height: opts.height * 0.8 };
  return [
    {
      title: { text: `${difficulty} cluster (${size} samples)`, fontSize: 13 },
      width: 4 * 44,
      height: 2 * 44,
      data: { values: rowsOf(frames, 'examples') },
      transform: [only, { calculate: 'datum.rank % 4', as: 'col' }, { calculate: 'floor(datum.rank / 4)', as: 'row' }],
      mark: { type: 'image' as const, width: 40, height: 40 },
      encoding: {
        x: { field: 'col', type: 'ordinal' as const, axis: null },
        y: { field: 'row', type: 'ordinal' as const, axis: null },
        url: { field: 'image', type: 'nominal' as const },
      },
    },
    {
      ...plot,
      data: { values: rowsOf(frames, 'layerImportance') },
      transform: [only],
      mark: 'area' as const,
      encoding: {
        x: epoch,
        y: {
          field: 'beta',
          type: 'quantitative' as const,
          title: 'mean β (sq. param. change)',
          stack: 'zero' as const,
        },
        // Above the rows, not beside them: a fourth column would overflow the report column.
        color: {
          ...layerColour('layer', layersIn(rowsOf(frames, 'layerImportance'))),
          legend: { orient: 'top' as const, direction: 'horizontal' as const },
        },
        order: { field: 'layer' },
      },
    },
    {
      ...plot,
      data: { values: rowsOf(frames, 'nllBoxes') },
      transform: [only],
      layer: [
        {
          mark: { type: 'rule' as const, color: '#555555' },
          encoding: {
            x: boxEpoch,
            y: { field: 'lower', type: 'quantitative' as const, title: 'NLL, own step (nats)' },
            y2: { field: 'upper' },
          },
        },
        {
          mark: { type: 'bar' as const, size: 4, color: '#9ecae1' },
          encoding: { x: boxEpoch, y: { field: 'q1', type: 'quantitative' as const }, y2: { field: 'q3' } },
        },
        {
          mark: { type: 'tick' as const, color: '#08519c', size: 5 },
          encoding: { x: boxEpoch, y: { field: 'median', type: 'quantitative' as const } },
        },
      ],
    },
  ];
}

export function clusterFigureSpec(
  title: string,
  frames: Frames,
  options: Partial<FigureSpecOptions> = {},
): TopLevelSpec {
  const opts = specOptions(options);
  const className = String(rowsOf(frames, 'chosen')[0]?.class ?? '');
  return {
    ...baseSpec(
      `${title}: when and where samples of class “${className}” have their biggest impact`,
      opts,
      'each row: example images; mean per-layer β over epochs; NLL box plot per epoch',
    ),
    // A grid, not a column of rows: each column's panels line up whatever their axis labels.
    columns: 3,
    align: 'each',
    concat: DIFFICULTIES.flatMap((d) => clusterRow(frames, d, opts)),
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

export interface ClusterProfile {
  /** Epoch (1-based) where the cluster's mean α peaks. */
  peakEpoch: number;
  /** The cluster's importance-weighted mean epoch, Σ_t t·ᾱ^t / Σ_t ᾱ^t. */
  centreEpoch: number;
  /** Each layer's share of the cluster's total β. */
  shares: Record<string, number>;
  /** The output layer's share of β in epochs 1–5. */
  earlyOut: number;
}

export interface ClusterMeasures {
  clusters: number;
  className: string;
  /** The representative easy, medium and hard clusters. */
  byDifficulty: Record<Difficulty, ClusterProfile & { size: number; meanFinalNll: number }>;
}

/** The numbers the cluster figures' summaries (5, 6) and the claims table quote. */
function measureClusterFigure(frames: Frames): ClusterMeasures {
  const clusters = rowsOf(frames, 'clusters');
  const byDifficulty = Object.fromEntries(
    DIFFICULTIES.map((d) => {
      const c = clusters.find((r) => r.difficulty === d) ?? {};
      return [d, { ...clusterProfile(frames, d), size: num(c, 'size'), meanFinalNll: num(c, 'meanFinalNll') }];
    }),
  ) as ClusterMeasures['byDifficulty'];
  return { clusters: clusters.length, className: String(rowsOf(frames, 'chosen')[0]?.class), byDifficulty };
}

function clusterProfile(frames: Frames, difficulty: string): ClusterProfile {
  const rows = rowsOf(frames, 'layerImportance').filter((r) => r.difficulty === difficulty);
  const byEpoch = new Map<number, number>();
  const byLayer: Record<string, number> = {};
  for (const r of rows) {
    byEpoch.set(num(r, 'epoch'), (byEpoch.get(num(r, 'epoch')) ?? 0) + num(r, 'beta'));
    byLayer[String(r.layer)] = (byLayer[String(r.layer)] ?? 0) + num(r, 'beta');
  }
  const total = Object.values(byLayer).reduce((a, b) => a + b, 0);
  const early = rows.filter((r) => num(r, 'epoch') <= epochNumber(4));
  const output = layerRoles(layersIn(rows)).output;
  const earlyOut =
    early.filter((r) => r.layer === output).reduce((s, r) => s + num(r, 'beta'), 0) /
    Math.max(
      1e-300,
      early.reduce((s, r) => s + num(r, 'beta'), 0),
    );
  const peakEpoch = [...byEpoch.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const weight = [...byEpoch.values()].reduce((x, y) => x + y, 0);
  const centreEpoch = [...byEpoch.entries()].reduce((x, [e, v]) => x + e * v, 0) / weight;
  return {
    peakEpoch,
    centreEpoch,
    shares: Object.fromEntries(Object.entries(byLayer).map(([l, v]) => [l, v / total])),
    earlyOut,
  };
}

function summarizeClusterFigure(title: string, frames: Frames): string {
  const m = measureClusterFigure(frames);
  const parts = DIFFICULTIES.map((d) => {
    const p = m.byDifficulty[d];
    return (
      `${d}: ${p.size} samples, mean final NLL ${fmt(p.meanFinalNll)}, ` +
      `importance peaks at epoch ${p.peakEpoch}, ` +
      `L1 ${pct(p.shares.L1 ?? 0)} / Out ${pct(p.shares.Out ?? 0)} of its β, ` +
      `Out ${pct(p.earlyOut)} in epochs 1–5`
    );
  });
  return (
    `**${title}.** ${m.clusters} k-means clusters of class “${m.className}”; ` +
    `representatives by mean final NLL — ${parts.join('; ')}. ` +
    `Paper: easy samples act early and mostly on the output layer; harder ones later and more on lower layers.`
  );
}

/** Whether centre epochs are ordered as the paper says: easy < hard, and easy ≤ medium ≤ hard. */
function timingOrder(c: Record<Difficulty, number>): [boolean, boolean] {
  return [c.easy < c.hard, c.easy <= c.medium && c.medium <= c.hard];
}

function clusterTiming(frames: Frames): ClaimResult {
  const { easy, medium, hard } = measureClusterFigure(frames).byDifficulty;
  const centres = { easy: easy.centreEpoch, medium: medium.centreEpoch, hard: hard.centreEpoch };
  const [easyFirst, ordered] = timingOrder(centres);
  const measured =
    `centre epochs ${fmt(centres.easy)} (easy), ${fmt(centres.medium)} (medium), ${fmt(centres.hard)} (hard); ` +
    `peaks ${easy.peakEpoch}, ${medium.peakEpoch}, ${hard.peakEpoch}`;
  const verdict = verdictOf(easyFirst, ordered);
  if (!frames.seedFits) return { verdict, measured: `${measured}; k-means seeds not compared (older figure data)` };
  // Robust only if every refit with another k-means seed gives the same verdict.
  const fits = rowsOf(frames, 'seedFits');
  const agreeing = fits.filter((r) => {
    const [a, b] = timingOrder({ easy: num(r, 'easy'), medium: num(r, 'medium'), hard: num(r, 'hard') });
    return verdictOf(a, b) === verdict;
  }).length;
  const aris = fits.slice(1).map((r) => num(r, 'ari'));
  return {
    verdict: agreeing === ROBUSTNESS_FITS || verdict === 'does not hold' ? verdict : 'partly holds',
    measured:
      `${measured}; the same verdict with ${agreeing} of ${ROBUSTNESS_FITS} k-means seeds` +
      (aris.length ? ` (ARI to the first fit ${fmt(Math.min(...aris))}–${fmt(Math.max(...aris))})` : ''),
  };
}

function clusterLayers(frames: Frames): ClaimResult {
  const { easy, hard } = measureClusterFigure(frames).byDifficulty;
  const { first, output } = layerRoles(Object.keys(easy.shares));
  return {
    verdict: verdictOf(
      share(easy.shares, output) > share(hard.shares, output),
      share(hard.shares, first) > share(easy.shares, first),
    ),
    measured:
      `${output} ${pct(share(easy.shares, output))} (easy) vs ${pct(share(hard.shares, output))} (hard); ` +
      `${first} ${pct(share(easy.shares, first))} (easy) vs ${pct(share(hard.shares, first))} (hard)`,
  };
}

/** Claims §3.5 makes of a cluster figure: when (timing) and where (layers) each cluster acts. */
export interface ClusterClaimTexts {
  timing: { id: string; text: string; rule: string };
  layers: { id: string; text: string; rule: string };
}

/**
 * Figure 5 or 6: the cluster figure drawn for one paper dataset (and its stand-ins), on the class
 * the paper clusters there, with the timing and layer claims and any claims of its own.
 */
export function paperClusterFigure(
  figure: Pick<Figure, 'id' | 'notebook' | 'title' | 'claim'> & {
    paperDataset: 'mnist' | 'cifar10';
    texts: ClusterClaimTexts;
    extraClaims?: Claim[];
  },
): Figure<ClusterMeasures, typeof CLUSTER_SETTINGS> {
  const label = `Figure ${figureNumber(figure)}`;
  const datasets = [figure.paperDataset];
  return defineFigure({
    id: figure.id,
    notebook: figure.notebook,
    title: figure.title,
    claim: figure.claim,
    paperDatasets: datasets,
    drawnFor: 'paper datasets',
    needs: ['seedRuns', 'trainLabels', 'classNames', 'images'],
    perSeed: true,
    settings: CLUSTER_SETTINGS,
    settingDocs: {
      className: `the class to cluster; null: the paper's (${Object.entries(PAPER_CLUSTER_CLASS)
        .map(([d, c]) => `${d} ${c.className}`)
        .join(', ')})`,
      clusters: "k of k-means; null: the profile's (the paper: 20 on MNIST, 30 on CIFAR-10)",
      seed: 'k-means seed (initial centres)',
    },
    compute: computePaperClusterFigure,
    spec: (frames, opts) => clusterFigureSpec(label, frames, opts),
    measure: measureClusterFigure,
    summarize: (frames) => summarizeClusterFigure(label, frames),
    claims: [
      { ...figure.texts.timing, datasets, evaluate: clusterTiming },
      { ...figure.texts.layers, datasets, evaluate: clusterLayers },
      ...(figure.extraClaims ?? []),
    ],
  });
}
