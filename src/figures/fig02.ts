/**
 * Figure 2: which classes, at which stage, shape which layer? Total importance A^t per epoch, its
 * decomposition B_d^t by layer, per parameter of each layer, and by class.
 *
 * @example
 *   const frames = fig02.compute(inputs);
 *   await renderSvg(fig02.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import { importanceDecomposition } from '../analysis/decomposition';
import type { Frames, Row } from '../analysis/frames';
import { defineFigure, NO_SETTINGS, verdictOf } from './figure';
import {
  firstSeedRun,
  fmt,
  item,
  layerRoles,
  layersIn,
  lowerLayersVerdict,
  num,
  pct,
  rowsOf,
  share,
  sharesText,
  type FigureInputs,
} from './inputs';
import { baseSpec, layerColour, specOptions, type FigureSpecOptions } from './theme';

function computeFig02(inputs: FigureInputs): Frames {
  return { ...importanceDecomposition(firstSeedRun(inputs), inputs.trainLabels, inputs.classNames) };
}

const EPOCH = { field: 'epoch', type: 'quantitative' as const, title: 'epoch' };

function fig02Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const panel = { width: opts.width, height: opts.height };
  const names = layersIn(rowsOf(frames, 'layers'));
  const byLayer = {
    ...panel,
    title: 'by layer (stacked; top edge is A^t)',
    data: { values: rowsOf(frames, 'layers') },
    mark: 'area' as const,
    encoding: {
      x: EPOCH,
      y: {
        field: 'importance',
        type: 'quantitative' as const,
        title: 'B_d^t (squared param. change)',
        stack: 'zero' as const,
      },
      color: layerColour('layer', names),
      order: { field: 'layer' },
    },
  };
  const perParameter = {
    ...panel,
    title: 'per parameter of each layer',
    data: { values: rowsOf(frames, 'layers') },
    mark: 'line' as const,
    encoding: {
      x: EPOCH,
      y: {
        field: 'perParameter',
        type: 'quantitative' as const,
        title: 'B_d^t / parameters (log scale)',
        scale: { type: 'log' as const },
      },
      color: layerColour('layer', names),
    },
  };
  const byClass = {
    ...panel,
    title: 'by class',
    data: { values: rowsOf(frames, 'classes') },
    mark: 'line' as const,
    encoding: {
      x: EPOCH,
      y: { field: 'importance', type: 'quantitative' as const, title: 'class Σ α (squared param. change)' },
      color: { field: 'class', type: 'nominal' as const, title: 'class', scale: { scheme: 'tableau10' } },
    },
  };
  // Three panels in a row overflow the report column: the two layer panels share a row and their
  // legend, and the classes, with a legend of their own, go below.
  return {
    ...baseSpec('Figure 2: decomposition of sample importance by epoch, layer and class', opts),
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    vconcat: [{ hconcat: [byLayer, perParameter], resolve: { scale: { color: 'shared' } } }, byClass],
  };
}

export interface Fig02Measures {
  epochs: number;
  /** Which layers play the paper's L1, L2, L3 and Out (a CNN's conv1, conv2, fc1, out). */
  roles: ReturnType<typeof layerRoles>;
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
  /** Epochs in which L3 carries more importance than L2 (the aggregate may still favour L2). */
  l3OverL2Epochs: number[];
  /** Each layer's share of its own importance that falls after the first third of training. */
  afterFirstThird: Record<string, number>;
  /** The classes carrying the most and least importance, and their ratio. */
  mostClass: string;
  leastClass: string;
  classRatio: number;
}

/** Epochs as ranges: [3, 4, 5, 9] → '3–5, 9'. */
export function epochRanges(epochs: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < epochs.length; ) {
    let j = k;
    while (j + 1 < epochs.length && epochs[j + 1] === epochs[j]! + 1) j++;
    parts.push(j > k ? `${epochs[k]}–${epochs[j]}` : String(epochs[k]));
    k = j + 1;
  }
  return parts.join(', ');
}

