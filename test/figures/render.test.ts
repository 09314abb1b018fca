import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { frameFromRows } from '../../src/analysis/frames';
import {
  FIGURES,
  fig03,
  figureById,
  loadFigureData,
  loadFigureMeta,
  renderSvg,
  saveFigureData,
} from '../../src/figures';
import { projectRoot } from '../../src/paths';

const shares = frameFromRows(
  ['L1', 'Out', 'All'].flatMap((layer) => [
    { layer, group: 'top 10%', share: 0.7 },
    { layer, group: '10–20%', share: 0.2 },
    { layer, group: 'other 80%', share: 0.1 },
  ]),
);

test('a figure spec renders to an SVG holding its title and axis titles', async () => {
  const svg = await renderSvg(fig03.spec({ shares }, { dataset: 'mnist' }));
  assert.match(svg, /^<svg/);
  assert.ok(svg.includes('Figure 3: share of each layer’s importance by sample group (MNIST)'));
  assert.ok(svg.includes('share of Σ_t Σ_i β'));
});

test('figure data round-trips through its JSON file, and summaries quote the numbers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'figdata-'));
  const file = path.join(dir, 'fig03.json');
  saveFigureData(file, { shares, empty: frameFromRows([], ['a', 'b']) }, { run: 'x' });
  const frames = loadFigureData(file);
  assert.deepEqual(frames.shares?.columns, ['layer', 'group', 'share']);
  assert.deepEqual(frames.empty?.shape, [0, 2]);
  assert.deepEqual(loadFigureMeta(file), { run: 'x' });
  assert.match(fig03.summarize(frames), /top 10% of samples by τ carry 70\.0%.*top 20% 90\.0%/);
  fs.rmSync(dir, { recursive: true });
});

test('the registry lists every figure in order, each with a claim', () => {
  assert.deepEqual(
    FIGURES.map((f) => f.id),
    Array.from({ length: 12 }, (_, k) => `fig${String(k + 1).padStart(2, '0')}`),
  );
  for (const f of FIGURES) assert.ok(f.claim.length > 20 && f.title.length > 5, f.id);
  assert.deepEqual(
    FIGURES.filter((f) => f.beyondPaper).map((f) => f.id),
    ['fig11', 'fig12'],
  );
  assert.equal(figureById('fig07').id, 'fig07');
  assert.throws(() => figureById('fig13'), /no figure 'fig13'/);
});

test("Figure 9's error axis has ticks where MNIST's curves lie, between 0 and 20%", async () => {
  const errors = frameFromRows(
    [0.9, 0.05, 0.02, 0.01].flatMap((error, epoch) => [
      { epoch, split: 'train', error: error / 2 },
      { epoch, split: 'test', error },
    ]),
  );
  const classNll = frameFromRows([1, 2].map((epoch) => ({ epoch, class: '0', nll: 1 / epoch })));
  const svg = await renderSvg(figureById('fig09').spec({ errors, classNll }, { dataset: 'mnist' }));
  const labels = [...svg.matchAll(/<text[^>]*>([^<]*%)<\/text>/g)].map((m) => m[1]);
  for (const tick of ['0.5%', '1%', '2%', '5%', '10%'])
    assert.ok(labels.includes(tick), `${tick} in ${labels.join(' ')}`);
});

test("rendering drops only vega-lite's optimizer note; other compiler warnings still print", async (t) => {
  const { compile } = await import('vega-lite');
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (...args: unknown[]) => warnings.push(args.join(' ')));
  const file = path.join(projectRoot(), 'figures', 'data', 'paper', 'mnist', 'fig11.json');
  const spec = figureById('fig11').spec(loadFigureData(file), { dataset: 'mnist' });
  compile(spec);
  assert.ok(
    warnings.some((w) => w.includes('Maximum optimization runs')),
    'the committed Figure 11 makes vega-lite note its optimizer stop',
  );
  warnings.length = 0;
  assert.match(await renderSvg(spec), /^<svg/);
  assert.equal(warnings.length, 0, warnings.join('\n'));
  const badChannel = { ...fig03.spec({ shares }, { dataset: 'mnist' }), encoding: { nonsense: { field: 'share' } } };
  await renderSvg(badChannel as unknown as Parameters<typeof renderSvg>[0]);
  assert.ok(
    warnings.some((w) => w.includes('nonsense')),
    warnings.join('\n'),
  );
});
