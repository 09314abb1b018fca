/**
 * Figure 9 (appendix): training and test error of the chosen run per epoch, and class-specific
 * average NLL per epoch.
 *
 * @example
 *   const frames = fig09.compute(inputs);
 *   await renderSvg(fig09.spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import { errorCurves } from '../analysis/error-curves';
import type { Frames } from '../analysis/frames';
import { defineFigure, NO_SETTINGS, verdictOf } from './figure';
import { firstSeedRun, fmt, item, num, pct, rowsOf, type FigureInputs } from './inputs';
import { baseSpec, specOptions, splitColour, type FigureSpecOptions } from './theme';

function computeFig09(inputs: FigureInputs): Frames {
  return { ...errorCurves(firstSeedRun(inputs), inputs.trainLabels, inputs.classNames) };
}

/** Error ticks from 0.1% to 100% in 1–2–5 steps: readable at 1% on MNIST and at 50% on CIFAR-10. */
const ERROR_TICKS = [0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

function fig09Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  const opts = specOptions(options);
  const epoch = { field: 'epoch', type: 'quantitative' as const, title: 'epoch' };
  return {
    ...baseSpec('Figure 9: error and class-specific NLL of the analysed run', opts),
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    hconcat: [
      {
        // Panels at 0.9 width leave room for the class legend within FIGURE_MAX_WIDTH.
        width: opts.width * 0.9,
        height: opts.height,
        title: 'error on the full sets (epoch 0: initial model)',
        data: { values: rowsOf(frames, 'errors') },
        mark: 'line',
        encoding: {
          x: epoch,
          y: {
            field: 'error',
            type: 'quantitative',
            title: 'error (symlog scale)',
            scale: { type: 'symlog', constant: 0.001 },
            // A symlog scale's own ticks are linear (0, 0.2, 0.4, …): none where MNIST's curves lie.
            axis: { values: ERROR_TICKS, format: '.1~%' },
          },
          color: { ...splitColour(), legend: { orient: 'bottom', direction: 'horizontal' } },
        },
      },
      {
        width: opts.width * 0.9,
        height: opts.height,
        title: 'mean NLL per class at each sample’s own step',
        data: { values: rowsOf(frames, 'classNll') },
        mark: 'line',
        encoding: {
          x: epoch,
          y: { field: 'nll', type: 'quantitative', title: 'mean NLL (nats, log scale)', scale: { type: 'log' } },
          color: { field: 'class', type: 'nominal', title: 'class', scale: { scheme: 'tableau10' } },
        },
      },
    ],
  };
}

export interface Fig09Measures {
  epochs: number;
  trainError: number;
  testError: number;
  /** Classes with the highest and lowest mean NLL in the last epoch, and their ratio. */
  hardestClass: string;
  easiestClass: string;
  classNllRatio: number;
  nllEpoch: number;
  hardestNll: number;
  easiestNll: number;
}

/** The numbers Figure 9's summary and the claims table quote. */
function measureFig09(frames: Frames): Fig09Measures {
  const errors = rowsOf(frames, 'errors');
  const last = Math.max(...errors.map((r) => num(r, 'epoch')));
  const at = (split: string): number =>
    num(errors.find((r) => r.split === split && num(r, 'epoch') === last) ?? {}, 'error');
  const classNll = rowsOf(frames, 'classNll');
  const nllEpoch = Math.max(...classNll.map((r) => num(r, 'epoch')));
  const final = classNll.filter((r) => num(r, 'epoch') === nllEpoch).sort((a, b) => num(b, 'nll') - num(a, 'nll'));
  const [hi, lo] = [item(final, 0, 'class NLL'), item(final, -1, 'class NLL')];
  return {
    epochs: last,
    trainError: at('train'),
    testError: at('test'),
    hardestClass: String(hi.class),
    easiestClass: String(lo.class),
    classNllRatio: num(hi, 'nll') / num(lo, 'nll'),
    nllEpoch,
    hardestNll: num(hi, 'nll'),
    easiestNll: num(lo, 'nll'),
  };
}

function summarizeFig09(frames: Frames): string {
  const m = measureFig09(frames);
  return (
    `**Figure 9.** After ${m.epochs} epochs the training error is ${pct(m.trainError)} ` +
    `and the test error ${pct(m.testError)}. ` +
    `In epoch ${m.nllEpoch}, class ${m.hardestClass} has the highest mean NLL (${fmt(m.hardestNll)}) ` +
    `and class ${m.easiestClass} the lowest (${fmt(m.easiestNll)}), ` +
    `${fmt(m.classNllRatio)}× apart (paper: classes are learned unequally).`
  );
}

export const fig09 = defineFigure({
  id: 'fig09',
  notebook: 'training-curves',
  title: 'Error and class-specific NLL of the analysed run',
  claim: 'The analysed run trains to low error, and classes differ in how fast their NLL falls.',
  paperDatasets: ['mnist', 'cifar10'],
  drawnFor: 'every dataset',
  needs: ['seedRuns', 'trainLabels', 'classNames'],
  perSeed: true,
  ...NO_SETTINGS,
  compute: computeFig09,
  spec: fig09Spec,
  measure: measureFig09,
  summarize: summarizeFig09,
  claims: [
    {
      id: 'classes-learned-unequally',
      datasets: ['mnist', 'cifar10'],
      text: 'Classes are learned unequally: class-specific NLL differs (Fig. 9)',
      rule: 'holds: the hardest class ends with > 1.2× the mean NLL of the easiest',
      evaluate: (frames) => {
        const m = measureFig09(frames);
        return {
          verdict: verdictOf(m.classNllRatio > 1.2),
          measured:
            `${m.hardestClass} / ${m.easiestClass} = ${fmt(m.classNllRatio)}×; ` +
            `train error ${pct(m.trainError)}, test error ${pct(m.testError)}`,
        };
      },
    },
  ],
});
