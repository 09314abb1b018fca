/**
 * Figure 1 under the readings of the paper's stability protocol that its text leaves open, beside
 * the default (each sample's β at its own step, §2; seeds sharing order seed 1): α measured on
 * every sample at the 5-epoch checkpoints, or summed over each 5-epoch block or over all epochs so
 * far (three readings of "calculated the sample importance every five epochs"), with the seeds
 * sharing one data order, each shuffling with its own, or all visiting one fixed order every epoch.
 *
 * @example
 *   inputs.stabilityVariants = stabilityVariants(runs, engine);
 */
import { recordedAlphaSeries, summedAlphaSeries } from '../analysis/seed-stability';
import type { Engine } from '../engine/types';
import type { StabilityVariant } from '../figures/inputs';
import type { OpenRun } from '../run/open-run';
import { STABILITY_EVERY } from './plan';
import { snapshotAlphaSeries } from './snapshot-alphas';
import type { ProfileRuns } from './train-runs';

export const STABILITY_VARIANT_NAMES = {
  checkpointShared: 'at checkpoints, shared order',
  blockShared: '5-epoch sums, shared order',
  cumulativeShared: 'sums to date, shared order',
  ownStepOwn: 'own step, own order per seed',
  checkpointOwn: 'at checkpoints, own order per seed',
  ownStepFixed: 'own step, one fixed order (Rand runs)',
} as const;

export function stabilityVariants(runs: ProfileRuns, engine: Engine): StabilityVariant[] {
  const atCheckpoints = (list: OpenRun[]) => list.map((r) => snapshotAlphaSeries(r, engine, runs.data, STABILITY_EVERY));
  const variants: StabilityVariant[] = [
    { name: STABILITY_VARIANT_NAMES.checkpointShared, series: atCheckpoints(runs.seedRuns) },
    { name: STABILITY_VARIANT_NAMES.blockShared, series: runs.seedRuns.map((r) => summedAlphaSeries(r, STABILITY_EVERY)) },
    { name: STABILITY_VARIANT_NAMES.cumulativeShared, series: runs.seedRuns.map((r) => summedAlphaSeries(r, Infinity)) },
  ];
  const own = runs.ownOrderSeedRuns;
  if (own && own.length >= 2) {
    variants.push({ name: STABILITY_VARIANT_NAMES.ownStepOwn, series: own.map(recordedAlphaSeries) });
    variants.push({ name: STABILITY_VARIANT_NAMES.checkpointOwn, series: atCheckpoints(own) });
  }
  // The Rand construction's runs visit one fixed random order every epoch, as the Theano tutorials'
  // minibatch loop does: a third answer to "did the order change with the seed?".
  const fixed = runs.constructionRuns.Rand.slice(0, runs.seedRuns.length);
  if (fixed.length >= 2) variants.push({ name: STABILITY_VARIANT_NAMES.ownStepFixed, series: fixed.map(recordedAlphaSeries) });
  return variants;
}
