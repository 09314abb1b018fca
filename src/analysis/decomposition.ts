/**
 * Figure 2: where and when importance goes. Per epoch: A^t = Σ_i α_i^t; per layer
 * B_d^t = Σ_i β_{i,d}^t and B_d^t / params_d (per parameter); per class Σ_{i in c} α_i^t.
 *
 * @example
 *   const { total, layers, classes } = importanceDecomposition(run, labels, ['0', '1', …]);
 */
import type { OpenRun } from '../run/open-run';
import { frameFromRows, type DataFrame, type Row } from './frames';
import { epochNumber, runLayerNames } from './run-arrays';

export interface Decomposition {
  /** epoch, importance (A^t). */
  total: DataFrame;
  /** epoch, layer, importance (B_d^t), perParameter (B_d^t / params_d), params. */
  layers: DataFrame;
  /** epoch, class, importance (Σ over the class's samples of α^t). */
  classes: DataFrame;
}

export function importanceDecomposition(
  run: OpenRun,
  labels: Int32Array,
  classNames: readonly string[],
): Decomposition {
  const { n, layers: D, importance } = run;
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} samples`);
  const names = runLayerNames(run);
  const total: Row[] = [];
  const layers: Row[] = [];
  const classes: Row[] = [];
  for (let t = 0; t < run.epochs; t++) {
    const byLayer = new Float64Array(D);
    const byClass = new Float64Array(classNames.length);
    for (let i = 0; i < n; i++) {
      const base = (t * n + i) * D;
      for (let d = 0; d < D; d++) {
        byLayer[d]! += importance[base + d]!;
        byClass[labels[i]!]! += importance[base + d]!;
      }
    }
    const epoch = epochNumber(t);
    total.push({ epoch, importance: byLayer.reduce((a, b) => a + b, 0) });
    names.forEach((layer, d) => {
      const params = run.meta.layers[d]!.params;
      layers.push({ epoch, layer, importance: byLayer[d]!, perParameter: byLayer[d]! / params, params });
    });
    classNames.forEach((name, c) => {
      classes.push({ epoch, class: name, importance: byClass[c]! });
    });
  }
  return {
    total: frameFromRows(total, ['epoch', 'importance']),
    layers: frameFromRows(layers, ['epoch', 'layer', 'importance', 'perParameter', 'params']),
    classes: frameFromRows(classes, ['epoch', 'class', 'importance']),
  };
}
