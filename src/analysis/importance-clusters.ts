/**
 * Figures 5 and 6: when and where does a sample make its biggest impact? One class's samples are
 * clustered with k-means (ml-kmeans, k-means++ initialisation, seeded) on their epoch- and
 * layer-specific importance, the E × D matrix of β flattened per sample.
 *
 * Features are log10(max(β, logFloor)), not raw β. Tried on the paper-scale MNIST run (digit 5,
 * 4,506 samples, 20 clusters): raw β is so heavy-tailed that k-means put 4,250 samples in one
 * cluster and made most others singletons of outliers; on log10 β the clusters hold 82–466
 * samples and their mean final NLL spans 1e-10 to 6e-3, the easy-to-hard range the figure needs.
 * The floor keeps β that underflowed to 0 finite and stops differences among negligible updates
 * (10 orders below the largest β) from dominating the distances.
 *
 * Three representative clusters are kept, by mean final NLL among clusters of at least `minSize`
 * samples: the lowest (easy), the middle one (medium) and the highest (hard).
 *
 * @example
 *   const frames = importanceClusters(run, labels, 5, { clusters: 20, seed: 1 });
 */
import { kmeans } from './kmeans';
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { epochNumber, runLayerNames, positionsOfClass, requireFinalNll } from './run-arrays';
import { boxStats, mean } from './stats';

export interface ImportanceClusterOptions {
  clusters: number;
  seed: number;
  /** Smallest cluster eligible as a representative. */
  minSize: number;
  /** Example positions kept per representative cluster (nearest its centroid first). */
  examples: number;
  logFloor: number;
  maxIterations: number;
}

export const IMPORTANCE_CLUSTER_DEFAULTS: Required<ImportanceClusterOptions> = {
  clusters: 20,
  seed: 1,
  minSize: 20,
  examples: 8,
  logFloor: 1e-12,
  maxIterations: 100,
};

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface ImportanceClusters {
  /** cluster, size, meanFinalNll, difficulty ('' unless representative): every cluster. */
  clusters: DataFrame;
  /** difficulty, epoch, layer, beta (mean over the cluster's samples). */
  layerImportance: DataFrame;
  /** difficulty, epoch, q1, median, q3, lower, upper: NLL at the sample's own step. */
  nllBoxes: DataFrame;
  /** difficulty, rank (0 = nearest the centroid), position. */
  examples: DataFrame;
}

/** Per sample at `positions`, the flattened E × D matrix of log10(max(β, floor)). */
export function importanceFeatures(run: OpenRun, positions: number[], logFloor: number): number[][] {
  const { n, layers: D, epochs: E, importance } = run;
  return positions.map((p) => {
    const f = new Array<number>(E * D);
    for (let t = 0; t < E; t++) {
      for (let d = 0; d < D; d++) f[t * D + d] = Math.log10(Math.max(importance[(t * n + p) * D + d]!, logFloor));
    }
    return f;
  });
}

function squaredDistance(a: number[], b: number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
  return s;
}

/** Easy, medium and hard cluster ids by mean final NLL among clusters of at least minSize. */
export function representativeClusters(
  sizes: number[],
  meanNll: number[],
  minSize: number,
): Record<Difficulty, number> {
  const eligible = sizes
    .map((_, c) => c)
    .filter((c) => sizes[c]! >= minSize)
    .sort((a, b) => meanNll[a]! - meanNll[b]!);
  if (eligible.length < 3)
    throw new RangeError(
      `only ${eligible.length} clusters have at least ${minSize} samples; ` +
        `three are needed (lower minSize or use fewer clusters)`,
    );
  return {
    easy: eligible[0]!,
    medium: eligible[Math.floor((eligible.length - 1) / 2)]!,
    hard: eligible[eligible.length - 1]!,
  };
}

/** One k-means fit of a class's samples: each sample's cluster, and the representative clusters. */
export interface ClusterFit {
  /** Training positions of the class's samples, in the order the other arrays follow. */
  positions: number[];
  features: number[][];
  /** Cluster of each of `positions`. */
  assignment: number[];
  centroids: number[][];
  /** Indices into `positions` of each cluster's members. */
  members: number[][];
  sizes: number[];
  meanNll: number[];
  chosen: Record<Difficulty, number>;
}

