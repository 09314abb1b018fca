/**
 * A figure in a notebook: its frames for each dataset of a profile with the analysis settings the
 * notebook's parameters cell gives, and the closing summary with the paper's claims tested on them.
 * With the figure's default settings the frames come from its figure data, which `si experiments`
 * (or the benchmark's own command) wrote: the same computation, already done. With other settings,
 * or `from: 'runs'`, they are computed again from the profile's finished runs, so editing a setting
 * and rerunning redraws the figure.
 *
 * @example
 *   const results = await computeFigure(fig05, { profile: 'quick', settings: { clusters: 6 } });
 *   for (const r of results) tslab.display.svg(await renderSvg(fig05.spec(r.frames, { dataset: r.dataset })));
 *   tslab.display.markdown(figureSummary(fig05, results));
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frames } from '../analysis/frames';
import { datasetAvailable } from '../data/locate';
import { datasetTitle, type DatasetName } from '../data/registry';
import { seedRunStatus } from '../experiments/plan';
import { getProfile, type Profile } from '../experiments/profiles';
import { figureInputs } from '../experiments/run-experiments';
import { trainProfileRuns } from '../experiments/train-runs';
import { figureDataFile, figureDataFiles, loadFigureData } from '../figures/data-file';
import {
  benchmarkOf,
  changedSettings,
  claimApplies,
  DATASET_ORDER,
  figureApplies,
  type Figure,
  type FigureSettings,
} from '../figures/figure';
import {
  dataDir as defaultDataDir,
  defaultProfileName,
  figureDataDir,
  projectRoot,
  runsDir as defaultRunsDir,
} from '../paths';

export interface FigureResult {
  dataset: string;
  frames: Frames;
  /** The settings that differ from the figure's defaults ({} for the defaults). */
  settings: FigureSettings;
  /** Where the frames came from, in words. */
  source: string;
}

export interface ComputeFigureOptions<Settings extends FigureSettings> {
  /** A profile name or object; default: SI_PROFILE, si.config.json, then 'quick'. */
  profile?: string | Profile;
  /** Datasets to draw; default (or []): the profile's, and others with figure data, where the figure is drawn. */
  datasets?: readonly string[];
  /** Settings to change from the figure's defaults (see figure.settings and figure.settingDocs). */
  settings?: Partial<Settings>;
  /** 'auto': the figure data file with default settings, else the runs; 'runs': always the runs. */
  from?: 'auto' | 'runs';
  runsDir?: string;
  dataDir?: string;
  /** Told why a dataset is left out (default: console.log). */
  log?: (line: string) => void;
}

function relativeToRoot(file: string): string {
  return path.relative(projectRoot(), file);
}

/** Why the profile's runs of `dataset` cannot give figure data, or undefined when they can. */
function runsMissing(profile: Profile, dataset: DatasetName, runsDir: string, dataDir: string): string | undefined {
  if (!datasetAvailable(dataset, dataDir))
    return `${dataset} is not in ${dataDir}: fetch it with \`si download ${dataset}\`, or \`si config --data-dir\``;
  const seed1 = seedRunStatus(profile, dataset, runsDir);
  if (seed1 !== 'complete')
    return (
      `the ${profile.name} profile's seed-${profile.seeds[0]} ${dataset} run is ${seed1 ?? 'not trained'} ` +
      `in ${runsDir}: train it with \`si experiments --profile ${profile.name} --datasets ${dataset}\``
    );
  return undefined;
}

