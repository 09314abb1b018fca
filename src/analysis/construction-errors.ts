/**
 * Figure 7: does organising batches by easiness affect training? For each batch construction,
 * training and test error per epoch as mean ± standard error over its runs (seeds).
 *
 * A diverged run is a result, not a gap: its divergence epoch is reported, and it contributes to
 * the means only for epochs before it (the `runs` column counts who contributes at each epoch).
 *
 * @example
 *   const { errors, divergences } = constructionErrors({ Rand: [r1, r2], NLO: [r3, r4] });
 */
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { mean, standardError } from './stats';

export interface ConstructionErrors {
  /** construction, epoch, split ('train' | 'test'), mean, se, runs (how many runs contribute). */
  errors: DataFrame;
  /** construction, run (key), seed, epoch (in which the loss became non-finite). */
  divergences: DataFrame;
}

/** The last epoch whose metrics a run contributes (before its divergence, if any). */
export function contributingUntil(run: OpenRun): number {
  return run.meta.divergence ? run.meta.divergence.epoch - 1 : Number.POSITIVE_INFINITY;
}

export function constructionErrors(runsByConstruction: Partial<Record<string, OpenRun[]>>): ConstructionErrors {
  const errors: Row[] = [];
  const divergences: Row[] = [];
  for (const [construction, runs = []] of Object.entries(runsByConstruction)) {
    for (const run of runs) {
      if (run.meta.status === 'diverged' && run.meta.divergence) {
        divergences.push({
          construction,
          run: run.meta.key,
          seed: run.meta.config.seed,
          epoch: run.meta.divergence.epoch,
        });
      }
    }
    const lastEpoch = Math.max(-1, ...runs.flatMap((r) => r.meta.metrics.map((m) => m.epoch)));
    for (let epoch = 0; epoch <= lastEpoch; epoch++) {
      const metrics = runs.flatMap((r) =>
        r.meta.metrics.filter((m) => m.epoch === epoch && epoch <= contributingUntil(r)),
      );
      if (metrics.length === 0) continue;
      for (const split of ['train', 'test'] as const) {
        const values = metrics.map((m) => (split === 'train' ? m.trainError : m.testError));
        errors.push({ construction, epoch, split, mean: mean(values), se: standardError(values), runs: values.length });
      }
    }
  }
  return {
    errors: frameFromRows(errors, ['construction', 'epoch', 'split', 'mean', 'se', 'runs']),
    divergences: frameFromRows(divergences, ['construction', 'run', 'seed', 'epoch']),
  };
}
