/**
 * Figure 1 under the readings of the paper's stability protocol that its text leaves open, beside
 * the default (each sample's β at its own step, §2; seeds sharing order seed 1): α measured on
 * every sample at the 5-epoch checkpoints, or summed over each 5-epoch block or over all epochs so
 * far (three readings of "calculated the sample importance every five epochs"), with the seeds
 * sharing one data order, each shuffling with its own, or all visiting one fixed order every epoch.
 *
 * Reads only: the checkpoint readings' β is measured and cached by the runner first
 * (measureStabilitySnapshots).
 *
 * @example
 *   measureStabilitySnapshots(runs, engine);
 *   inputs.stabilityVariants = stabilityVariants(runs);
 */
import { recordedAlphaSeries, summedAlphaSeries, type AlphaSeries } from '../analysis/seed-stability';
import type { Engine } from '../engine/types';
import type { StabilityVariant } from '../figures/inputs';
import { sumLayers, type OpenRun } from '../run/open-run';
import { STABILITY_EVERY } from './plan';
import { checkpointEpochs, measureSnapshotImportance } from './snapshot-importance';
import type { ProfileRuns } from './train-runs';

export const STABILITY_VARIANT_NAMES = {
  checkpointShared: 'at checkpoints, shared order',
  blockShared: '5-epoch sums, shared order',
  cumulativeShared: 'sums to date, shared order',
  ownStepOwn: 'own step, own order per seed',
  checkpointOwn: 'at checkpoints, own order per seed',
  ownStepFixed: 'own step, one fixed order (Rand runs)',
} as const;

/** The seed runs whose snapshots the checkpoint readings compare. */
function checkpointRuns(runs: ProfileRuns): OpenRun[] {
  const own = runs.ownOrderSeedRuns ?? [];
  return [...runs.seedRuns, ...(own.length >= 2 ? own.slice(1) : [])];
}

/** Measures (or finds cached) β at every checkpoint of the runs the variants compare; returns how many it measured. */
export function measureStabilitySnapshots(runs: ProfileRuns, engine: Engine): number {
  return checkpointRuns(runs).reduce(
    (sum, run) => sum + measureSnapshotImportance(run, engine, runs.data, STABILITY_EVERY),
    0,
  );
}

/** α of every sample at each checkpoint, from the β cached in the run record. */
function checkpointAlphaSeries(run: OpenRun): AlphaSeries {
  return {
    label: `seed ${run.meta.config.seed}`,
    trainIndices: run.trainIndices,
    epochs: checkpointEpochs(run, STABILITY_EVERY),
    alpha: (epoch) => sumLayers(run.snapshotImportance(epoch), run.n, run.layers),
  };
}

export function stabilityVariants(runs: ProfileRuns): StabilityVariant[] {
  const atCheckpoints = (list: OpenRun[]) => list.map(checkpointAlphaSeries);
  const variants: StabilityVariant[] = [
    { name: STABILITY_VARIANT_NAMES.checkpointShared, series: atCheckpoints(runs.seedRuns) },
    {
      name: STABILITY_VARIANT_NAMES.blockShared,
      series: runs.seedRuns.map((r) => summedAlphaSeries(r, STABILITY_EVERY)),
    },
    {
      name: STABILITY_VARIANT_NAMES.cumulativeShared,
      series: runs.seedRuns.map((r) => summedAlphaSeries(r, Infinity)),
    },
  ];
  const own = runs.ownOrderSeedRuns;
  if (own && own.length >= 2) {
    variants.push({ name: STABILITY_VARIANT_NAMES.ownStepOwn, series: own.map(recordedAlphaSeries) });
    variants.push({ name: STABILITY_VARIANT_NAMES.checkpointOwn, series: atCheckpoints(own) });
  }
  // The Rand construction's runs visit one fixed random order every epoch, as the Theano tutorials'
  // minibatch loop does: a third answer to "did the order change with the seed?".
  const fixed = runs.constructionRuns.Rand.slice(0, runs.seedRuns.length);
  if (fixed.length >= 2)
    variants.push({ name: STABILITY_VARIANT_NAMES.ownStepFixed, series: fixed.map(recordedAlphaSeries) });
  return variants;
}
