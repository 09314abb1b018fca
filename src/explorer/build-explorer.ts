/**
 * Explorer pages from run records: one for a profile (each dataset's seed-1 run, written beside the
 * report as reports/<profile>/explorer.html) and one for any run folder (what the notebook shows).
 * The samples' images and inputs are read from the dataset the run names; the final model's class
 * probabilities need an engine that can evaluate the run's model (omitted, the page says so).
 *
 * @example
 *   await writeProfileExplorer(getProfile('quick'), { runsDir: 'runs', engine });   // reports/quick/explorer.html
 *   const html = await runExplorerPage('runs/mnist-4e6abb0dbb77', { engine });     // one run's page
 */
import * as path from 'node:path';
import type { DatasetName } from '../data/registry';
import type { Engine } from '../engine/types';
import { seedRunConfig, seedRunStatus } from '../experiments/plan';
import type { Profile } from '../experiments/profiles';
import { writeFileAtomic } from '../io/atomic';
import { reportDir } from '../paths';
import { runDir } from '../run/config';
import { openRun } from '../run/open-run';
import { readRunMeta } from '../run/record';
import { loadRunData } from '../run/run-data';
import { explorerDataset, type ExplorerDataset } from './explorer-data';
import { explorerPage } from './page';

export interface ExplorerBuildOptions {
  /** Evaluates the final model for the class probabilities; omitted, the page has none. */
  readonly engine?: Engine;
  readonly dataDir?: string;
  /** k of the trajectory clusters; default 10. */
  readonly clusters?: number;
}

/** The explorer's data for the run in `dir` (complete or not: the epochs on disk). */
export async function runExplorerDataset(dir: string, opts: ExplorerBuildOptions = {}): Promise<ExplorerDataset> {
  const meta = readRunMeta(dir);
  if (!meta) throw new Error(`${dir} holds no run record (no readable run.json)`);
  const run = openRun(dir);
  const cfg = meta.config;
  const data = loadRunData(cfg, opts.dataDir);
  // Images as the dataset publishes them, also when the run trained on standardised inputs.
  const pixels =
    cfg.preprocessing === 'scale-0-1'
      ? data.train
      : loadRunData({ ...cfg, preprocessing: 'scale-0-1' }, opts.dataDir).train;
  return explorerDataset(run, {
    labels: data.train.y,
    classNames: data.classNames,
    images: { x: pixels.x, shape: pixels.shape },
    // The final model's parameters exist once the run is complete.
    predict:
      opts.engine && meta.status === 'complete'
        ? { engine: opts.engine, x: data.train.x, inputSize: data.train.inputSize, shape: data.train.shape }
        : undefined,
    clusters: opts.clusters,
  });
}

/** A self-contained explorer page for the run in `dir`. */
export async function runExplorerPage(dir: string, opts: ExplorerBuildOptions = {}): Promise<string> {
  const data = await runExplorerDataset(dir, opts);
  return explorerPage(`Sample explorer: ${data.dataset}`, `Run ${path.basename(dir)}`, [data]);
}

/** The folder of a profile's seed run on `dataset` (seed 1 unless asked): what the explorer shows. */
export function seedRunDir(profile: Profile, dataset: DatasetName, runsDir: string, seed = profile.seeds[0]!): string {
  return runDir(runsDir, seedRunConfig(profile, dataset, seed));
}

export interface ProfileExplorerOptions extends ExplorerBuildOptions {
  readonly runsDir: string;
  readonly datasets?: readonly DatasetName[];
  readonly log?: (line: string) => void;
}

/**
 * reports/<profile>/explorer.html from each dataset's finished seed-1 run; datasets whose run is not
 * finished are left out with a notice. Returns the page's path, or undefined when no run is finished.
 */
export async function writeProfileExplorer(
  profile: Profile,
  opts: ProfileExplorerOptions,
): Promise<string | undefined> {
  const log = opts.log ?? (() => undefined);
  const seed = profile.seeds[0]!;
  const datasets: ExplorerDataset[] = [];
  for (const dataset of opts.datasets ?? profile.datasets) {
    if (seedRunStatus(profile, dataset, opts.runsDir) !== 'complete') {
      log(`  explorer: ${dataset} left out, its seed-${seed} run is not finished`);
      continue;
    }
    const began = Date.now();
    const dir = seedRunDir(profile, dataset, opts.runsDir, seed);
    datasets.push(await runExplorerDataset(dir, { ...opts, clusters: opts.clusters ?? profile.clusterK[dataset] }));
    log(`  explorer: ${dataset} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  }
  if (datasets.length === 0) return undefined;
  const file = path.join(reportDir(profile.name), 'explorer.html');
  writeFileAtomic(
    file,
    explorerPage(
      `Sample explorer: ${profile.name} profile`,
      `Every training sample of each dataset's seed-${seed} run (${profile.description}).`,
      datasets,
    ),
  );
  return file;
}

/**
 * The explorer of the run in `dir` in a notebook cell (tslab): the page inside an iframe, so its
 * scripts and styles stay apart from JupyterLab's. A 10,000-sample run adds about 5 MB to the
 * notebook's outputs; clear them before committing a notebook.
 */
export async function explorerIframe(dir: string, opts: ExplorerBuildOptions & { height?: number } = {}) {
  const page = await runExplorerPage(dir, opts);
  const srcdoc = page.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe srcdoc="${srcdoc}" style="width:100%;height:${opts.height ?? 1400}px;border:0"></iframe>`;
}
