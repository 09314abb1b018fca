/**
 * Figure 1: is sample importance stable across initialisations? Spearman correlation of α^t
 * between each pair of runs (different seeds, same data), at every `every`-th epoch and the last
 * epoch that all runs completed. α may come from the runs' own steps (the record) or from any
 * other measurement of it per epoch, such as β of all samples at checkpoints.
 *
 * @example
 *   const frame = seedStability([run1, run2, run3]);   // columns epoch, pair, spearman
 */
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { spearman } from './stats';

export interface SeedStabilityOptions {
  /** Epoch spacing (the paper computed importance every 5 epochs). */
  every: number;
}

export const SEED_STABILITY_DEFAULTS: Required<SeedStabilityOptions> = { every: 5 };

/** α_i per epoch of one run, whatever way it was measured. */
export interface AlphaSeries {
  readonly label: string;
  /** Indices into the official training split, one per position. */
  readonly trainIndices: Int32Array;
  /** Epochs (1-based) at which α is available. */
  readonly epochs: readonly number[];
  alpha(epoch: number): Float32Array;
}

/** α as recorded: each sample's β at the step where it was used, summed over layers. */
export function recordedAlphaSeries(run: OpenRun): AlphaSeries {
  return {
    label: `seed ${run.meta.config.seed}`,
    trainIndices: run.trainIndices,
    epochs: Array.from({ length: run.epochs }, (_, t) => t + 1),
    alpha: (epoch) => run.alpha(epoch - 1),
  };
}

/**
 * α summed over the `window` epochs up to each epoch (Infinity: over every epoch so far, i.e. τ up
 * to that epoch): the readings of "importance calculated every five epochs" as a block total.
 */
export function summedAlphaSeries(run: OpenRun, window: number): AlphaSeries {
  const recorded = recordedAlphaSeries(run);
  return {
    ...recorded,
    epochs: recorded.epochs.filter((e) => e >= (Number.isFinite(window) ? window : 1)),
    alpha: (epoch) => {
      const sum = new Float32Array(run.n);
      for (let e = Math.max(1, epoch - window + 1); e <= epoch; e++) {
        const a = run.alpha(e - 1);
        for (let i = 0; i < run.n; i++) sum[i]! += a[i]!;
      }
      return sum;
    },
  };
}

/** Epoch numbers every, 2·every, … up to `last`, and `last` itself. */
export function stabilityEpochs(last: number, every: number): number[] {
  const epochs: number[] = [];
  for (let e = every; e <= last; e += every) epochs.push(e);
  if (epochs[epochs.length - 1] !== last && last > 0) epochs.push(last);
  return epochs;
}

export function seedStability(runs: OpenRun[], opts: Partial<SeedStabilityOptions> = {}): DataFrame {
  return alphaStability(runs.map(recordedAlphaSeries), opts);
}

export function alphaStability(series: AlphaSeries[], opts: Partial<SeedStabilityOptions> = {}): DataFrame {
  const { every } = { ...SEED_STABILITY_DEFAULTS, ...opts };
  if (series.length < 2) throw new RangeError(`seed stability compares runs pairwise; got ${series.length} run(s)`);
  const first = series[0]!.trainIndices;
  const mismatch = series.find(
    (s) => s.trainIndices.length !== first.length || s.trainIndices.some((v, i) => v !== first[i]),
  );
  if (mismatch) {
    throw new RangeError(
      `${mismatch.label} trains on different samples than ${series[0]!.label}; α can only be compared sample by sample`,
    );
  }
  const last = Math.min(...series.map((s) => Math.max(0, ...s.epochs)));
  const rows: Row[] = [];
  for (const epoch of stabilityEpochs(last, every).filter((e) => series.every((s) => s.epochs.includes(e)))) {
    const alphas = series.map((s) => s.alpha(epoch));
    for (let a = 0; a < series.length; a++) {
      for (let b = a + 1; b < series.length; b++) {
        const pair = `${series[a]!.label} vs ${series[b]!.label}`;
        rows.push({ epoch, pair, spearman: spearman(alphas[a]!, alphas[b]!) });
      }
    }
  }
  return frameFromRows(rows, ['epoch', 'pair', 'spearman']);
}
