/**
 * Figure 1: is sample importance stable across initialisations? Spearman correlation of α^t
 * between each pair of runs (different seeds, same data), at every `every`-th epoch and the last
 * epoch that all runs completed.
 *
 * @example
 *   const frame = seedStability([run1, run2, run3]);   // columns epoch, pair, spearman
 */
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './figure-data';
import { epochNumber } from './run-arrays';
import { spearman } from './stats';

export interface SeedStabilityOptions {
  /** Epoch spacing (the paper computed importance every 5 epochs). */
  every: number;
}

export const SEED_STABILITY_DEFAULTS: Required<SeedStabilityOptions> = { every: 5 };

/** Epoch numbers every, 2·every, … up to `last`, and `last` itself. */
export function stabilityEpochs(last: number, every: number): number[] {
  const epochs: number[] = [];
  for (let e = every; e <= last; e += every) epochs.push(e);
  if (epochs[epochs.length - 1] !== last && last > 0) epochs.push(last);
  return epochs;
}

function seedLabel(run: OpenRun): string {
  return `seed ${run.meta.config.seed}`;
}

export function seedStability(runs: OpenRun[], opts: Partial<SeedStabilityOptions> = {}): DataFrame {
  const { every } = { ...SEED_STABILITY_DEFAULTS, ...opts };
  if (runs.length < 2) throw new RangeError(`seed stability compares runs pairwise; got ${runs.length} run(s)`);
  const n = runs[0].n;
  const mismatch = runs.find((r) => r.n !== n || r.trainIndices.some((v, i) => v !== runs[0].trainIndices[i]));
  if (mismatch) throw new RangeError(`${mismatch.meta.key} trains on different samples than ${runs[0].meta.key}; α can only be compared sample by sample`);
  const last = Math.min(...runs.map((r) => r.epochs));
  const rows: Row[] = [];
  for (const epoch of stabilityEpochs(last, every)) {
    const alphas = runs.map((r) => r.alpha(epoch - 1));
    for (let a = 0; a < runs.length; a++) {
      for (let b = a + 1; b < runs.length; b++) {
        rows.push({ epoch: epochNumber(epoch - 1), pair: `${seedLabel(runs[a])} vs ${seedLabel(runs[b])}`, spearman: spearman(alphas[a], alphas[b]) });
      }
    }
  }
  return frameFromRows(rows, ['epoch', 'pair', 'spearman']);
}
