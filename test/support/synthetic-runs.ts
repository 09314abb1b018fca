/**
 * A whole profile's run records on synthetic data, in seconds: the seed runs (with their own-order
 * variants and 5-epoch snapshots), every batch construction × 2 runs, and β at the checkpoints,
 * trained by the real sweep code (trainProfileRuns) on blobs shaped like 4×4 grey images with 10
 * classes named as MNIST's. What the figure tests compute every figure from.
 *
 * @example
 *   const { runs, inputs } = await syntheticProfileRuns();
 *   fig02.compute(inputs);
 */
import { loadEngine } from '../../src/engine';
import type { DataPart } from '../../src/data/part';
import { getDatasetSpec } from '../../src/data/registry';
import type { Profile } from '../../src/experiments/profiles';
import { noisyLabelBenchmark } from '../../src/experiments/noisy-labels';
import { pruningBenchmark } from '../../src/experiments/pruning';
import { figureInputs } from '../../src/experiments/run-experiments';
import { measureStabilitySnapshots } from '../../src/experiments/stability-variants';
import { trainProfileRuns, type ProfileRuns } from '../../src/experiments/train-runs';
import type { FigureInputs } from '../../src/figures/inputs';
import type { RunData } from '../../src/run/run-data';
import { blobs } from './synthetic';
import { tempDir } from './tmp';

export const SYNTHETIC_PROFILE: Profile = {
  name: 'synthetic',
  description: 'tests: 400 / 100 synthetic samples, a 3×8 network, 6 epochs',
  datasets: ['mnist'],
  trainSize: 400,
  testSize: 100,
  epochs: 6,
  hidden: [8, 8, 8],
  batchSize: 20,
  seeds: [1, 2, 3],
  constructionRuns: 2,
  clusterK: { mnist: 4, cifar10: 4, 'fashion-mnist': 4 },
  stabilityVariants: true,
  benchmarks: true,
  pruning: {
    scores: ['tau', 'aum'],
    strategies: ['hard', 'stratified'],
    fractions: [0.5, 0.2],
    seeds: [2, 3],
    scoringSeed: 11,
  },
  noisyLabels: [0.1, 0.3],
};

function part(n: number, seed: number, origin: 'train' | 'test'): DataPart {
  return { ...blobs(n, 16, 10, seed), shape: [4, 4, 1], origin };
}

/** 400 / 100 samples of blobs shaped like 4×4 grey images, 10 classes named as MNIST's. */
export function syntheticRunData(): RunData {
  const classNames = getDatasetSpec('mnist').classNames;
  return { train: part(400, 1, 'train'), test: part(100, 2, 'test'), classes: 10, classNames };
}

let cached: Promise<{ runs: ProfileRuns; inputs: FigureInputs }> | undefined;

/** Trained once per test process (about a second), then shared. */
export function syntheticProfileRuns(): Promise<{ runs: ProfileRuns; inputs: FigureInputs }> {
  cached ??= (async () => {
    const engine = await loadEngine('auto');
    const data = syntheticRunData();
    const runs = await trainProfileRuns(SYNTHETIC_PROFILE, 'mnist', {
      engine,
      runsDir: tempDir('si-synthetic-'),
      data,
    });
    measureStabilitySnapshots(runs, engine);
    const benchmark = { engine, runsDir: tempDir('si-synthetic-benchmarks-'), data };
    const pruning = await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', benchmark);
    const noisyLabels = await noisyLabelBenchmark(SYNTHETIC_PROFILE, 'mnist', benchmark);
    return { runs, inputs: { ...figureInputs('mnist', runs, SYNTHETIC_PROFILE), pruning, noisyLabels } };
  })();
  return cached;
}
