/**
 * Every figure of the registry, end to end on synthetic run records (test/support/synthetic-runs):
 * compute → figure data file → spec rendered to SVG → measures → summary → claims. The checks are
 * the figures' own invariants (shares add to one, correlations lie in [−1, 1], the run's own
 * metrics come back out), so they hold whatever the synthetic runs learn.
 */
import test, { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { getDatasetSpec } from '../../src/data/registry';
import {
  changedSettings,
  claimApplies,
  figureApplies,
  FIGURE_MAX_WIDTH,
  figureNumber,
  FIGURES,
  fig01,
  fig02,
  fig03,
  fig04,
  fig05,
  fig06,
  fig07,
  fig08,
  fig09,
  fig10,
  fig11,
  loadFigureData,
  renderSvg,
  saveFigureData,
  type Figure,
} from '../../src/figures';
import { frameFromRows, frameRows, type Frames } from '../../src/analysis/frames';
import { highNllOutsideTopTau, nllImportance } from '../../src/analysis/nll-importance';
import type { FigureInputs } from '../../src/figures/inputs';
import { figureSummary } from '../../src/notebook/figure-results';
import { syntheticProfileRuns } from '../support/synthetic-runs';
import { tempDir } from '../support/tmp';

const VERDICTS = ['holds', 'partly holds', 'does not hold'];
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-4, `${what}: ${a} vs ${b}`);
const within = (v: number, lo: number, hi: number, what: string) =>
  assert.ok(v >= lo && v <= hi, `${what} = ${v} not in [${lo}, ${hi}]`);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The inputs each figure is computed from: figure 6 clusters CIFAR-10's "horse", so it gets CIFAR-10's class names. */
function inputsFor(figure: Figure, inputs: FigureInputs): FigureInputs {
  return figure === fig06
    ? { ...inputs, dataset: 'cifar10', classNames: getDatasetSpec('cifar10').classNames }
    : inputs;
}

/** Computes the figure and reads its frames back from a figure data file, as the notebooks do. */
async function framesOf(figure: Figure): Promise<Frames> {
  const { inputs } = await syntheticProfileRuns();
  const file = path.join(tempDir(), `${figure.id}.json`);
  saveFigureData(file, figure.compute(inputsFor(figure, inputs)), { figure: figure.id });
  return loadFigureData(file);
}

describe('every figure on synthetic run records', () => {
  for (const figure of FIGURES) {
    const title = `${figure.id}: computes, survives its data file, renders, measures, summarises and judges its claims`;
    it(title, async () => {
      const frames = await framesOf(figure);
      const number = figureNumber(figure);
      const svg = await renderSvg(figure.spec(frames, { dataset: figure === fig06 ? 'cifar10' : 'mnist' }));
      assert.match(svg, /^<svg/);
      assert.ok(svg.includes(`Figure ${number}`), 'the SVG carries the figure title');
      const width = Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
      assert.ok(width <= FIGURE_MAX_WIDTH, `${width} px wide: fits the report column and a notebook`);
      figure.measure(frames);
      assert.match(figure.summarize(frames), new RegExp(`^\\*\\*Figure ${number}\\.\\*\\* `));
      assert.ok(
        figure.beyondPaper ? figure.claims.length === 0 : figure.claims.length >= 1,
        "every figure of the paper tests at least one of its claims; the two beyond it test none of the paper's",
      );
      for (const claim of figure.claims) {
        const result = claim.evaluate(frames);
        assert.ok(result, `${claim.id} answers on a full synthetic profile`);
        assert.ok(VERDICTS.includes(result.verdict), `${claim.id}: ${result.verdict}`);
        assert.ok(
          result.measured.length > 5 && !/undefined/.test(result.measured),
          `${claim.id}: '${result.measured}'`,
        );
      }
    });
  }
});

