/**
 * Experiment profiles: the paper's full protocol, a quick version of the same code for laptops
 * (the default of `make report`), and a seconds-long smoke version for tests.
 *
 * @example
 *   const p = getProfile('quick');
 *   p.datasets;   // ['mnist', 'cifar10']
 */
import type { DatasetName } from '../data/registry';
import type { Strategy } from '../scores/subset-selection';

/** The grid of the pruning benchmark (experiments/pruning.ts) a profile runs for Figure 11. */
export interface PruningGrid {
  readonly scores: readonly string[];
  readonly strategies: readonly Strategy[];
  /** Kept fractions below 1 (the full set is always trained as the reference). */
  readonly fractions: readonly number[];
  /** Initialisation (and order) seeds of the retrained runs; never the scoring run's. */
  readonly seeds: readonly number[];
  /** T of the scores (epochs 1 … T); default the scoring run's last epoch. */
  readonly scoreEpoch?: number;
  /**
   * Initialisation seed of the full-data run (order seed 1) whose scores choose the subsets: a run
   * of the benchmark's own, so its record has every array the scores need.
   */
  readonly scoringSeed: number;
}

export interface Profile {
  readonly name: string;
  readonly description: string;
  /** Datasets the profile runs, in order; a missing one is skipped with a notice. */
  readonly datasets: readonly DatasetName[];
  readonly trainSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly hidden: readonly number[];
  /** A network other than the paper's MLP (a preset or layer words, src/model/network.ts); absent: the MLP. */
  readonly model?: string;
  readonly batchSize: number;
  /** Initialisation seeds of the stability experiment (Figure 1); the first is "seed 1" for the rest. */
  readonly seeds: readonly [number, ...number[]];
  /** Runs (initialisation seeds 1..k) per batch construction (Figures 7 and 8). */
  readonly constructionRuns: number;
  /** Examples of the clustering figures: class and k per dataset. */
  readonly clusterK: Readonly<Record<DatasetName, number>>;
  /**
   * Also measure Figure 1 under the protocol's unstated alternatives: α of every sample at the
   * 5-epoch snapshots, and seeds with their own data order (one extra run per seed after the first).
   */
  readonly stabilityVariants: boolean;
  /**
   * Whether `si experiments` also runs the benchmarks behind Figures 11 and 12 (pruning, noisy
   * labels) after the profile's runs; `si prune` and `si noisy` run them either way.
   */
  readonly benchmarks: boolean;
  /** Figure 11's pruning grid. */
  readonly pruning: PruningGrid;
  /** Figure 12's fractions of flipped labels. */
  readonly noisyLabels: readonly number[];
}

/** Issue #17's minimum at full size: four scores, keep-hard and stratified, six fractions, three seeds. */
const FULL_PRUNING: PruningGrid = {
  scores: ['tau', 'el2n', 'forgetting', 'aum'],
  strategies: ['hard', 'stratified'],
  fractions: [0.9, 0.7, 0.5, 0.3, 0.2, 0.1],
  seeds: [2, 3, 4],
  scoringSeed: 11,
};

const PAPER_CLUSTERS = { mnist: 20, cifar10: 30, 'fashion-mnist': 20 } as const;

export const PROFILES: Readonly<Record<string, Profile>> = {
  paper: {
    name: 'paper',
    description: "the paper's protocol: 50,000 / 10,000 samples, 50 epochs, 3 seeds, 5 runs per construction",
    datasets: ['mnist', 'cifar10'],
    trainSize: 50000,
    testSize: 10000,
    epochs: 50,
    hidden: [512, 512, 512],
    batchSize: 100,
    seeds: [1, 2, 3],
    constructionRuns: 5,
    clusterK: PAPER_CLUSTERS,
    stabilityVariants: true,
    benchmarks: true,
    pruning: FULL_PRUNING,
    noisyLabels: [0.1, 0.3],
  },
  quick: {
    name: 'quick',
    description:
      'the same code on 10,000 / 2,000 samples, 15 epochs, 3 seeds, 3 runs per construction ' +
      '(about 15 minutes on 2 cores)',
    datasets: ['mnist', 'cifar10'],
    trainSize: 10000,
    testSize: 2000,
    epochs: 15,
    hidden: [512, 512, 512],
    batchSize: 100,
    seeds: [1, 2, 3],
    constructionRuns: 3,
    clusterK: { mnist: 10, cifar10: 10, 'fashion-mnist': 10 },
    stabilityVariants: false,
    benchmarks: true,
    // Two fractions and two seeds keep the report quick; the full grid is `si prune` away.
    pruning: { ...FULL_PRUNING, fractions: [0.5, 0.2], seeds: [2, 3] },
    noisyLabels: [0.1, 0.3],
  },
  cnn: {
    name: 'cnn',
    description:
      "the paper's protocol on cnn-small, at the quick profile's sizes: 10,000 / 2,000 samples, 15 epochs, " +
      '3 seeds, 2 runs per construction (about 3 worker-hours per dataset)',
    datasets: ['mnist', 'cifar10'],
    // The quick profile's samples and epochs, so the CNN's findings compare with the MLP's on the same data;
    // cnn-small trains about 450 (MNIST) and 350 (CIFAR-10) samples/s on one core with importance, so 3
    // seed runs and 7 constructions × 2 runs of 15 epochs take about 2.3 and 3 worker-hours.
    trainSize: 10000,
    testSize: 2000,
    epochs: 15,
    hidden: [512, 512, 512],
    model: 'cnn-small',
    batchSize: 100,
    seeds: [1, 2, 3],
    constructionRuns: 2,
    clusterK: { mnist: 10, cifar10: 10, 'fashion-mnist': 10 },
    stabilityVariants: false,
    // The benchmarks would add about 80 worker-minutes per dataset to the 3 hours; `si prune --profile cnn` runs them.
    benchmarks: false,
    pruning: { ...FULL_PRUNING, fractions: [0.5, 0.2], seeds: [2, 3] },
    noisyLabels: [0.1, 0.3],
  },
  smoke: {
    name: 'smoke',
    description: 'seconds: 1,000 / 300 samples, a 3×32 network, batches of 20, 5 epochs, for tests',
    datasets: ['mnist', 'cifar10'],
    trainSize: 1000,
    testSize: 300,
    epochs: 5,
    hidden: [32, 32, 32],
    batchSize: 20,
    seeds: [1, 2, 3],
    constructionRuns: 2,
    clusterK: { mnist: 4, cifar10: 4, 'fashion-mnist': 4 },
    stabilityVariants: true,
    benchmarks: true,
    pruning: { ...FULL_PRUNING, scores: ['tau', 'el2n'], fractions: [0.5, 0.2], seeds: [2, 3] },
    noisyLabels: [0.1, 0.3],
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

export function getProfile(name: string): Profile {
  const p = PROFILES[name];
  if (!p) throw new RangeError(`unknown profile '${name}'; valid profiles: ${PROFILE_NAMES.join(', ')}`);
  return p;
}
