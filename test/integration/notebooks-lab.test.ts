/**
 * The notebooks as a researcher uses them in JupyterLab, through the server's own API: a changed
 * setting in a figure notebook's parameters cell redraws the figure from the runs; Kernel →
 * Interrupt stops a training cell within seconds, leaves no lock, and the run resumes; opening and
 * saving a notebook (also after running it) leaves the committed file byte-identical.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { datasetAvailable } from '../../src/data/locate';
import { seedRunConfig } from '../../src/experiments/plan';
import { getProfile } from '../../src/experiments/profiles';
import { notebooksDir, projectRoot } from '../../src/paths';
import { runDir } from '../../src/run/config';
import { runLockFile } from '../../src/run/lock';
import { readRunMeta } from '../../src/run/record';
import { loadRunData } from '../../src/run/run-data';
import { trainRun } from '../../src/run/train';
import { executeNotebook } from '../../src/report/nbconvert';
import { errorOutputs, readNotebook, summaryOf, text, writeNotebook } from '../../src/report/notebook-file';
import puppeteer from 'puppeteer-core';
import { CHROMIUM } from '../support/chromium';
import { displayedSvgs, KernelSession, LAB_MISSING, startLab, type Lab } from '../support/jupyter';
import { tempDir } from '../support/tmp';

const missing = LAB_MISSING || (!datasetAvailable('mnist') && 'MNIST is not in the data directory (set SI_DATA_DIR)');
const smoke = getProfile('smoke');

/** The code cells of a committed notebook. */
function codeCells(name: string): string[] {
  return readNotebook(path.join(notebooksDir(), name))
    .cells.filter((c) => c.cell_type === 'code')
    .map((c) => text(c.source));
}

let lab: Lab | undefined;
let runsDir = '';

test.before(async () => {
  if (missing) return;
  // The smoke profile's seed-1 MNIST run: what a figure notebook recomputes from. No figure data,
  // so even the default settings are computed from the run.
  runsDir = tempDir('si-lab-runs-');
  const cfg = seedRunConfig(smoke, 'mnist', smoke.seeds[0]);
  const { train, test: held, classes } = loadRunData(cfg);
  await trainRun(cfg, { engine: await loadEngine('auto'), train, test: held, classes, runsDir });
  lab = await startLab({
    SI_PROFILE: 'smoke',
    SI_RUNS_DIR: runsDir,
    SI_FIGURE_DATA_DIR: tempDir('si-lab-figures-'),
    OPENBLAS_NUM_THREADS: '1',
  });
});

test.after(async () => {
  await lab?.stop();
});

test('a changed setting in the parameters cell redraws the figure from the runs', {
  skip: missing,
  timeout: 300_000,
}, async () => {
  assert.ok(lab);
  const [parameters, draw, tables, summary] = codeCells('fig10-tau-histogram.ipynb') as [
    string,
    string,
    string,
    string,
  ];
  const kernel = await KernelSession.open(lab, 'notebooks/fig10-tau-histogram.ipynb');
  try {
    const runAll = async (params: string) => {
      const replies = [];
      for (const cell of [params, draw, tables, summary]) replies.push(await kernel.execute(cell));
      for (const r of replies) assert.equal(r.status, 'ok', r.text);
      const bins = Number(/mnist bins: (\d+) rows/.exec(replies[2]!.text)?.[1]);
      const markdown = replies[3]!.outputs.map((m) => m.content.data?.['text/markdown'] ?? '').join('');
      return { svg: displayedSvgs(replies[1]!)[0] ?? '', source: replies[1]!.text, bins, markdown };
    };
    const before = await runAll(parameters);
    assert.match(before.source, /mnist: computed now from 1 finished run/);
    const changed = parameters.replace('binsPerDecade: 4,', 'binsPerDecade: 1,');
    assert.notEqual(changed, parameters, 'the parameters cell lists binsPerDecade with its default 4');
    const after = await runAll(changed);
    assert.ok(
      [before.svg, after.svg].every((svg) => /^<svg[\s\S]*<\/svg>\s*$/.test(svg)),
      'both runs drew the figure',
    );
    assert.notEqual(after.svg, before.svg, 'the figure changed');
    assert.ok(after.bins < before.bins, `fewer bins: ${before.bins} → ${after.bins}`);
    assert.match(after.markdown, /With `binsPerDecade = 1`/);
    assert.match(after.markdown, /\*\*(holds|partly holds|does not hold)\*\* — Most samples have small/);
  } finally {
    await kernel.close();
  }
});

