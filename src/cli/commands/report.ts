/**
 * `si experiments` trains a profile's runs and writes the per-figure data; `si report` does that
 * and then executes every notebook into reports/<profile>/ with an index page.
 *
 * @example
 *   si report --profile quick
 *   si experiments --profile paper --datasets mnist
 */
import { loadEngine, ENGINE_CHOICES, type EngineChoice } from '../../engine';
import { DATASET_NAMES, isDatasetName, type DatasetName } from '../../data/registry';
import { getProfile, PROFILE_NAMES } from '../../experiments/profiles';
import { runExperiments } from '../../experiments/run-experiments';
import { buildReport } from '../../report/build-report';
import { dataDir, runsDir } from '../../paths';
import { parseFlags, UsageError, type FlagTable } from '../args';
import { ProgressBar, formatDuration } from '../progress';

export const REPORT_FLAGS = {
  profile: { type: 'string', default: 'quick', choices: PROFILE_NAMES, help: 'experiment profile' },
  datasets: { type: 'string', help: `comma-separated datasets instead of the profile's (${DATASET_NAMES.join(', ')})` },
  engine: { type: 'string', default: 'auto', choices: ENGINE_CHOICES, help: 'training engine' },
  out: { type: 'string', help: 'runs folder (default: runs/ or SI_RUNS_DIR)' },
  dataDir: { type: 'string', help: 'dataset folder (default: SI_DATA_DIR, then data/raw/)' },
  finishedOnly: { type: 'bool', default: false, help: "train nothing: figures from the runs already finished (each figure's data counts them)" },
} satisfies FlagTable;

async function setUp(argv: readonly string[]) {
  const f = parseFlags(argv, REPORT_FLAGS);
  const datasets = f.datasets?.split(',').map((s) => s.trim());
  const bad = datasets?.filter((d) => !isDatasetName(d));
  if (bad && bad.length > 0) throw new UsageError(`unknown dataset ${bad.join(', ')}; valid datasets: ${DATASET_NAMES.join(', ')}`);
  const engine = await loadEngine(f.engine as EngineChoice);
  const profile = getProfile(f.profile!);
  console.error(`profile ${profile.name}: ${profile.description}\nengine: ${engine.name} (${engine.backend})`);
  const bar = new ProgressBar();
  return {
    profile,
    opts: {
      engine,
      runsDir: runsDir(f.out),
      dataDir: dataDir(f.dataDir),
      datasets: datasets as DatasetName[] | undefined,
      finishedOnly: f.finishedOnly,
      log: (line: string) => {
        bar.done();
        console.error(line);
      },
      onProgress: (p: Parameters<ProgressBar['update']>[0]) => bar.update(p),
    },
  };
}

export async function experimentsCommand(argv: readonly string[]): Promise<number> {
  const began = Date.now();
  const { profile, opts } = await setUp(argv);
  const summary = await runExperiments(profile, opts);
  console.log(`experiments (${profile.name}) done in ${formatDuration((Date.now() - began) / 1000)}: data for ${summary.datasets.join(', ') || 'no dataset'}` +
    (summary.skipped.length ? `; skipped ${summary.skipped.map((s) => s.dataset).join(', ')}` : '') +
    (summary.diverged.length ? `; diverged runs: ${summary.diverged.join(', ')}` : ''));
  return summary.datasets.length > 0 ? 0 : 1;
}

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const began = Date.now();
  const { profile, opts } = await setUp(argv);
  const index = await buildReport(profile, opts);
  console.log(`report (${profile.name}) built in ${formatDuration((Date.now() - began) / 1000)}: ${index}`);
  return 0;
}
