/**
 * `make report`: the profile's experiments, then every notebook of notebooks/ executed with
 * nbconvert on the tslab kernel and exported to HTML, an index page with every figure embedded
 * as SVG, the sample explorer (src/explorer/), and the same index in Markdown, each section
 * quoting the summary its notebook's last cell displayed. The executed notebooks and README.md are committed
 * (the code host renders them; a rebuild of unchanged results changes none of them); the HTML,
 * which embeds every figure again as base64, is built here and ignored by git.
 *
 * @example
 *   await buildReport(getProfile('quick'), { engine, runsDir: runsDir(), log: console.error });
 *   // → reports/quick/{README.md,index.html}, reports/quick/notebooks/*.{ipynb,html}
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Profile } from '../experiments/profiles';
import { runExperiments, type ExperimentOptions } from '../experiments/run-experiments';
import { writeProfileExplorer } from '../explorer/build-explorer';
import { writeFileAtomic } from '../io/atomic';
import { notebooksDir, projectRoot, reportDir } from '../paths';
import { figureNotebooks } from './figure-notebook';
import { indexMarkdown, indexPage, type ReportSection } from './index-page';
import { executeNotebook, exportHtml } from './nbconvert';
import { errorOutputs, notebookTitle, readNotebook, summaryOf, svgOutputs, writeNotebook } from './notebook-file';

/**
 * Markdown links relative to the executed notebook's folder, made relative to `toDir` (the index
 * pages quote the notebooks' summaries from another folder).
 */
export function rebaseLinks(markdown: string, fromDir: string, toDir: string): string {
  return markdown.replace(/\]\(([^)#:\s][^):\s]*)(#[^)\s]*)?\)/g, (_all, target: string, anchor = '') => {
    const moved = path.relative(toDir, path.resolve(fromDir, target)).split(path.sep).join('/');
    return `](${moved}${anchor})`;
  });
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
  // The figure notebooks in numbering order, then the others (influence) by name, except those whose
  // metadata keeps them out (the start-here tutorial trains a run of its own and shows its speed).
  const figureOf = new Map(figureNotebooks().map(({ file, figure }) => [file, figure]));
  const others = fs
    .readdirSync(notebooksDir())
    .filter((f) => f.endsWith('.ipynb'))
    .map((f) => path.join(notebooksDir(), f))
    .filter((f) => !figureOf.has(f) && (readNotebook(f).metadata.si as { report?: boolean })?.report !== false)
    .sort();
  for (const file of [...figureOf.keys(), ...others]) {
    const began = Date.now();
    const staged = path.join(executedDir, path.basename(file));
    writeNotebook(staged, readNotebook(file));
    executeNotebook(staged, profile.name);
    const executed = readNotebook(staged);
    const errors = errorOutputs(executed);
    if (errors.length > 0) throw new Error(`${path.basename(file)} raised: ${errors.join('; ')}`);
    // Beside its notebook, so that the links the notebook's cells wrote (relative to it) hold in the page too.
    const html = exportHtml(staged, executedDir);
    sections.push({
      title: notebookTitle(executed),
      href: path.relative(outDir, html),
      notebook: path.relative(outDir, staged),
      summaryMarkdown: rebaseLinks(summaryOf(executed), executedDir, outDir),
      svgs: svgOutputs(executed),
    });
    log(`  ${path.basename(file)}: executed and exported (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  }
  const explorer = await writeProfileExplorer(profile, { ...opts, log });
  const index = path.join(outDir, 'index.html');
  const claimsTable = path.relative(outDir, path.join(projectRoot(), 'REPRODUCTION.md')).split(path.sep).join('/');
  const builtAt = new Date().toISOString().slice(0, 10);
  writeFileAtomic(
    index,
    indexPage(
      profile.name,
      profile.description,
      sections,
      builtAt,
      claimsTable,
      explorer && path.relative(outDir, explorer),
    ),
  );
  writeFileAtomic(
    path.join(outDir, 'README.md'),
    indexMarkdown(profile.name, profile.description, sections, claimsTable),
  );
  return index;
}
