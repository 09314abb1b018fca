import test from 'node:test';
import assert from 'node:assert/strict';
import { frameFromRows } from '../../src/analysis/frames';
import { CLAIMS } from '../../src/figures';
import { figureDataFile, saveFigureData } from '../../src/figures/data-file';
import { replaceSection } from '../../src/cli/markdown-section';
import { claimsMarkdown } from '../../src/report/claims-table';
import { fig01ReadingsMarkdown, READING_EPOCHS } from '../../src/report/readings-table';
import { tempDir } from '../support/tmp';

const claim = (id: string) => CLAIMS.find((c) => c.id === id)!;

const fig03 = (top10: number, next10: number) => ({
  shares: frameFromRows(
    ['L1', 'Out', 'All'].flatMap((layer) => [
      { layer, group: 'top 10%', share: layer === 'Out' ? top10 / 2 : top10 },
      { layer, group: '10–20%', share: next10 },
      { layer, group: 'other 80%', share: 1 - top10 - next10 },
    ]),
  ),
});

test('share claims follow their stated thresholds', () => {
  assert.deepEqual(claim('top20-majority').evaluate(fig03(0.7, 0.2)), {
    verdict: 'holds',
    measured: 'top 20% carry 90.0% (top 10% 70.0%)',
  });
  assert.equal(claim('top20-majority').evaluate(fig03(0.25, 0.15))?.verdict, 'does not hold');
  assert.equal(claim('top10-almost-all-mnist').evaluate(fig03(0.7, 0.2))?.verdict, 'partly holds');
  assert.equal(claim('top10-almost-all-mnist').evaluate(fig03(0.85, 0.1))?.verdict, 'holds');
  assert.equal(claim('top-lower-layers-cifar').evaluate(fig03(0.3, 0.1))?.verdict, 'holds');
});

/** Final errors per construction over `runs` runs; training error rises for the names in `rising`. */
function fig07(finalTest: Record<string, number>, runs: number, rising: string[] = []) {
  const rows = Object.entries(finalTest).flatMap(([construction, err]) => [
    { construction, epoch: 1, split: 'train', mean: 0.3, se: 0.01, runs },
    { construction, epoch: 2, split: 'train', mean: rising.includes(construction) ? 0.4 : 0.2, se: 0.01, runs },
    { construction, epoch: 2, split: 'test', mean: err, se: runs > 1 ? 0.005 : NaN, runs },
  ]);
  return { errors: frameFromRows(rows), divergences: frameFromRows([], ['construction', 'run', 'seed', 'epoch']) };
}

test('batch-construction claims rank the constructions and compare reversed orders', () => {
  const errors = { Rand: 0.5, NLM: 0.52, SIM: 0.51, RSIO: 0.6, RNLO: 0.62, SIO: 0.8, NLO: 0.85 };
  const frames = fig07(errors, 5, ['NLO']);
  assert.equal(claim('mixed-best').evaluate(frames)?.verdict, 'holds');
  assert.deepEqual(claim('ordered-worst').evaluate(frames), { verdict: 'holds', measured: 'worst two: SIO, NLO' });
  assert.equal(claim('ordered-train-rises').evaluate(frames)?.verdict, 'partly holds');
  assert.equal(claim('reversed-differ').evaluate(frames)?.verdict, 'holds');
  const swapped = fig07({ ...errors, NLM: 0.61, RSIO: 0.515 }, 1);
  assert.equal(claim('mixed-best').evaluate(swapped)?.verdict, 'partly holds');
  // One run has no standard error: differences under the 1-point floor do not count.
  assert.equal(
    claim('reversed-differ').evaluate(fig07({ ...errors, RNLO: 0.845, RSIO: 0.795 }, 1))?.verdict,
    'does not hold',
  );
  assert.equal(claim('mixed-best').evaluate(fig07({ Rand: 0.5 }, 5)), null, 'too few constructions to rank');
});