test('Kernel → Interrupt stops a training cell within 5 s, leaves no lock, and the run resumes', {
  skip: missing,
  timeout: 300_000,
}, async () => {
  assert.ok(lab);
  const epochs = 12;
  const cell = `import { loadEngine, loadRunData, resolveRunConfig, runsDir, trainRun } from 'sample-importance';
const config = resolveRunConfig({ dataset: 'mnist', trainSize: 10000, testSize: 500, epochs: ${epochs} });
const { train, test, classes } = loadRunData(config);
const engine = await loadEngine('auto');
let first = 0;
let told = false;
const outcome = await trainRun(config, {
  engine, train, test, classes, runsDir: runsDir(),
  onProgress: (p) => {
    if (!first) { first = p.epoch; console.log('first epoch ' + p.epoch); }
    if (!told && p.epoch >= 3) { told = true; console.log('training epoch 3'); }
  },
});
console.log('finished with ' + outcome.meta.epochsCompleted + ' epochs');`;
  const kernel = await KernelSession.open(lab, 'notebooks/00-start-here.ipynb');
  try {
    const { resolveRunConfig } = await import('../../src/run/config');
    const dir = runDir(runsDir, resolveRunConfig({ dataset: 'mnist', trainSize: 10000, testSize: 500, epochs }));
    let interruptedAt = 0;
    let lockGoneAt = 0;
    const watch = setInterval(() => {
      if (interruptedAt && !lockGoneAt && !fs.existsSync(runLockFile(dir))) lockGoneAt = Date.now();
    }, 20);
    const reply = await kernel.execute(cell, (m) => {
      if (!interruptedAt && String(m.content.text ?? '').includes('training epoch 3')) {
        assert.ok(fs.existsSync(runLockFile(dir)), 'the run is locked while it trains');
        interruptedAt = Date.now();
        void kernel.interrupt();
      }
    });
    const replyMs = Date.now() - interruptedAt;
    for (let k = 0; k < 250 && !lockGoneAt; k++) await new Promise((r) => setTimeout(r, 20));
    clearInterval(watch);
    assert.ok(interruptedAt > 0, `the cell reached epoch 3 before it ended: ${reply.text}`);
    assert.ok(replyMs < 5000, `the cell ended ${replyMs} ms after the interrupt`);
    assert.ok(lockGoneAt > 0 && lockGoneAt - interruptedAt < 5000, `lock gone ${lockGoneAt - interruptedAt} ms after`);
    const kept = readRunMeta(dir)?.epochsCompleted ?? -1;
    assert.ok(kept >= 2 && kept < epochs, `${kept} epochs kept`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(readRunMeta(dir)?.epochsCompleted, kept, 'no training goes on behind the ended cell');

    const resumed = await kernel.execute(cell);
    assert.equal(resumed.status, 'ok', resumed.text);
    assert.match(resumed.text, new RegExp(`first epoch ${kept + 1}\\b`));
    assert.match(resumed.text, new RegExp(`finished with ${epochs} epochs`));
    console.log(
      `interrupt: cell ended after ${replyMs} ms, lock gone after ${lockGoneAt - interruptedAt} ms, ` +
        `${kept} epochs kept, resumed from epoch ${kept + 1}`,
    );
  } finally {
    await kernel.close();
  }
});

test('opening and saving every notebook, also after running it, leaves the committed file byte-identical', {
  skip: LAB_MISSING,
  timeout: 300_000,
}, async () => {
  assert.ok(lab || missing, 'the server started');
  const server = lab ?? (await startLab());
  try {
    // What JupyterLab writes into a notebook it opens: the kernel's language_info and its kernel spec.
    const kernel = await KernelSession.open(server, 'notebooks/00-start-here.ipynb');
    assert.equal((await kernel.execute('1')).status, 'ok', 'the kernel is up');
    const languageInfo = (await kernel.kernelInfo()).language_info;
    await kernel.close();
    const specs = (await (await server.api('/api/kernelspecs')).json()) as {
      kernelspecs: Record<string, { spec: { display_name: string; language: string } }>;
    };
    const tslab = specs.kernelspecs.tslab?.spec;
    assert.ok(tslab && languageInfo);
    const names = fs.readdirSync(notebooksDir()).filter((f) => f.endsWith('.ipynb'));
    assert.ok(names.length >= 12, 'the start-here, ten figure and influence notebooks');
    const save = async (route: string, content: unknown) => {
      const res = await server.api(route, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'notebook', format: 'json', content }),
      });
      assert.ok(res.ok, `saving ${route}: ${res.status} ${await res.text()}`);
    };
    for (const name of names) {
      const file = path.join(notebooksDir(), name);
      const committed = fs.readFileSync(file);
      const route = `/api/contents/notebooks/${name}`;
      const model = (await (await server.api(`${route}?content=1`)).json()) as {
        content: { metadata: Record<string, unknown>; cells: Record<string, unknown>[] };
      };
      model.content.metadata.language_info = languageInfo;
      model.content.metadata.kernelspec = { name: 'tslab', display_name: tslab.display_name, language: tslab.language };
      await save(route, model.content);
      assert.ok(fs.readFileSync(file).equals(committed), `${name} changed when opened and saved`);
      // As after Run All and autosave: outputs and counts in every code cell.
      const ran = model.content.cells.map((c, k) =>
        c.cell_type === 'code'
          ? { ...c, execution_count: k + 1, outputs: [{ output_type: 'stream', name: 'stdout', text: 'ran\n' }] }
          : c,
      );
      await save(route, { ...model.content, cells: ran });
      assert.ok(fs.readFileSync(file).equals(committed), `${name} changed when saved after running`);
    }
    // The rule is for the sources only: a notebook elsewhere keeps its outputs.
    const elsewhere = 'test-artifacts/notebooks/kept-outputs.ipynb';
    fs.mkdirSync(path.join(projectRoot(), 'test-artifacts', 'notebooks'), { recursive: true });
    const first = readNotebook(path.join(notebooksDir(), names[0]!));
    const withOutputs = first.cells.map((c) =>
      c.cell_type === 'code' ? { ...c, outputs: [{ output_type: 'stream', name: 'stdout', text: 'kept\n' }] } : c,
    );
    await save(`/api/contents/${elsewhere}`, { ...first, cells: withOutputs });
    assert.match(fs.readFileSync(path.join(projectRoot(), elsewhere), 'utf8'), /"kept\\n"/);
  } finally {
    if (!lab) await server.stop();
  }
});

