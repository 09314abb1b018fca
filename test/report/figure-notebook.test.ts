import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIGURES } from '../../src/figures';
import { notebooksDir } from '../../src/paths';
import { figureNotebook, figureNotebooks } from '../../src/report/figure-notebook';
import { readNotebook, serializeNotebook } from '../../src/report/notebook-file';

test('every committed figure notebook is exactly what the generator writes (`si notebooks` regenerates them)', () => {
  for (const { file, notebook } of figureNotebooks()) {
    assert.ok(fs.existsSync(file), `${file} is missing; run \`si notebooks\``);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      serializeNotebook(notebook),
      `${path.basename(file)} differs from the generator; run \`si notebooks\``,
    );
  }
});

test('notebooks/ holds one notebook per registered figure and no stray figure notebook', () => {
  const figureFiles = fs.readdirSync(notebooksDir()).filter((f) => /^fig\d+/.test(f));
  assert.deepEqual(
    figureFiles.sort(),
    figureNotebooks()
      .map((n) => path.basename(n.file))
      .sort(),
  );
});

test('notebook sources carry no outputs (executed copies live under reports/)', () => {
  for (const name of fs.readdirSync(notebooksDir()).filter((f) => f.endsWith('.ipynb'))) {
    for (const cell of readNotebook(path.join(notebooksDir(), name)).cells.filter((c) => c.cell_type === 'code')) {
      assert.deepEqual(cell.outputs, [], `${name} has outputs`);
      assert.equal(cell.execution_count, null, `${name} has an execution count`);
    }
  }
});

test("a figure notebook opens with the figure's number, title, claim and datasets, from the figure's own text", () => {
  const fig07 = FIGURES[6]!;
  const intro = figureNotebook(fig07).cells[0]!;
  assert.equal(intro.cell_type, 'markdown');
  const text = String(intro.source);
  assert.ok(text.startsWith(`# Figure 7 — ${fig07.title}\n`), text);
  assert.ok(text.includes(fig07.claim));
  assert.ok(text.includes('The paper draws this figure for MNIST, CIFAR-10.'));
  assert.match(serializeNotebook(figureNotebook(fig07)), /"figure": "fig07"/);
});

test('a figure beyond the paper says so, instead of naming no dataset', () => {
  const fig11 = FIGURES.find((f) => f.id === 'fig11')!;
  const text = String(figureNotebook(fig11).cells[0]!.source);
  assert.ok(text.includes('The paper has no such figure'), text);
  assert.ok(!text.includes('draws this figure for'), text);
});