describe("each figure's measures keep its invariants", () => {
  it(
    'fig01: three pairs of seeds at the 5-epoch checkpoint and the last epoch, ' +
      'every reading present, ρ in [−1, 1]',
    async () => {
      const m = fig01.measure(await framesOf(fig01));
      assert.ok(m);
      assert.equal(m.pairs, 3);
      assert.deepEqual(m.epochs, [5, 6]);
      within(m.min.spearman, -1, 1, 'min ρ');
      assert.ok(m.min.spearman <= Math.min(m.meanFirst, m.meanLast) + 1e-12, 'the minimum is at most each mean');
      assert.equal(m.variants.length, 7, 'the default and six other readings (own order and fixed order included)');
      for (const v of m.variants) within(v.spearman, -1, 1, v.name);
    },
  );

  it('fig02: layer shares add to one, Out tops per parameter in at most every epoch, class ratio ≥ 1', async () => {
    const m = fig02.measure(await framesOf(fig02));
    assert.equal(m.epochs, 6);
    near(sum(Object.values(m.shares)), 1, 'shares');
    assert.deepEqual(Object.keys(m.shares), ['L1', 'L2', 'L3', 'Out']);
    within(m.outTopEpochs, 0, 6, 'epochs with Out on top');
    assert.ok(m.classRatio >= 1);
    within(m.outLastOverPeak, 0, 1, 'Out last over peak');
  });

  it('fig03: top 10% ≤ top 20% ≤ 100% of importance, overall and per layer', async () => {
    const m = fig03.measure(await framesOf(fig03));
    assert.ok(m.top10 > 0 && m.top10 <= m.top20 && m.top20 <= 1 + 1e-9);
    for (const layer of ['L1', 'L2', 'L3', 'Out'])
      assert.ok((m.top10ByLayer[layer] ?? NaN) <= (m.top20ByLayer[layer] ?? NaN), layer);
  });

  it('fig04: correlations in [−1, 1] for every epoch, over all 400 samples', async () => {
    const m = fig04.measure(await framesOf(fig04));
    assert.equal(m.samples, 400);
    assert.equal(m.first.epoch, 1);
    assert.equal(m.last.epoch, 6);
    for (const v of [m.first.spearman, m.last.spearman, m.overallSpearman, m.first.pearson])
      within(v, -1, 1, 'correlation');
    within(m.highNllOutsideTopTau, 0, 1, 'share outside');
  });

  it('fig04: says how many samples its scatter draws, and measures the top-decile share over all of them', async () => {
    const { inputs } = await syntheticProfileRuns();
    const frames: Frames = { ...nllImportance(inputs.seedRuns[0]!, { maxPoints: 100 }) };
    const svg = await renderSvg(fig04.spec(frames, { dataset: 'mnist' }));
    assert.ok(svg.includes('100 of the 400 samples, drawn at random'), 'the scatter says it is a draw');
    const m = fig04.measure(frames);
    assert.deepEqual([m.samples, m.highNllSamples], [400, 400]);
    assert.doesNotMatch(fig04.summarize(frames), /drawn samples/);
    // Figure data written before the all-sample share was stored: measured on the drawn samples, and said so.
    const overall = frameRows(frames.overall!).map(({ highNllOutsideTopTau: _, ...r }) => r);
    const older = { ...frames, overall: frameFromRows(overall, ['samples', 'spearman', 'pearson']) };
    assert.equal(fig04.measure(older).highNllSamples, 100);
    assert.match(fig04.summarize(older), /\(of the 100 drawn samples\)/);
  });

  it('the top-decile share: of the top 10% by final NLL, those outside the top 10% by τ', () => {
    const nll = Array.from({ length: 20 }, (_, i) => 20 - i);
    assert.equal(highNllOutsideTopTau(nll, nll), 0, 'τ ranked as NLL: none outside');
    assert.equal(highNllOutsideTopTau(nll, [...nll].reverse()), 1, 'τ ranked against NLL: all outside');
  });

  for (const [figure, className] of [
    [fig05, '5'],
    [fig06, 'horse'],
  ] as const) {
    it(
      `${figure.id}: easy, medium and hard clusters of class “${className}”, ` +
        "each one's layer shares adding to one",
      async () => {
        const m = figure.measure(await framesOf(figure));
        assert.equal(m.className, className);
        assert.equal(m.clusters, 4);
        for (const [difficulty, c] of Object.entries(m.byDifficulty)) {
          assert.ok(c.size >= 2, `${difficulty} has ${c.size} samples`);
          near(sum(Object.values(c.shares)), 1, `${difficulty} shares`);
          within(c.peakEpoch, 1, 6, `${difficulty} peak epoch`);
        }
        assert.ok(m.byDifficulty.easy.meanFinalNll <= m.byDifficulty.hard.meanFinalNll, 'easy means a lower final NLL');
      },
    );
  }

  it('fig07: all seven constructions, two runs each, final errors in [0, 1] ranked lowest first', async () => {
    const m = fig07.measure(await framesOf(fig07));
    assert.deepEqual(m.finals.map((f) => f.construction).sort(), ['NLM', 'NLO', 'RNLO', 'RSIO', 'Rand', 'SIM', 'SIO']);
    for (const f of m.finals) {
      assert.equal(f.runs, 2);
      assert.equal(f.epoch, 6);
      within(f.mean, 0, 1, f.construction);
    }
    assert.deepEqual(
      m.finals.map((f) => f.mean),
      [...m.finals.map((f) => f.mean)].sort((a, b) => a - b),
    );
  });

  it('fig08: one path per construction from epoch 0 to 6, PC shares of variance in [0, 1]', async () => {
    const m = fig08.measure(await framesOf(fig08));
    assert.ok(m);
    assert.equal(m.constructions, 7);
    assert.deepEqual([m.firstEpoch, m.lastEpoch], [0, 6]);
    assert.equal(m.snapshots, 7 * 7);
    assert.ok(m.explained[0] >= m.explained[1] && m.explained[0] + m.explained[1] <= 1 + 1e-9);
    assert.deepEqual(Object.keys(m.reversedApart), ['NLO–RNLO', 'SIO–RSIO']);
  });

  it("fig09: the errors are the seed-1 run's own last-epoch metrics", async () => {
    const { runs } = await syntheticProfileRuns();
    const last = runs.seedRuns[0]?.meta.metrics.at(-1);
    assert.ok(last);
    const m = fig09.measure(await framesOf(fig09));
    assert.equal(m.epochs, 6);
    near(m.trainError, last.trainError, 'train error');
    near(m.testError, last.testError, 'test error');
    assert.ok(m.classNllRatio >= 1);
  });

  it('fig10: every sample in the histogram, the median between the extremes', async () => {
    const m = fig10.measure(await framesOf(fig10));
    assert.equal(m.samples, 400);
    assert.ok(m.lowest <= m.median && m.median <= m.highest);
    assert.ok(m.mean !== undefined && m.belowMean !== undefined);
    within(m.belowMean, 0, 1, 'share below the mean');
  });
});