test('the claims table quotes each dataset, and says which figure data is missing', () => {
  const saved = process.env.SI_FIGURE_DATA_DIR;
  process.env.SI_FIGURE_DATA_DIR = tempDir();
  try {
    saveFigureData(figureDataFile('paper', 'mnist', 'fig03'), fig03(0.85, 0.1), { runs: { seeds: 3 } });
    saveFigureData(
      figureDataFile('paper', 'mnist', 'fig07'),
      fig07({ Rand: 0.02, NLM: 0.021, SIM: 0.019, RSIO: 0.03, RNLO: 0.03, SIO: 0.05, NLO: 0.06 }, 2),
      { runs: { Rand: 2, NLO: 2 } },
    );
    const table = claimsMarkdown('paper');
    assert.match(
      table,
      new RegExp(
        String.raw`\| The top 20% most important samples .* \| Fig\. 3 \| ` +
          String.raw`\*\*holds\*\*: top 20% carry 95\.0% .* \| _no fig03 data yet_ \|`,
      ),
    );
    assert.match(table, /Mixed batches .* \*\*holds\*\*: SIM 1\.9% < Rand 2\.0% < NLM 2\.1%/);
    assert.match(table, /MNIST: Rand 2, NLO 2; CIFAR-10: no data yet/);
    assert.equal(table.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length, CLAIMS.length);
    assert.doesNotMatch(table, /Fashion/, 'no column for a dataset without data');

    saveFigureData(figureDataFile('paper', 'fashion-mnist', 'fig03'), fig03(0.6, 0.1), { runs: { seeds: 3 } });
    const withFashion = claimsMarkdown('paper');
    assert.match(
      withFashion,
      new RegExp(
        String.raw`^\| # \| claim \| figure \| MNIST \| CIFAR-10 \| ` +
          String.raw`Fashion-MNIST \(MNIST's claims; not in the paper\) \| rule \|$`,
        'm',
      ),
    );
    assert.match(
      withFashion,
      /\| The top 20% most important samples .* \| _no fig03 data yet_ \| \*\*holds\*\*: top 20% carry 70\.0% .* \|/,
    );
    assert.match(
      withFashion,
      /On CIFAR-10 the 1st layer .* \| — \| _no fig02 data yet_ \| — \|/,
      "CIFAR-10's own claims are not tested on it",
    );
  } finally {
    if (saved === undefined) delete process.env.SI_FIGURE_DATA_DIR;
    else process.env.SI_FIGURE_DATA_DIR = saved;
  }
});

test('si claims --into replaces only the marked section, and names a file without markers', () => {
  const doc = 'intro\n<!-- claims:begin -->\nold table\n<!-- claims:end -->\nafter\n';
  assert.equal(
    replaceSection(doc, 'claims', '| new |\n', 'R.md'),
    'intro\n<!-- claims:begin -->\n| new |\n<!-- claims:end -->\nafter\n',
  );
  assert.throws(() => replaceSection('no markers', 'claims', 'x', 'R.md'), /R\.md has no <!-- claims:begin -->/);
});

test(
  "Figure 1's readings table quotes each dataset's readings at the fixed epochs, " + "'—' where one was not measured",
  () => {
    const saved = process.env.SI_FIGURE_DATA_DIR;
    process.env.SI_FIGURE_DATA_DIR = tempDir();
    try {
      const stability = frameFromRows([{ epoch: 5, pair: '1–2', spearman: 0.95 }]);
      saveFigureData(figureDataFile('paper', 'cifar10', 'fig01'), { stability });
      assert.match(fig01ReadingsMarkdown('paper'), /no Figure 1 data with the protocol's readings/);
      const variants = frameFromRows([
        ...READING_EPOCHS.map((epoch) => ({
          variant: 'own step, shared order (default)',
          epoch,
          spearman: 1 - epoch / 100,
        })),
        { variant: 'at checkpoints, own order per seed', epoch: 5, spearman: 0.8 },
      ]);
      saveFigureData(figureDataFile('paper', 'cifar10', 'fig01'), { stability, variants });
      const table = fig01ReadingsMarkdown('paper').split('\n');
      assert.equal(
        table[0],
        '| dataset | α measured as, data order | epoch 5 | epoch 10 | epoch 20 | epoch 30 | epoch 50 |',
      );
      assert.equal(table[2], '| CIFAR-10 | own step, shared order (default) | 0.950 | 0.900 | 0.800 | 0.700 | 0.500 |');
      assert.equal(table[3], '| CIFAR-10 | at checkpoints, own order per seed | 0.800 | — | — | — | — |');
    } finally {
      if (saved === undefined) delete process.env.SI_FIGURE_DATA_DIR;
      else process.env.SI_FIGURE_DATA_DIR = saved;
    }
  },
);
