/**
 * `make report`: the profile's experiments, then every figure notebook executed with nbconvert
 * on the tslab kernel, exported to HTML, and an index page with every figure embedded as SVG.
 * Each executed notebook's closing markdown cell is written from the data the run produced.
 *
 * @example
 *   await buildReport(getProfile('quick'), { engine, runsDir: runsDir(), log: console.error });
 *   // → reports/quick/index.html, reports/quick/figNN-*.html, reports/quick/notebooks/*.ipynb
 */
import * as fs from 'fs';
import * as path from 'path';
import { datasetTitle } from '../data/registry';
import type { Figure } from '../figures/figure';
import { figureDataFiles, loadFigureData } from '../figures/data-file';
import type { Profile } from '../experiments/profiles';
import { runExperiments, type ExperimentOptions } from '../experiments/run-experiments';
import { writeFileAtomic } from '../io/atomic';
import { reportDir } from '../paths';
import { figureNotebooks } from './figure-notebook';
import { indexPage, type ReportSection } from './index-page';
import { executeNotebook, exportHtml } from './nbconvert';
import { errorOutputs, notebookTitle, readNotebook, setSummary, svgOutputs, writeNotebook } from './notebook-file';
/** The closing cell: per dataset, the figure's summariser run on that dataset's data file. */
export function summaryMarkdown(profile: string, figure: Figure): string {
  const parts = figureDataFiles(profile, figure.id).map(({ dataset, file }) =>
    `**${datasetTitle(dataset)}** (${profile} profile): ${figure.summarize(loadFigureData(file))}`);
  if (parts.length === 0) return `No data for this figure in the ${profile} profile yet: run \`make report PROFILE=${profile}\`.`;
  return `## What this run shows\n\n${parts.join('\n\n')}`;
}

export async function buildReport(profile: Profile, opts: ExperimentOptions & { skipExperiments?: boolean }): Promise<string> {
  const log = opts.log ?? (() => undefined);
  if (!opts.skipExperiments) await runExperiments(profile, opts);
  const outDir = reportDir(profile.name);
  const executedDir = path.join(outDir, 'notebooks');
  fs.mkdirSync(executedDir, { recursive: true });
  const sections: ReportSection[] = [];
  for (const { file, figure } of figureNotebooks()) {
    const began = Date.now();
    const nb = readNotebook(file);
    const summary = summaryMarkdown(profile.name, figure);
    setSummary(nb, summary);
    const staged = path.join(executedDir, path.basename(file));
    writeNotebook(staged, nb);
    executeNotebook(staged, profile.name);
    const executed = readNotebook(staged);
    const errors = errorOutputs(executed);
    if (errors.length > 0) throw new Error(`${path.basename(file)} raised: ${errors.join('; ')}`);
    const html = exportHtml(staged, outDir);
    sections.push({ title: notebookTitle(executed), href: path.basename(html), summaryMarkdown: summary, svgs: svgOutputs(executed) });
    log(`  ${path.basename(file)}: executed and exported (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  }
  const index = path.join(outDir, 'index.html');
  writeFileAtomic(index, indexPage(profile.name, profile.description, sections, new Date().toISOString().slice(0, 10)));
  return index;
}