describe('which datasets a figure and a claim apply to', () => {
  it('general figures are drawn for every dataset; cluster figures for their paper dataset and its stand-ins', () => {
    assert.ok(figureApplies(fig02, 'cifar10') && figureApplies(fig02, 'fashion-mnist'));
    assert.ok(
      figureApplies(fig05, 'mnist') && figureApplies(fig05, 'fashion-mnist') && !figureApplies(fig05, 'cifar10'),
    );
    assert.ok(
      figureApplies(fig06, 'cifar10') && !figureApplies(fig06, 'mnist') && !figureApplies(fig06, 'fashion-mnist'),
    );
  });

  it('Fashion-MNIST is tested on the claims made for MNIST, and on no CIFAR-10-only claim', () => {
    const byId = (id: string) => FIGURES.flatMap((f) => f.claims).find((c) => c.id === id);
    const mnistOnly = byId('top10-almost-all-mnist');
    const cifarOnly = byId('l1-largest-cifar');
    assert.ok(mnistOnly && cifarOnly);
    assert.ok(claimApplies(mnistOnly, 'fashion-mnist') && !claimApplies(mnistOnly, 'cifar10'));
    assert.ok(!claimApplies(cifarOnly, 'fashion-mnist') && claimApplies(cifarOnly, 'cifar10'));
  });
});

/** A value other than the default for each analysis setting (a new setting needs one here). */
function otherValue(figure: Figure, name: string): string | number | undefined {
  const values: Record<string, string | number> = {
    every: 2,
    binsPerDecade: 1,
    className: figure === fig06 ? 'cat' : '3',
    clusters: 5,
    seed: 2,
  };
  return values[name];
}

test("every figure setting changes the figure's data; unknown settings are refused by name", async () => {
  const { inputs } = await syntheticProfileRuns();
  for (const figure of FIGURES) {
    const defaults = JSON.stringify(figure.compute(inputsFor(figure, inputs)));
    for (const name of Object.keys(figure.settings)) {
      const value = otherValue(figure, name);
      assert.ok(value !== undefined, `${figure.id}.${name} needs a value in otherValue`);
      assert.ok(figure.settingDocs[name], `${figure.id}.${name} is documented`);
      const changed = JSON.stringify(figure.compute(inputsFor(figure, inputs), { [name]: value }));
      assert.notEqual(changed, defaults, `${figure.id}: ${name} = ${value} changes nothing`);
    }
  }
  assert.deepEqual(changedSettings(fig05, { clusters: null, seed: 3 }), { seed: 3 });
  assert.throws(
    () => changedSettings(fig05, { k: 4 }),
    /fig05 has no setting 'k' \(settings: className, clusters, seed\)/,
  );
  assert.throws(() => changedSettings(fig02, { k: 4 }), /fig02 has no setting 'k' \(it has none\)/);
});

test("a figure's closing summary: its measures, each claim's verdict and rule, the settings used", async () => {
  const { inputs } = await syntheticProfileRuns();
  const frames = fig10.compute(inputs, { binsPerDecade: 2 });
  const md = figureSummary(fig10, [{ dataset: 'mnist', frames, settings: { binsPerDecade: 2 }, source: 'a test' }]);
  assert.match(md, /^## What this run shows\n\n### MNIST\n\nWith `binsPerDecade = 2`/);
  assert.match(md, /\*\*Figure 10\.\*\*/);
  assert.match(
    md,
    /- \*\*(holds|partly holds|does not hold)\*\* — Most samples have small overall importance.*_Rule: /,
  );
  assert.match(md, /\[the claims table\]\(.*REPRODUCTION\.md#claims\)/);
  // A figure beyond the paper has no claims there: it links to its own section.
  const beyond = figureSummary(fig11, [
    { dataset: 'mnist', frames: fig11.compute(inputs), settings: {}, source: 'a test' },
  ]);
  assert.match(beyond, /\[REPRODUCTION\.md\]\(.*REPRODUCTION\.md#beyond-the-paper-pruning-and-noisy-labels\)/);
  assert.doesNotMatch(beyond, /claims table/);
});