/** The numbers Figure 2's summary and the claims table quote. */
function measureFig02(frames: Frames): Fig02Measures {
  const total = rowsOf(frames, 'total');
  const layers = rowsOf(frames, 'layers');
  const classes = rowsOf(frames, 'classes');
  const largest = (list: Row[], field: string) => list.reduce((a, b) => (num(b, field) > num(a, field) ? b : a));
  const peak = largest(total, 'importance');
  const epochs = total.map((r) => num(r, 'epoch'));
  const topPerParam = epochs.map(
    (e) =>
      largest(
        layers.filter((r) => num(r, 'epoch') === e),
        'perParameter',
      ).layer,
  );
  const roles = layerRoles(layersIn(layers));
  const outRows = layers.filter((r) => r.layer === roles.output);
  const outPeak = largest(outRows, 'importance');
  const outLast = outRows.reduce((a, b) => (num(b, 'epoch') > num(a, 'epoch') ? b : a));
  const totalAt = new Map(total.map((r) => [num(r, 'epoch'), num(r, 'importance')]));
  const outShares = outRows.map((r) => ({
    epoch: num(r, 'epoch'),
    share: num(r, 'importance') / (totalAt.get(num(r, 'epoch')) ?? NaN),
  }));
  const sharePeak = outShares.reduce((a, b) => (b.share > a.share ? b : a));
  const layerTotal = (name: string): number =>
    layers.filter((r) => r.layer === name).reduce((s, r) => s + num(r, 'importance'), 0);
  const all = layers.reduce((s, r) => s + num(r, 'importance'), 0);
  const layerAt = (name: string, e: number) =>
    num(layers.find((r) => r.layer === name && num(r, 'epoch') === e) ?? {}, 'importance');
  const names = [...new Set(layers.map((r) => String(r.layer)))];
  const late = (name: string) =>
    layers
      .filter((r) => r.layer === name && num(r, 'epoch') > epochs.length / 3)
      .reduce((s, r) => s + num(r, 'importance'), 0) / layerTotal(name);
  const byClass = new Map<string, number>();
  for (const r of classes) byClass.set(String(r.class), (byClass.get(String(r.class)) ?? 0) + num(r, 'importance'));
  const sortedClasses = [...byClass.entries()].sort((a, b) => b[1] - a[1]);
  const [most, least] = [item(sortedClasses, 0, 'class'), item(sortedClasses, -1, 'class')];
  return {
    epochs: epochs.length,
    totalPeakEpoch: num(peak, 'epoch'),
    totalPeak: num(peak, 'importance'),
    outTopEpochs: topPerParam.filter((l) => l === roles.output).length,
    outPeakEpoch: num(outPeak, 'epoch'),
    outLastOverPeak: num(outLast, 'importance') / num(outPeak, 'importance'),
    outSharePeakEpoch: sharePeak.epoch,
    outSharePeak: sharePeak.share,
    outShareLast: item(outShares, -1, 'output-layer share').share,
    shares: Object.fromEntries(names.map((l) => [l, layerTotal(l) / all])),
    roles,
    l3OverL2Epochs: epochs.filter((e) => layerAt(roles.third, e) > layerAt(roles.second, e)),
    afterFirstThird: Object.fromEntries(names.map((l) => [l, late(l)])),
    mostClass: most[0],
    leastClass: least[0],
    classRatio: most[1] / least[1],
  };
}

function summarizeFig02(frames: Frames): string {
  const m = measureFig02(frames);
  const secondOverThird = share(m.shares, m.roles.second) > share(m.shares, m.roles.third);
  return (
    `**Figure 2.** A^t peaks at epoch ${m.totalPeakEpoch} (${fmt(m.totalPeak)}) ` +
    `and varies over training although the learning rate is fixed. ` +
    `The output layer has the largest importance per parameter in ${m.outTopEpochs} of ${m.epochs} epochs ` +
    `(paper: always); its total peaks at epoch ${m.outPeakEpoch} ` +
    `and ends at ${pct(m.outLastOverPeak)} of that peak, ` +
    `and its share of A^t peaks at epoch ${m.outSharePeakEpoch} (${pct(m.outSharePeak)}) ` +
    `and ends at ${pct(m.outShareLast)} (paper: early, then drops)` +
    `. Shares of all importance: ${sharesText(m.shares)} ` +
    `(paper: L2 more than L3${secondOverThird ? ', as here' : '; not so here'}). ` +
    `Classes differ: class ${m.mostClass} carries ${fmt(m.classRatio)}× the importance of class ${m.leastClass} ` +
    `(paper: classes contribute unequally).`
  );
}