test('in JupyterLab (Chromium, 1280 px): a notebook opened and saved is unchanged; screenshots', {
  skip: missing || (!CHROMIUM && 'Chromium is not installed (apt-get install chromium)'),
  timeout: 600_000,
}, async () => {
  assert.ok(lab && CHROMIUM);
  const artefacts = path.join(projectRoot(), 'test-artifacts');
  const copies = path.join(artefacts, 'notebooks');
  fs.mkdirSync(copies, { recursive: true });
  // Executed copies, as a researcher leaves them: the start-here notebook, and Figure 5 with k = 4.
  const env = { SI_RUNS_DIR: runsDir, SI_FIGURE_DATA_DIR: tempDir('si-lab-figures-'), OPENBLAS_NUM_THREADS: '1' };
  const start = path.join(copies, '00-start-here.ipynb');
  fs.copyFileSync(path.join(notebooksDir(), '00-start-here.ipynb'), start);
  const fig05 = readNotebook(path.join(notebooksDir(), 'fig05-mnist-clusters.ipynb'));
  const parameters = fig05.cells.find((c) => c.metadata.tags?.includes('parameters'));
  assert.ok(parameters);
  const edited = text(parameters.source).replace('clusters: null as number | null,', 'clusters: 4 as number | null,');
  assert.notEqual(edited, text(parameters.source));
  parameters.source = edited;
  const changed = path.join(copies, 'fig05-clusters-4.ipynb');
  writeNotebook(changed, fig05);
  Object.assign(process.env, env);
  for (const file of [start, changed]) executeNotebook(file, 'smoke');
  // Outputs one did not produce in this JupyterLab are untrusted, and JupyterLab does not render their
  // SVG; `make lab` trusts the report's executed notebooks the same way.
  execFileSync(path.join(projectRoot(), '.venv', 'bin', 'jupyter'), ['trust', start, changed], { stdio: 'ignore' });
  assert.deepEqual(errorOutputs(readNotebook(changed)), []);
  assert.match(summaryOf(readNotebook(changed)), /With `clusters = 4`/);

  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    defaultViewport: { width: 1280, height: 1000 },
  });
  try {
    /** A fresh tab on `notebook`, once its cells are drawn and its kernel is idle. */
    const open = async (notebook: string, height = 1000) => {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height });
      await page.goto(`${lab!.base}/lab/tree/${notebook}?token=${lab!.token}`, { waitUntil: 'networkidle2' });
      await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
      await page.waitForFunction("document.body.textContent.includes('TypeScript | Idle')", { timeout: 60_000 });
      // JupyterLab's first-run question about its news feed would cover part of the page.
      await page.evaluate(
        "[...document.querySelectorAll('.jp-Notification-Toast button')]" +
          ".find((b) => b.textContent.trim() === 'No')?.click()",
      );
      return page;
    };
    // A committed notebook, opened and saved (Ctrl+S) by JupyterLab itself.
    const source = path.join(notebooksDir(), '00-start-here.ipynb');
    const committed = fs.readFileSync(source);
    const savedBefore = fs.statSync(source).mtimeMs;
    const page = await open('notebooks/00-start-here.ipynb');
    // Focus without a click (a toast or the layout settling can cover the notebook): Ctrl+S acts on
    // JupyterLab's current document wherever the focus is inside it.
    await page.evaluate("document.querySelector('.jp-Notebook')?.focus()");
    await page.keyboard.down('Control');
    await page.keyboard.press('s');
    await page.keyboard.up('Control');
    for (let k = 0; k < 100 && fs.statSync(source).mtimeMs === savedBefore; k++)
      await new Promise((r) => setTimeout(r, 100));
    assert.notEqual(fs.statSync(source).mtimeMs, savedBefore, 'JupyterLab saved the notebook');
    assert.ok(fs.readFileSync(source).equals(committed), 'saving it in JupyterLab changed no byte');
    await page.close();

    for (const [notebook, shot, firstCell] of [
      ['test-artifacts/notebooks/00-start-here.ipynb', 'lab-start-here.png', 2],
      ['test-artifacts/notebooks/fig05-clusters-4.ipynb', 'lab-parameter-change.png', 1],
    ] as const) {
      const tab = await open(notebook, 1500);
      const file = path.join(artefacts, shot);
      await tab.waitForSelector('.jp-RenderedSVG, .jp-RenderedImage', { timeout: 60_000 }).catch(async (err) => {
        await tab.screenshot({ path: path.join(artefacts, `failed-${shot}`) });
        throw err;
      });
      // From the cell that matters (the training cell; the parameters cell) down to the figure below it.
      await tab.evaluate(`document.querySelectorAll('.jp-Notebook .jp-Cell')[${firstCell}].scrollIntoView()`);
      await new Promise((r) => setTimeout(r, 500));
      await tab.screenshot({ path: file });
      assert.ok(fs.statSync(file).size > 20_000, `${shot} holds a rendered notebook`);
      console.log(`screenshot: ${file}`);
      await tab.close();
    }
  } finally {
    await browser.close();
  }
});
