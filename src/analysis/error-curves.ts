/**
 * Figure 9 (appendix): the chosen run's training and test error per epoch (epoch 0 is the initial
 * model) and its class-specific average NLL per epoch, NLL_i^t averaged over the class's samples.
 *
 * @example
 *   const { errors, classNll } = errorCurves(run, labels, classNames);
 */
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { epochNumber } from './run-arrays';

export interface ErrorCurves {
  /** epoch, split ('train' | 'test'), error (fraction misclassified). */
  errors: DataFrame;
  /** epoch, class, nll. */
  classNll: DataFrame;
}

export function errorCurves(run: OpenRun, labels: Int32Array, classNames: readonly string[]): ErrorCurves {
  const errors: Row[] = run.meta.metrics.flatMap((m) => [
    { epoch: m.epoch, split: 'train', error: m.trainError },
    { epoch: m.epoch, split: 'test', error: m.testError },
  ]);
  const counts = new Float64Array(classNames.length);
  for (const c of labels) counts[c]!++;
  const classNll: Row[] = [];
  for (let t = 0; t < run.epochs; t++) {
    const sums = new Float64Array(classNames.length);
    for (let i = 0; i < run.n; i++) sums[labels[i]!]! += run.nll[t * run.n + i]!;
    classNames.forEach((name, c) => {
      classNll.push({ epoch: epochNumber(t), class: name, nll: sums[c]! / counts[c]! });
    });
  }
  return {
    errors: frameFromRows(errors, ['epoch', 'split', 'error']),
    classNll: frameFromRows(classNll, ['epoch', 'class', 'nll']),
  };
}
