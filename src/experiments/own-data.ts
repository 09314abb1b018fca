/**
 * A profile's protocol on a user's own .npz file (`npz:PATH`, data/npz.ts): the profile with its
 * sample counts cut to what the file holds, and the file's samples, whose content hash then goes
 * into every run's config (as `si train --dataset npz:PATH` does), so a changed file trains new runs.
 *
 * @example
 *   const { profile, data } = ownDataProfile(getProfile('quick'), 'npz:/data/mine.npz');
 *   await pruningBenchmark(profile, 'npz:/data/mine.npz', { engine, runsDir, data });
 */
import { loadNpzDataset, NPZ_PREFIX } from '../data/npz';
import { loadRunData, type RunData } from '../run/run-data';
import { seedRunConfig } from './plan';
import type { Profile } from './profiles';

export function ownDataProfile(profile: Profile, dataset: `npz:${string}`): { profile: Profile; data: RunData } {
  const file = loadNpzDataset(dataset.slice(NPZ_PREFIX.length));
  const sized: Profile = {
    ...profile,
    trainSize: Math.min(profile.trainSize, file.train.n),
    testSize: Math.min(profile.testSize, file.test.n),
  };
  return { profile: sized, data: loadRunData(seedRunConfig(sized, dataset, sized.seeds[0]), undefined, file) };
}
