/**
 * The sample explorer in a real browser: Debian's headless Chromium, driven over the DevTools
 * protocol (puppeteer-core), opens the page built from the smoke profile's seed-1 MNIST run, with
 * no console error; a real mouse click on a point shows that sample's index and label in the detail
 * panel. The explorer notebook runs on the tslab kernel and displays the page. A screenshot is
 * saved under test-artifacts/.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { datasetAvailable } from '../../src/data/locate';
import { runExplorerPage, seedRunDir } from '../../src/explorer/build-explorer';
import { seedRunConfig } from '../../src/experiments/plan';
import { getProfile } from '../../src/experiments/profiles';
import { notebooksDir, projectRoot } from '../../src/paths';
import { executeNotebook } from '../../src/report/nbconvert';
import { errorOutputs, readNotebook, writeNotebook } from '../../src/report/notebook-file';
import { loadRunData } from '../../src/run/run-data';
import { trainRun } from '../../src/run/train';
import { CHROMIUM } from '../support/chromium';
import { LAB_MISSING } from '../support/jupyter';
import { tempDir } from '../support/tmp';

const smoke = getProfile('smoke');
const missing = !datasetAvailable('mnist')
  ? 'MNIST is not in the data directory (set SI_DATA_DIR)'
  : !CHROMIUM && 'Chromium is not installed (apt-get install chromium)';

let runsDir = '';

test.before(async () => {
  if (missing) return;
  runsDir = tempDir('si-explorer-runs-');
  const cfg = seedRunConfig(smoke, 'mnist', smoke.seeds[0]!);
  const { train, test: held, classes } = loadRunData(cfg);
  await trainRun(cfg, { engine: await loadEngine('auto'), train, test: held, classes, runsDir });
});

test('headless Chromium opens the explorer without errors, and a click on a point shows that sample', {
  skip: missing,
  timeout: 180_000,
}, async () => {
  const dir = seedRunDir(smoke, 'mnist', runsDir);
  const page = path.join(tempDir('si-explorer-page-'), 'explorer.html');
  fs.writeFileSync(page, await runExplorerPage(dir, { engine: await loadEngine('auto') }));
  const labels = loadRunData(seedRunConfig(smoke, 'mnist', smoke.seeds[0]!)).train.y;

  // WebGL without a GPU: Chromium's software rasteriser, which headless mode needs asking for.
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--disable-background-networking'],
  });
  try {
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1400, height: 1100 });
    const errors: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    tab.on('pageerror', (e) => errors.push(String(e)));
    const began = Date.now();
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    console.log(`explorer of ${labels.length} samples ready in ${Date.now() - began} ms`);

    // The point drawn farthest from any other, so the click cannot land on a neighbour.
    const target = (await tab.evaluate(`(() => {
      const points = window.siExplorer.screenPositions();
      let best = points[0];
      let bestGap = -1;
      for (const a of points) {
        let gap = Infinity;
        for (const b of points) if (b.i !== a.i) gap = Math.min(gap, (a.x - b.x) ** 2 + (a.y - b.y) ** 2);
        if (gap > bestGap) [best, bestGap] = [a, gap];
      }
      return { ...best, gap: Math.sqrt(bestGap) };
    })()`)) as { i: number; x: number; y: number; gap: number };
    assert.ok(target.gap > 6, `an isolated point to click (nearest other ${target.gap.toFixed(1)} px away)`);
    // As a user would: the pointer rests on the point (the plot tracks it per animation frame), then clicks.
    await tab.mouse.move(target.x, target.y);
    await tab.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await tab.mouse.click(target.x, target.y);
    await tab.waitForSelector('#detail-title', { timeout: 20_000 }).catch((err: Error) => {
      throw new Error(`${err.message} after a click on sample ${JSON.stringify(target)} (page: ${page})`);
    });
    assert.equal(await tab.$eval('#detail-title', (e) => e.textContent), `Sample #${target.i}`);
    assert.match(
      await tab.$eval('#detail-label', (e) => e.textContent ?? ''),
      new RegExp(`^label: ${labels[target.i]}\\b`),
    );
    assert.match(
      await tab.$eval('#detail-prediction', (e) => e.textContent ?? ''),
      /^prediction: \d \((correct|wrong)\)/,
    );
    await tab.waitForSelector('#beta-chart svg', { timeout: 20_000 });
    await tab.waitForFunction("document.querySelectorAll('#neighbours button.thumb').length === 8", {
      timeout: 20_000,
    });
    // The class filter redraws the plot with that class's samples only.
    const threes = labels.filter((y) => y === 3).length;
    await tab.select('#class-filter', '3');
    await tab.waitForFunction(
      `document.getElementById('status').textContent.startsWith('${threes} of 1,000 samples')`,
      {
        timeout: 20_000,
      },
    );
    const artefacts = path.join(projectRoot(), 'test-artifacts');
    fs.mkdirSync(artefacts, { recursive: true });
    await tab.select('#class-filter', 'all');
    await tab.screenshot({ path: path.join(artefacts, 'explorer.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no console error');
  } finally {
    await browser.close();
  }
});

test('the explorer notebook displays the page for the profile run', {
  skip: missing || LAB_MISSING,
  timeout: 300_000,
}, () => {
  const staged = path.join(tempDir('si-explorer-nb-'), 'explorer.ipynb');
  writeNotebook(staged, readNotebook(path.join(notebooksDir(), 'explorer.ipynb')));
  process.env.SI_RUNS_DIR = runsDir;
  executeNotebook(staged, 'smoke');
  const executed = readNotebook(staged);
  assert.deepEqual(errorOutputs(executed), []);
  const html = JSON.stringify(executed.cells.flatMap((c) => ('outputs' in c ? c.outputs : [])));
  assert.match(html, /<iframe srcdoc=/, 'the notebook displays the explorer in an iframe');
  assert.match(html, /si-explorer-meta/, 'the iframe holds the page');
});
