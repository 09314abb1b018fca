/**
 * The figure notebooks are generated: one template, filled with each figure's own text from the
 * registry, written to notebooks/<id>-<notebook>.ipynb by `si notebooks`. A test fails when a
 * committed notebook differs from what this writes, so the ten notebooks never drift apart.
 *
 * @example
 *   writeNotebook(figureNotebookFile(fig02), figureNotebook(fig02));
 */
import * as path from 'node:path';
import { datasetTitle } from '../data/registry';
import { FIGURES } from '../figures';
import { figureNumber, type Figure } from '../figures/figure';
import { notebooksDir } from '../paths';
import { SUMMARY_TAG, type Notebook, type NotebookCell } from './notebook-file';

export function figureNotebookFile(figure: Figure): string {
  return path.join(notebooksDir(), `${figure.id}-${figure.notebook}.ipynb`);
}

const SETUP = `import * as tslab from 'tslab';
import { figureById, figureDataFiles, loadFigureData, renderSvg } from 'sample-importance';

const profile = process.env.SI_PROFILE ?? 'quick';
const figure = figureById('FIGURE_ID');
const inputs = figureDataFiles(profile, figure.id);
console.log(\`\${figure.title}: profile \${profile}, datasets \${inputs.map((i) => i.dataset).join(', ')}\`);`;

const DRAW =
  `if (inputs.length === 0) tslab.display.markdown(\`No \${figure.id} data in the \${profile} profile: ` +
  `run \\\`si experiments --profile \${profile}\\\` ` +
  `with a dataset this figure is drawn for (\${figure.paperDatasets.join(', ')}).\`);
for (const { dataset, file } of inputs) {
  const frames = loadFigureData(file);
  tslab.display.svg(await renderSvg(figure.spec(frames, { dataset })));
}`;

const TABLES = `// The data behind the figure, for the first dataset: each frame's size and first rows.
for (const { dataset, file } of inputs.slice(0, 1)) {
  for (const [name, frame] of Object.entries(loadFigureData(file))) {
    console.log(\`\${dataset} \${name}: \${frame.shape[0]} rows × \${frame.shape[1]} columns\`);
    frame.head(3).print();
  }
}`;

/** The closing cell's text in the source notebook; `make report` writes the run's summary there. */
export const SUMMARY_PLACEHOLDER =
  "## What this run shows\n\n_Written from the run's data by `make report`; " +
  'see `reports/<profile>/notebooks/` for the executed copy._';

/** The code cells of every figure notebook with the figure's id filled in (the unit tests type-check them). */
export function figureNotebookCode(figure: Figure): string[] {
  return [SETUP.replace('FIGURE_ID', figure.id), DRAW, TABLES];
}

export function figureNotebook(figure: Figure): Notebook {
  const intro =
    `# Figure ${figureNumber(figure)} — ${figure.title}\n\n**The paper's claim.** ${figure.claim}\n\n` +
    `The paper draws this figure for ${figure.paperDatasets.map(datasetTitle).join(', ')}. ` +
    `This notebook reads the per-figure data that ` +
    '`si experiments` wrote for the profile in `SI_PROFILE` ' +
    '(default `quick`; `make report PROFILE=paper` for the full protocol) ' +
    'and draws the figure for every dataset that has it. The tables behind it are danfojs DataFrames.';
  const code = (source: string): NotebookCell => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  });
  const cells: NotebookCell[] = [
    { cell_type: 'markdown', metadata: {}, source: intro },
    ...figureNotebookCode(figure).map(code),
    { cell_type: 'markdown', metadata: { tags: [SUMMARY_TAG] }, source: SUMMARY_PLACEHOLDER },
  ];
  return {
    cells: cells.map((cell, k) => ({ ...cell, id: `${figure.id}-${k}` })),
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { name: 'typescript' },
      si: { figure: figure.id },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Every figure's notebook file and its generated content, in numbering order. */
export function figureNotebooks(): { figure: Figure; file: string; notebook: Notebook }[] {
  return FIGURES.map((figure) => ({ figure, file: figureNotebookFile(figure), notebook: figureNotebook(figure) }));
}
