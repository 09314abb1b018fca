/**
 * Experiment profiles: the paper's full protocol, a quick version of the same code for laptops
 * (the default of `make report`), and a seconds-long smoke version for tests.
 *
 * @example
 *   const p = getProfile('quick');
 *   p.datasets;   // ['mnist', 'cifar10']
 */
import type { DatasetName } from '../data/registry';

export interface Profile {
  readonly name: string;
  readonly description: string;
  /** Datasets the profile runs, in order; a missing one is skipped with a notice. */
  readonly datasets: readonly DatasetName[];
  readonly trainSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly hidden: readonly number[];
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
}

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
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

export function getProfile(name: string): Profile {
  const p = PROFILES[name];
  if (!p) throw new RangeError(`unknown profile '${name}'; valid profiles: ${PROFILE_NAMES.join(', ')}`);
  return p;
}