export const fig02 = defineFigure({
  id: 'fig02',
  notebook: 'decomposition',
  title: 'Decomposition of sample importance by epoch, layer and class',
  claim:
    'Total importance varies over epochs at a fixed learning rate; ' +
    'the output layer has the largest importance per parameter, peaking early; ' +
    'L2 exceeds L3; classes contribute unequally.',
  paperDatasets: ['mnist', 'cifar10'],
  drawnFor: 'every dataset',
  needs: ['seedRuns', 'trainLabels', 'classNames'],
  perSeed: true,
  ...NO_SETTINGS,
  compute: computeFig02,
  spec: fig02Spec,
  measure: measureFig02,
  summarize: summarizeFig02,
  claims: [
    {
      id: 'out-per-parameter',
      datasets: ['mnist', 'cifar10'],
      text: 'The output layer always has the largest average importance per parameter (§3.3)',
      rule: 'holds: in every epoch; partly: in at least 80% of epochs',
      evaluate: (frames) => {
        const m = measureFig02(frames);
        return {
          verdict:
            m.outTopEpochs === m.epochs ? 'holds' : m.outTopEpochs >= 0.8 * m.epochs ? 'partly holds' : 'does not hold',
          measured: `${m.outTopEpochs} of ${m.epochs} epochs`,
        };
      },
    },
    {
      id: 'out-peaks-early',
      datasets: ['mnist', 'cifar10'],
      text: "The output layer's contribution peaks in the early training stage and then drops (§3.3)",
      rule:
        'holds: its total B_Out^t peaks in the first fifth of training and ends below half the peak; ' +
        'partly: one of the two, or only its share of A^t does both',
      evaluate: (frames) => {
        const m = measureFig02(frames);
        const early = (epoch: number) => epoch <= m.epochs / 5;
        const absolute = [early(m.outPeakEpoch), m.outLastOverPeak < 0.5];
        const share = early(m.outSharePeakEpoch) && m.outShareLast < 0.5 * m.outSharePeak;
        const verdict = absolute.every(Boolean)
          ? 'holds'
          : absolute.some(Boolean) || share
            ? 'partly holds'
            : 'does not hold';
        return {
          verdict,
          measured:
            `B_Out peaks at epoch ${m.outPeakEpoch} of ${m.epochs} ` +
            `and ends at ${pct(m.outLastOverPeak)} of the peak; ` +
            `its share of A^t peaks at epoch ${m.outSharePeakEpoch} (${pct(m.outSharePeak)}) ` +
            `and ends at ${pct(m.outShareLast)}`,
        };
      },
    },
    {
      id: 'l2-over-l3',
      datasets: ['mnist', 'cifar10'],
      text: 'The 2nd layer contributes more than the 3rd (§3.3)',
      rule: "holds: L2's share of all importance > L3's, and L2 > L3 in ≥ 80% of epochs; partly: in aggregate only",
      evaluate: (frames) => {
        const m = measureFig02(frames);
        const { second, third } = m.roles;
        const aggregate = share(m.shares, second) > share(m.shares, third);
        const l3Over = m.l3OverL2Epochs;
        return {
          verdict: !aggregate ? 'does not hold' : l3Over.length <= 0.2 * m.epochs ? 'holds' : 'partly holds',
          measured:
            `${second} ${pct(share(m.shares, second))}, ${third} ${pct(share(m.shares, third))}; ` +
            (l3Over.length
              ? `${third} > ${second} in ${l3Over.length} of ${m.epochs} epochs (${epochRanges(l3Over)})`
              : `${second} ≥ ${third} in every epoch`),
        };
      },
    },
    {
      id: 'lower-layers-late',
      datasets: ['mnist', 'cifar10'],
      text: 'Lower layers are learned predominantly in the middle and late training stage (Fig. 2 caption)',
      rule:
        'holds: L1, L2 and L3 each get more than half of their importance after the first third of training ' +
        '(and more of it than Out does); partly: L1 does',
      evaluate: (frames) => {
        const m = measureFig02(frames);
        const late = (l: string) => share(m.afterFirstThird, l);
        return {
          verdict: lowerLayersVerdict(m.roles.lower, (l) => late(l) > 0.5 && late(l) > late(m.roles.output)),
          measured: `after the first third: ${sharesText(m.afterFirstThird)}`,
        };
      },
    },
    {
      id: 'l1-largest-cifar',
      datasets: ['cifar10'],
      text: 'On CIFAR-10 the 1st layer provides the largest contribution (§3.3)',
      rule: 'holds: L1 has the largest share',
      evaluate: (frames) => {
        const m = measureFig02(frames);
        return {
          verdict: verdictOf(Object.values(m.shares).every((v) => v <= share(m.shares, m.roles.first))),
          measured: sharesText(m.shares),
        };
      },
    },
    {
      id: 'classes-unequal',
      datasets: ['mnist', 'cifar10'],
      text: 'Classes do not provide the same amount of importance (§3.3)',
      rule: 'holds: the most important class carries > 1.2× the least; partly: > 1.05×',
      evaluate: (frames) => {
        const m = measureFig02(frames);
        return {
          verdict: m.classRatio > 1.2 ? 'holds' : m.classRatio > 1.05 ? 'partly holds' : 'does not hold',
          measured: `${m.mostClass} / ${m.leastClass} = ${fmt(m.classRatio)}×`,
        };
      },
    },
  ],
});
