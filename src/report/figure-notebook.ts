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

/** What tslab's kernel reports as its language; JupyterLab writes it into a notebook it opens. */
export const TSLAB_LANGUAGE_INFO = {
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
  file_extension: '.ts',
  mimetype: 'text/typescript',
  name: 'typescript',
  version: '3.7.2',
};

/** A setting's default as TypeScript: `null as number | null` for the per-dataset ones (typed for editing). */
function settingLiteral(figure: Figure, name: string): string {
  const value = figure.settings[name];
  if (value !== null) return JSON.stringify(value).replace(/"/g, "'");
  return name === 'className' ? 'null as string | null' : 'null as number | null';
}

/** The parameters cell: profile, datasets and the figure's settings with their defaults and doc lines. */
function parametersCell(figure: Figure): string {
  const names = Object.keys(figure.settings);
  const settings = names.length
    ? `const settings = {\n${names
        .map((name) => `  // ${figure.settingDocs[name]}\n  ${name}: ${settingLiteral(figure, name)},`)
        .join('\n')}\n};`
    : '// This figure has no analysis settings.\nconst settings = {};';
  return [
    '// Parameters: edit, then Run → Run All Cells. With the default settings the figure is drawn',
    '// from its figure data (figures/data/<profile>/); changed settings recompute it from the runs.',
    "import { defaultProfileName } from 'sample-importance';",
    '',
    "// 'quick', 'paper' or 'smoke'; the default is SI_PROFILE, or `si config --profile`",
    'const profile = defaultProfileName();',
    "// [] = the profile's datasets (and others with figure data) this figure is drawn for",
    'const datasets: string[] = [];',
    settings,
  ].join('\n');
}

function drawCell(figure: Figure): string {
  return `import * as tslab from 'tslab';
import { computeFigure, ${figure.id}, renderSvg } from 'sample-importance';

const figure = ${figure.id};
// Not { profile, datasets, settings }: tslab loses shorthand properties of other cells' names.
const results = await computeFigure(figure, { profile: profile, datasets: datasets, settings: settings });
for (const { dataset, frames, source } of results) {
  console.log(\`\${dataset}: \${source}\`);
  tslab.display.svg(await renderSvg(figure.spec(frames, { dataset })));
}`;
}

const TABLES = `// The data behind the figure (danfojs DataFrames), first dataset: each frame's size and first rows.
for (const { dataset, frames } of results.slice(0, 1)) {
  for (const [name, frame] of Object.entries(frames)) {
    console.log(\`\${dataset} \${name}: \${frame.shape[0]} rows × \${frame.shape[1]} columns\`);
    frame.head(3).print();
  }
}`;

const SUMMARY = `// What the computed data shows, and the paper's claims tested on it.
import { figureSummary } from 'sample-importance';

tslab.display.markdown(figureSummary(figure, results));`;

/** The code cells of a figure notebook, in order (the unit tests type-check them). */
export function figureNotebookCode(figure: Figure): string[] {
  return [parametersCell(figure), drawCell(figure), TABLES, SUMMARY];
}

export function figureNotebook(figure: Figure): Notebook {
  const intro =
    `# Figure ${figureNumber(figure)} — ${figure.title}\n\n**The paper's claim.** ${figure.claim}\n\n` +
    (figure.beyondPaper
      ? 'The paper has no such figure: it tests what the paper leaves to future work. '
      : `The paper draws this figure for ${figure.paperDatasets.map(datasetTitle).join(', ')}. `) +
    "This notebook draws it for each dataset of a profile's runs (default `quick`; " +
    '`make report PROFILE=paper` runs the full protocol). Change the profile, the datasets or the ' +
    "figure's analysis settings in the parameters cell and run all cells: the figure, its tables " +
    "and the closing summary with the paper's claims are computed again.";
  const code = (source: string): NotebookCell => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  });
  const [parameters, draw, tables, summary] = figureNotebookCode(figure) as [string, string, string, string];
  const cells: NotebookCell[] = [
    { cell_type: 'markdown', metadata: {}, source: intro },
    { ...code(parameters), metadata: { tags: ['parameters'] } },
    code(draw),
    code(tables),
    { ...code(summary), metadata: { tags: [SUMMARY_TAG] } },
  ];
  return {
    cells: cells.map((cell, k) => ({ ...cell, id: `${figure.id}-${k}` })),
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: TSLAB_LANGUAGE_INFO,
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