export function fitClusters(
  run: OpenRun,
  labels: Int32Array,
  label: number,
  opts: Partial<ImportanceClusterOptions> = {},
): ClusterFit {
  const o = { ...IMPORTANCE_CLUSTER_DEFAULTS, ...opts };
  const finalNll = requireFinalNll(run);
  const positions = positionsOfClass(labels, label);
  const features = importanceFeatures(run, positions, o.logFloor);
  const result = kmeans(features, o.clusters, {
    seed: o.seed,
    initialization: 'kmeans++',
    maxIterations: o.maxIterations,
  });
  const members = Array.from({ length: o.clusters }, () => [] as number[]);
  result.clusters.forEach((c, k) => {
    members[c]!.push(k);
  });
  const sizes = members.map((m) => m.length);
  const meanNll = members.map((m) => (m.length ? mean(m.map((k) => finalNll[positions[k]!]!)) : Number.NaN));
  const chosen = representativeClusters(sizes, meanNll, o.minSize);
  return {
    positions,
    features,
    assignment: result.clusters,
    centroids: result.centroids,
    members,
    sizes,
    meanNll,
    chosen,
  };
}

/**
 * Each representative cluster's importance-weighted centre epoch: Σ_t t·ᾱ^t / Σ_t ᾱ^t, with ᾱ^t
 * the cluster's mean α at epoch t. Unlike the peak epoch, one bump of the loss does not decide it.
 */
export function centreEpochs(run: OpenRun, fit: ClusterFit): Record<Difficulty, number> {
  const centre = (ks: number[]): number => {
    let [weighted, total] = [0, 0];
    for (let t = 0; t < run.epochs; t++) {
      let alpha = 0;
      for (const k of ks)
        for (let d = 0; d < run.layers; d++) alpha += run.importance[(t * run.n + fit.positions[k]!) * run.layers + d]!;
      weighted += epochNumber(t) * alpha;
      total += alpha;
    }
    return weighted / total;
  };
  return Object.fromEntries(DIFFICULTIES.map((d) => [d, centre(fit.members[fit.chosen[d]]!)])) as Record<
    Difficulty,
    number
  >;
}

export function importanceClusters(
  run: OpenRun,
  labels: Int32Array,
  label: number,
  opts: Partial<ImportanceClusterOptions> = {},
): ImportanceClusters {
  const o = { ...IMPORTANCE_CLUSTER_DEFAULTS, ...opts };
  const { positions, features, members, sizes, meanNll, chosen, centroids } = fitClusters(run, labels, label, o);
  const difficultyOf = new Map(DIFFICULTIES.map((d) => [chosen[d], d]));

  const names = runLayerNames(run);
  const layerImportance: Row[] = [];
  const nllBoxes: Row[] = [];
  const examples: Row[] = [];
  for (const difficulty of DIFFICULTIES) {
    const ks = members[chosen[difficulty]]!;
    for (let t = 0; t < run.epochs; t++) {
      const epoch = epochNumber(t);
      names.forEach((layer, d) => {
        const beta = mean(ks.map((k) => run.importance[(t * run.n + positions[k]!) * run.layers + d]!));
        layerImportance.push({ difficulty, epoch, layer, beta });
      });
      nllBoxes.push({ difficulty, epoch, ...boxStats(ks.map((k) => run.nll[t * run.n + positions[k]!]!)) });
    }
    const centroid = centroids[chosen[difficulty]]!;
    const nearest = [...ks].sort(
      (a, b) => squaredDistance(features[a]!, centroid) - squaredDistance(features[b]!, centroid),
    );
    nearest.slice(0, o.examples).forEach((k, rank) => {
      examples.push({ difficulty, rank, position: positions[k]! });
    });
  }
  const clusters: Row[] = sizes.map((size, cluster) => ({
    cluster,
    size,
    meanFinalNll: meanNll[cluster]!,
    difficulty: difficultyOf.get(cluster) ?? '',
  }));
  return {
    clusters: frameFromRows(clusters, ['cluster', 'size', 'meanFinalNll', 'difficulty']),
    layerImportance: frameFromRows(layerImportance, ['difficulty', 'epoch', 'layer', 'beta']),
    nllBoxes: frameFromRows(nllBoxes, ['difficulty', 'epoch', 'q1', 'median', 'q3', 'lower', 'upper']),
    examples: frameFromRows(examples, ['difficulty', 'rank', 'position']),
  };
}
