/**
 * `make report`: the profile's experiments, then every notebook of notebooks/ executed with
 * nbconvert on the tslab kernel and exported to HTML, an index page with every figure embedded
 * as SVG, and the same index in Markdown. Each executed figure notebook's closing markdown cell is
 * written from the data the run produced. The executed notebooks and README.md are committed
 * (the code host renders them; a rebuild of unchanged results changes none of them); the HTML,
 * which embeds every figure again as base64, is built here and ignored by git.
 *
 * @example
 *   await buildReport(getProfile('quick'), { engine, runsDir: runsDir(), log: console.error });
 *   // → reports/quick/README.md, reports/quick/notebooks/*.ipynb, reports/quick/index.html, reports/quick/*.html
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetTitle } from '../data/registry';
import type { Figure } from '../figures/figure';
import { figureDataFiles, loadFigureData } from '../figures/data-file';
import type { Profile } from '../experiments/profiles';
import { runExperiments, type ExperimentOptions } from '../experiments/run-experiments';
import { writeFileAtomic } from '../io/atomic';
import { notebooksDir, reportDir } from '../paths';
import { figureNotebooks } from './figure-notebook';
import { indexMarkdown, indexPage, type ReportSection } from './index-page';
import { executeNotebook, exportHtml } from './nbconvert';
import {
  errorOutputs,
  notebookTitle,
  readNotebook,
  setSummary,
  summaryOf,
  svgOutputs,
  writeNotebook,
} from './notebook-file';

/** The closing cell: per dataset, the figure's summariser run on that dataset's data file. */
export function summaryMarkdown(profile: string, figure: Figure): string {
  const parts = figureDataFiles(profile, figure.id).map(
    ({ dataset, file }) =>
      `**${datasetTitle(dataset)}** (${profile} profile): ${figure.summarize(loadFigureData(file))}`,
  );
  if (parts.length === 0)
    return `No data for this figure in the ${profile} profile yet: run \`make report PROFILE=${profile}\`.`;
  return `## What this run shows\n\n${parts.join('\n\n')}`;
}

export async function buildReport(
  profile: Profile,
  opts: ExperimentOptions & { skipExperiments?: boolean },
): Promise<string> {
  const log = opts.log ?? (() => undefined);
  if (!opts.skipExperiments) await runExperiments(profile, opts);
  const outDir = reportDir(profile.name);
  const executedDir = path.join(outDir, 'notebooks');
  fs.mkdirSync(executedDir, { recursive: true });
  const sections: ReportSection[] = [];
  // The figure notebooks in numbering order, then the others (influence) by name.
  const figureOf = new Map(figureNotebooks().map(({ file, figure }) => [file, figure]));
  const others = fs
    .readdirSync(notebooksDir())
    .filter((f) => f.endsWith('.ipynb'))
    .map((f) => path.join(notebooksDir(), f))
    .filter((f) => !figureOf.has(f))
    .sort();
  for (const file of [...figureOf.keys(), ...others]) {
    const began = Date.now();
    const nb = readNotebook(file);
    const figure = figureOf.get(file);
    const summary = figure ? summaryMarkdown(profile.name, figure) : summaryOf(nb);
    if (figure) setSummary(nb, summary);
    const staged = path.join(executedDir, path.basename(file));
    writeNotebook(staged, nb);
    executeNotebook(staged, profile.name);
    const executed = readNotebook(staged);
    const errors = errorOutputs(executed);
    if (errors.length > 0) throw new Error(`${path.basename(file)} raised: ${errors.join('; ')}`);
    const html = exportHtml(staged, outDir);
    const notebook = path.relative(outDir, staged);
    sections.push({
      title: notebookTitle(executed),
      href: path.basename(html),
      notebook,
      summaryMarkdown: summary,
      svgs: svgOutputs(executed),
    });
    log(`  ${path.basename(file)}: executed and exported (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  }
  const index = path.join(outDir, 'index.html');
  writeFileAtomic(index, indexPage(profile.name, profile.description, sections, new Date().toISOString().slice(0, 10)));
  writeFileAtomic(path.join(outDir, 'README.md'), indexMarkdown(profile.name, profile.description, sections));
  return index;
}
