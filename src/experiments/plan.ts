/**
 * The runs an experiment profile needs on one dataset: the initialisation seeds (Figure 1 and,
 * through seed 1, Figures 2–6, 9, 10), then every batch construction × its runs (Figures 7, 8),
 * whose orders come from seed 1's final NLL and τ.
 *
 * @example
 *   const cfg = seedRunConfig(getProfile('quick'), 'mnist', 1);
 */
import { canonicalJson, resolveRunConfig, hashOrder, runDir, type RunConfig, type RunDataset } from '../run/config';
import { readRunMeta, type RunStatus } from '../run/record';
import { isNpzDataset } from '../data/npz';
import type { DatasetName } from '../data/registry';
import type { Profile } from './profiles';

/** Epoch spacing of the stability measurements (the paper's "every five epochs"). */
export const STABILITY_EVERY = 5;

function base(
  profile: Profile,
  dataset: RunDataset,
): Omit<RunConfig, 'seed' | 'orderSeed' | 'order' | 'snapshotEvery'> {
  const cfg = resolveRunConfig({
    dataset,
    trainSize: profile.trainSize,
    testSize: profile.testSize,
    epochs: profile.epochs,
    hidden: [...profile.hidden],
    model: profile.model,
    batchSize: profile.batchSize,
  });
  return withoutRunChoices(cfg);
}

/** A config less what varies between a profile's runs of one dataset. */
function withoutRunChoices(cfg: RunConfig): Omit<RunConfig, 'seed' | 'orderSeed' | 'order' | 'snapshotEvery'> {
  const { seed: _s, orderSeed: _os, order: _o, snapshotEvery: _e, ...rest } = cfg;
  return rest;
}

/**
 * A stability run: fresh shuffles from `orderSeed` (1 unless asked: the paper does not say whether
 * its seeds changed the data order too), snapshots every 5 epochs, where the paper measured.
 */
export function seedRunConfig(profile: Profile, dataset: RunDataset, seed: number, orderSeed = 1): RunConfig {
  return resolveRunConfig({
    ...base(profile, dataset),
    seed,
    orderSeed,
    order: { kind: 'shuffle' },
    snapshotEvery: STABILITY_EVERY,
  });
}

/** The status on disk of the profile's seed run (seed 1 unless asked); undefined when not trained. */
export function seedRunStatus(
  profile: Profile,
  dataset: DatasetName,
  runsDir: string,
  seed = profile.seeds[0],
): RunStatus | undefined {
  return readRunMeta(runDir(runsDir, seedRunConfig(profile, dataset, seed)))?.status;
}

/**
 * A batch-construction run: the construction's fixed order every epoch, initialisation seed `run`.
 * The first run of each construction keeps every epoch's parameters for the PCA paths (Figure 8).
 */
export function constructionRunConfig(
  profile: Profile,
  dataset: DatasetName,
  construction: string,
  order: Int32Array,
  run: number,
): RunConfig {
  return resolveRunConfig({
    ...base(profile, dataset),
    seed: run,
    order: { kind: 'fixed', name: construction, hash: hashOrder(order) },
    snapshotEvery: run === 1 ? 1 : 0,
  });
}

/**
 * Whether a run belongs to the profile: the same data sizes, network, step and epochs, whatever its
 * seeds and order.
 */
export function isProfileRun(profile: Profile, cfg: RunConfig): boolean {
  if (isNpzDataset(cfg.dataset)) return false;
  return canonicalJson(withoutRunChoices(cfg)) === canonicalJson(base(profile, cfg.dataset));
}