export async function computeFigure<Measures, Settings extends FigureSettings>(
  figure: Figure<Measures, Settings>,
  opts: ComputeFigureOptions<Settings> = {},
): Promise<FigureResult[]> {
  const profile = typeof opts.profile === 'object' ? opts.profile : getProfile(opts.profile ?? defaultProfileName());
  const runsDir = defaultRunsDir(opts.runsDir);
  const dataDir = defaultDataDir(opts.dataDir);
  const log = opts.log ?? console.log;
  const changed = changedSettings(figure, opts.settings);
  // Default: the profile's datasets and any other with figure data (a stand-in trained with --datasets).
  const withData = fs.existsSync(figureDataDir(profile.name))
    ? figureDataFiles(profile.name, figure.id).map((f) => f.dataset)
    : [];
  const asked = opts.datasets?.length ? opts.datasets : [...profile.datasets, ...withData];
  const datasets = DATASET_ORDER.filter((d) => asked.includes(d)) as DatasetName[];
  for (const d of asked) if (!DATASET_ORDER.includes(d)) throw new RangeError(`unknown dataset '${d}'`);

  const results: FigureResult[] = [];
  for (const dataset of datasets) {
    if (!figureApplies(figure, dataset)) {
      if (opts.datasets?.length)
        log(`${figure.id} is not drawn for ${dataset} (it is drawn for ${figure.paperDatasets.join(', ')})`);
      continue;
    }
    const dataFile = figureDataFile(profile.name, dataset, figure.id);
    if ((opts.from ?? 'auto') === 'auto' && Object.keys(changed).length === 0 && fs.existsSync(dataFile)) {
      const source = `the figure data in ${relativeToRoot(dataFile)}`;
      results.push({ dataset, frames: loadFigureData(dataFile), settings: changed, source });
      continue;
    }
    // Figures 11 and 12 come from their benchmarks' runs, which only the benchmark knows how to read.
    const benchmark = benchmarkOf(figure);
    if (benchmark) {
      const sweep = benchmark === 'pruning' ? 'prune' : 'noisy';
      const command = `si ${sweep} --profile ${profile.name} --datasets ${dataset}`;
      log(
        `${datasetTitle(dataset)}: no ${figure.id} data for the ${profile.name} profile yet; \`${command}\` makes it`,
      );
      continue;
    }
    const missing = runsMissing(profile, dataset, runsDir, dataDir);
    if (missing) {
      log(`${datasetTitle(dataset)}: ${missing}`);
      continue;
    }
    const runs = await trainProfileRuns(profile, dataset, { runsDir, dataDir, finishedOnly: true });
    if (figure.needs.includes('constructionRuns') && Object.values(runs.constructionRuns).every((r) => !r.length)) {
      log(`${datasetTitle(dataset)}: no batch-construction run of the ${profile.name} profile is finished yet`);
      continue;
    }
    const began = Date.now();
    const frames = figure.compute(figureInputs(dataset, runs, profile), changed as Partial<Settings>);
    const count = runs.seedRuns.length + Object.values(runs.constructionRuns).flat().length;
    const source =
      `computed now from ${count} finished run(s) in ${runsDir} ` + `(${((Date.now() - began) / 1000).toFixed(1)} s)`;
    results.push({ dataset, frames, settings: changed, source });
  }
  return results;
}

/**
 * Markdown for the notebook's closing cell: per dataset, the figure's summary and each of the
 * paper's claims tested on it, with its verdict and rule, and a link to the whole claims table.
 */
export function figureSummary(figure: Figure, results: readonly FigureResult[]): string {
  // Relative to the notebook: the kernel's folder in JupyterLab; the report's kernels run elsewhere and say where.
  const notebookDir = process.env.SI_NOTEBOOK_DIR ?? process.cwd();
  const reproduction = path
    .relative(notebookDir, path.join(projectRoot(), 'REPRODUCTION.md'))
    .split(path.sep)
    .join('/');
  if (results.length === 0) return `## What this run shows\n\nNothing computed: see the notices above.`;
  const parts = results.map((r) => {
    const title = datasetTitle(r.dataset);
    const changed = Object.entries(r.settings);
    const settings = changed.length
      ? `With ${changed.map(([k, v]) => `\`${k} = ${JSON.stringify(v)}\``).join(', ')} ` +
        "(not the figure's defaults; the claims below are tested with them). "
      : '';
    const claims = figure.claims
      .filter((c) => claimApplies(c, r.dataset))
      .map((c) => {
        const result = c.evaluate(r.frames);
        return result
          ? `- **${result.verdict}** — ${c.text}: ${result.measured}. _Rule: ${c.rule}._`
          : `- _not answerable from this data (too few runs)_ — ${c.text}.`;
      });
    return (
      `### ${title}\n\n${settings}${figure.summarize(r.frames)}\n\n` +
      (claims.length ? `**The paper's claims on ${title}:**\n\n${claims.join('\n')}\n\n` : '') +
      `_Source: ${r.source}._`
    );
  });
  // The full-size results: the paper's figures in the claims table, the benchmarks in their own section.
  const fullSize = figure.beyondPaper
    ? `The full-size results (the paper profile), per score and dataset: [REPRODUCTION.md](${reproduction}` +
      '#beyond-the-paper-pruning-and-noisy-labels).'
    : `Every claim on every dataset at full size (the paper profile): [the claims table](${reproduction}#claims).`;
  return `## What this run shows\n\n${parts.join('\n\n')}\n\n${fullSize}`;
}
