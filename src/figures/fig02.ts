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
import type { Frames, Row } from '../analysis/figure-data';
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

export interface Fig02Measures {
  epochs: number;
  /** Epoch where A^t, the total over samples and layers, peaks. */
  totalPeakEpoch: number;
  totalPeak: number;
  /** Epochs in which the output layer has the largest importance per parameter. */
  outTopEpochs: number;
  /** Where the output layer's total B_Out^t peaks, and its last epoch's value over the peak. */
  outPeakEpoch: number;
  outLastOverPeak: number;
  /** The output layer's share of A^t: where it peaks, its peak, and its last epoch's value. */
  outSharePeakEpoch: number;
  outSharePeak: number;
  outShareLast: number;
  /** Each layer's share of all importance. */
  shares: Record<string, number>;
  /** The classes carrying the most and least importance, and their ratio. */
  mostClass: string;
  leastClass: string;
  classRatio: number;
}

/** The numbers Figure 2's summary and the claims table quote. */
export function measureFig02(frames: Frames): Fig02Measures {
  const total = rowsOf(frames, 'total');
  const layers = rowsOf(frames, 'layers');
  const classes = rowsOf(frames, 'classes');
  const largest = (list: Row[], field: string) => list.reduce((a, b) => (num(b, field) > num(a, field) ? b : a));
  const peak = largest(total, 'importance');
  const epochs = total.map((r) => num(r, 'epoch'));
  const topPerParam = epochs.map((e) => largest(layers.filter((r) => num(r, 'epoch') === e), 'perParameter').layer);
  const outRows = layers.filter((r) => r.layer === 'Out');
  const outPeak = largest(outRows, 'importance');
  const outLast = outRows.reduce((a, b) => (num(b, 'epoch') > num(a, 'epoch') ? b : a));
  const totalAt = new Map(total.map((r) => [num(r, 'epoch'), num(r, 'importance')]));
  const outShares = outRows.map((r) => ({ epoch: num(r, 'epoch'), share: num(r, 'importance') / (totalAt.get(num(r, 'epoch')) ?? NaN) }));
  const sharePeak = outShares.reduce((a, b) => (b.share > a.share ? b : a));
  const layerTotal = (name: string): number => layers.filter((r) => r.layer === name).reduce((s, r) => s + num(r, 'importance'), 0);
  const all = layers.reduce((s, r) => s + num(r, 'importance'), 0);
  const byClass = new Map<string, number>();
  for (const r of classes) byClass.set(String(r.class), (byClass.get(String(r.class)) ?? 0) + num(r, 'importance'));
  const sortedClasses = [...byClass.entries()].sort((a, b) => b[1] - a[1]);
  const [most, least] = [sortedClasses[0], sortedClasses[sortedClasses.length - 1]];
  return {
    epochs: epochs.length,
    totalPeakEpoch: num(peak, 'epoch'),
    totalPeak: num(peak, 'importance'),
    outTopEpochs: topPerParam.filter((l) => l === 'Out').length,
    outPeakEpoch: num(outPeak, 'epoch'),
    outLastOverPeak: num(outLast, 'importance') / num(outPeak, 'importance'),
    outSharePeakEpoch: sharePeak.epoch,
    outSharePeak: sharePeak.share,
    outShareLast: outShares[outShares.length - 1].share,
    shares: Object.fromEntries([...new Set(layers.map((r) => String(r.layer)))].map((l) => [l, layerTotal(l) / all])),
    mostClass: most[0],
    leastClass: least[0],
    classRatio: most[1] / least[1],
  };
}

export function summarizeFig02(frames: Frames): string {
  const m = measureFig02(frames);
  return (
    `**Figure 2.** A^t peaks at epoch ${m.totalPeakEpoch} (${fmt(m.totalPeak)}) and varies over training although the learning rate is fixed. ` +
    `The output layer has the largest importance per parameter in ${m.outTopEpochs} of ${m.epochs} epochs (paper: always)` +
    `; its total peaks at epoch ${m.outPeakEpoch} and ends at ${pct(m.outLastOverPeak)} of that peak, and its share of A^t peaks at epoch ${m.outSharePeakEpoch} (${pct(m.outSharePeak)}) and ends at ${pct(m.outShareLast)} (paper: early, then drops)` +
    `. Shares of all importance: ${Object.entries(m.shares).map(([l, v]) => `${l} ${pct(v)}`).join(', ')} ` +
    `(paper: L2 more than L3${m.shares.L2 > m.shares.L3 ? ', as here' : '; not so here'}). ` +
    `Classes differ: class ${m.mostClass} carries ${fmt(m.classRatio)}× the importance of class ${m.leastClass} (paper: classes contribute unequally).`
  );
}
