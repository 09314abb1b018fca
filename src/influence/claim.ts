/**
 * §4's claim in the claims table: eq. 5 gives a sample's exact influence on the final model at a
 * fix point. Judged on the validations `si influence` wrote (docs/INFLUENCE.md): each removal's
 * predicted change of the target loss against the change found by retraining without the sample.
 *
 * @example
 *   const result = evaluateInfluenceClaim(readInfluenceResults(figureDataDir('influence'), 'mnist'));
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClaimResult } from '../figures/figure';
import type { ValidationResult } from './validate';

export const INFLUENCE_CLAIM = {
  id: 'influence-eq5',
  text: "Eq. 5 gives a sample's influence on the final model (§4)",
  where: '§4, [docs/INFLUENCE.md](docs/INFLUENCE.md)',
  rule:
    'predicted change of a test loss on removing a sample vs retraining without it — holds: Pearson ≥ 0.95 for ' +
    'every model; partly: ≥ 0.95 for the models at a fix point (‖∇J‖ converged) and ≥ 0.8 for the others',
} as const;

/** The validations of `dataset` in `dir` (files influence-<dataset>-*.json). */
export function readInfluenceResults(dir: string, dataset: string): (ValidationResult & { file: string })[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`influence-${dataset}-`) && f.endsWith('.json'))
    .sort()
    .map((f) => ({ ...(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ValidationResult), file: f }));
}

const MODEL_NAMES = { logreg: 'logistic regression', mlp: 'ReLU MLP' } as const;

export function evaluateInfluenceClaim(results: readonly ValidationResult[]): ClaimResult | null {
  if (results.length === 0) return null;
  const atFixPoint = results.filter((r) => r.optimum.converged);
  const others = results.filter((r) => !r.optimum.converged);
  const verdict = results.every((r) => r.correlation.pearson >= 0.95)
    ? 'holds'
    : atFixPoint.length > 0 &&
        atFixPoint.every((r) => r.correlation.pearson >= 0.95) &&
        others.every((r) => r.correlation.pearson >= 0.8)
      ? 'partly holds'
      : 'does not hold';
  return {
    verdict,
    measured: results
      .map(
        (r) =>
          `${MODEL_NAMES[r.model.kind]} (n ${r.n}, ${r.optimum.converged ? 'at' : 'not at'} a fix point): ` +
          `Pearson ${r.correlation.pearson.toFixed(3)}, Spearman ${r.correlation.spearman.toFixed(3)} ` +
          `over ${r.correlation.samples} removals`,
      )
      .join('; '),
  };
}
