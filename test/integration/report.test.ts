import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { datasetAvailable } from '../../src/data/locate';
import { getProfile } from '../../src/experiments/profiles';
import { buildReport } from '../../src/report/build-report';
import { figureNotebooks } from '../../src/report/figure-notebook';
import { readNotebook, svgOutputs, summaryOf } from '../../src/report/notebook-file';
import { FIGURES } from '../../src/figures';
import { projectRoot } from '../../src/paths';
import { CHROMIUM, dumpDom, evaluateInPage, screenshot } from '../support/chromium';
import { tempDir } from '../support/tmp';

const jupyter = path.join(projectRoot(), '.venv', 'bin', 'jupyter');
// The smoke profile draws every figure only with both of its datasets (figure 6 is CIFAR-10's).
const absentDataset = getProfile('smoke').datasets.find((d) => !datasetAvailable(d));
const missing = absentDataset
  ? `${absentDataset} is not in the data directory ` +
    `(set SI_DATA_DIR, e.g. to ../shared/data, or \`si download ${absentDataset}\`)`
  : !fs.existsSync(jupyter)
    ? `no Jupyter at ${jupyter} (run make setup)`
    : !fs.existsSync(path.join(projectRoot(), 'node_modules', 'sample-importance', 'dist', 'index.js'))
      ? 'the library is not built and linked (run make setup)'
      : false;

let builtIndex: string | undefined;

/** nbconvert pages show SVG outputs as <img> elements with a base64 data URL: their decoded SVGs. */
function outputSvgs(dom: string): string[] {
  return [...dom.matchAll(/<img[^>]*src="data:image\/svg\+xml;base64,([^"]+)"/g)]
    .map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))
    .filter((svg) => svg.length > 5_000); // the page's own icons are tiny SVGs too
}

test('smoke profile: every notebook executes and yields its figures; the index embeds them', {
  skip: missing,
  timeout: 900_000,
}, async () => {
  const work = tempDir('si-report-');
  process.env.SI_FIGURE_DATA_DIR = path.join(work, 'figures');
  process.env.SI_REPORTS_DIR = path.join(work, 'reports');
  const engine = await loadEngine('auto');
  const index = await buildReport(getProfile('smoke'), { engine, runsDir: path.join(work, 'runs') });
  const outDir = path.dirname(index);

  for (const { file } of figureNotebooks()) {
    const executed = readNotebook(path.join(outDir, 'notebooks', path.basename(file)));
    assert.ok(svgOutputs(executed).length >= 1, `${path.basename(file)} displayed at least one SVG figure`);
    assert.match(summaryOf(executed), /What this run shows/, `${path.basename(file)} closes with the run's summary`);
    assert.ok(fs.existsSync(path.join(outDir, 'notebooks', path.basename(file).replace('.ipynb', '.html'))));
  }
  const html = fs.readFileSync(index, 'utf8');
  assert.ok((html.match(/<svg/g) ?? []).length >= FIGURES.length, 'the index embeds every figure as SVG');
  assert.ok(fs.existsSync(path.join(outDir, 'explorer.html')), 'the report has its sample explorer');
  assert.ok(html.includes('<a href="explorer.html">'), 'the index links the sample explorer');
  builtIndex = index;
});

const noBrowser = missing || (!CHROMIUM && 'Chromium is not installed (apt-get install chromium)');
test('headless Chromium opens the report index and every page and finds the figures', {
  skip: noBrowser,
  timeout: 300_000,
}, () => {
  assert.ok(builtIndex, 'the smoke report was built by the previous test');
  const index = builtIndex;
  const outDir = path.dirname(index);
  const dom = dumpDom(pathToFileURL(index).href);
  assert.ok((dom.match(/<svg/g) ?? []).length >= FIGURES.length, 'Chromium sees the figures on the index page');
  for (const { file } of figureNotebooks()) {
    const page = path.join(outDir, 'notebooks', path.basename(file).replace('.ipynb', '.html'));
    const figures = outputSvgs(dumpDom(pathToFileURL(page).href));
    assert.ok(
      figures.length >= 1 && figures.every((svg) => /<svg[\s\S]*<\/svg>/.test(svg)),
      `Chromium sees a figure on ${path.basename(page)}`,
    );
  }
});

/**
 * In the page: the viewport's width, the page's scroll width, and each figure (the index's inline
 * SVGs, nbconvert's SVG images) with its right edge and its column's (the index's section, the
 * notebook cell; content box). An output area scrolls inside itself, so the page's scroll width
 * alone misses a figure cut off there.
 */
const FIGURE_LAYOUT = `(() => ({
  viewport: innerWidth,
  scrollWidth: document.documentElement.scrollWidth,
  figures: [...document.querySelectorAll('.svg > svg, .jp-OutputArea-output > img[src^="data:image/svg+xml"]')]
    .map((figure) => {
      const column = figure.closest('section.figure, .jp-Cell');
      const box = figure.getBoundingClientRect();
      const padding = parseFloat(getComputedStyle(column).paddingRight);
      return { width: box.width, right: box.right, column: column.getBoundingClientRect().right - padding };
    }),
}))()`;

interface FigureLayout {
  viewport: number;
  scrollWidth: number;
  figures: { width: number; right: number; column: number }[];
}

test('at 1280 px, every figure of every report page fits its column and no page scrolls sideways', {
  skip: noBrowser,
  timeout: 300_000,
}, () => {
  assert.ok(builtIndex, 'the smoke report was built by the first test');
  const outDir = path.dirname(builtIndex);
  const pages = [
    'index.html',
    ...fs
      .readdirSync(path.join(outDir, 'notebooks'))
      .filter((f) => f.endsWith('.html'))
      .map((f) => path.join('notebooks', f)),
  ];
  assert.ok(pages.length > FIGURES.length, `the index and every notebook's page: ${pages.join(', ')}`);
  for (const page of pages) {
    const layout = evaluateInPage(path.join(outDir, page), FIGURE_LAYOUT, 1280) as FigureLayout;
    assert.equal(layout.viewport, 1280, `${page}: a 1280 px viewport`);
    assert.ok(layout.scrollWidth <= 1280, `${page}: ${layout.scrollWidth} px wide, scrolls sideways`);
    assert.ok(layout.figures.length >= 1, `${page} shows a figure`);
    for (const [k, f] of layout.figures.entries())
      assert.ok(f.width > 100 && f.right <= f.column + 0.5, `${page} figure ${k + 1}: ${JSON.stringify(f)}`);
  }
  const artefacts = path.join(projectRoot(), 'test-artifacts');
  fs.mkdirSync(artefacts, { recursive: true });
  const shot = path.join(artefacts, 'report-1280.png');
  screenshot(pathToFileURL(builtIndex).href, shot, '1280,1600');
  assert.ok(fs.statSync(shot).size > 10_000, 'the screenshot holds a rendered page');
  console.log(`screenshot of the smoke report at 1280 px: ${shot}`);
});
