/**
 * Figure 2: which classes, at which stage, shape which layer? Total importance A^t per epoch, its
 * decomposition B_d^t by layer, per parameter of each layer, and by class.
 *
 * @example
 *   const frames = computeFig02(inputs);
 *   await renderSvg(fig02Spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import { importanceDecomposition } from '../analysis/decomposition';
import type { Frames } from '../analysis/figure-data';
import { firstSeedRun, fmt, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, layerColour, specOptions, type FigureSpecOptions } from './theme';

export function computeFig02(inputs: FigureInputs): Frames {
  return { ...importanceDecomposition(firstSeedRun(inputs), inputs.trainLabels, inputs.classNames) };
}

const EPOCH = { field: 'epoch', type: 'quantitative' as const, title: 'epoch' };

export function fig02Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const panel = { width: opts.width, height: opts.height };
  return {
    ...baseSpec('Figure 2: decomposition of sample importance by epoch, layer and class', opts),
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    hconcat: [
      {
        ...panel,
        title: 'by layer (stacked; top edge is A^t)',
        data: { values: rowsOf(frames, 'layers') },
        mark: 'area',
        encoding: {
          x: EPOCH,
          y: { field: 'importance', type: 'quantitative', title: 'B_d^t (squared param. change)', stack: 'zero' },
          color: layerColour(),
          order: { field: 'layer' },
        },
      },
      {
        ...panel,
        title: 'per parameter of each layer',
        data: { values: rowsOf(frames, 'layers') },
        mark: 'line',
        encoding: {
          x: EPOCH,
          y: { field: 'perParameter', type: 'quantitative', title: 'B_d^t / parameters (log scale)', scale: { type: 'log' } },
          color: layerColour(),
        },
      },
      {
        ...panel,
        title: 'by class',
        data: { values: rowsOf(frames, 'classes') },
        mark: 'line',
        encoding: {
          x: EPOCH,
          y: { field: 'importance', type: 'quantitative', title: 'class Σ α (squared param. change)' },
          color: { field: 'class', type: 'nominal', title: 'class', scale: { scheme: 'tableau10' } },
        },
      },
    ],
  };
}

export function summarizeFig02(frames: Frames): string {
  const total = rowsOf(frames, 'total');
  const layers = rowsOf(frames, 'layers');
  const classes = rowsOf(frames, 'classes');
  const peak = total.reduce((a, b) => (num(b, 'importance') > num(a, 'importance') ? b : a));
  const epochs = total.map((r) => num(r, 'epoch'));
  const topPerParam = epochs.map((e) => layers.filter((r) => num(r, 'epoch') === e).reduce((a, b) => (num(b, 'perParameter') > num(a, 'perParameter') ? b : a)).layer);
  const outTop = topPerParam.filter((l) => l === 'Out').length;
  const outRows = layers.filter((r) => r.layer === 'Out');
  const outPeak = outRows.reduce((a, b) => (num(b, 'importance') > num(a, 'importance') ? b : a), outRows[0]);
  const layerTotal = (name: string): number => layers.filter((r) => r.layer === name).reduce((s, r) => s + num(r, 'importance'), 0);
  const all = layers.reduce((s, r) => s + num(r, 'importance'), 0);
  const byClass = new Map<string, number>();
  for (const r of classes) byClass.set(String(r.class), (byClass.get(String(r.class)) ?? 0) + num(r, 'importance'));
  const sortedClasses = [...byClass.entries()].sort((a, b) => b[1] - a[1]);
  const [most, least] = [sortedClasses[0], sortedClasses[sortedClasses.length - 1]];
  return (
    `**Figure 2.** A^t peaks at epoch ${num(peak, 'epoch')} (${fmt(num(peak, 'importance'))}) and varies over training although the learning rate is fixed. ` +
    `The output layer has the largest importance per parameter in ${outTop} of ${epochs.length} epochs (paper: always)` +
    (outPeak ? `; its total peaks at epoch ${num(outPeak, 'epoch')} (paper: early, then drops)` : '') +
    `. Shares of all importance: ${['L1', 'L2', 'L3', 'Out'].map((l) => `${l} ${pct(layerTotal(l) / all)}`).join(', ')} ` +
    `(paper: L2 more than L3${layerTotal('L2') > layerTotal('L3') ? ', as here' : '; not so here'}). ` +
    `Classes differ: class ${most[0]} carries ${fmt(most[1] / least[1])}× the importance of class ${least[0]} (paper: classes contribute unequally).`
  );
}
