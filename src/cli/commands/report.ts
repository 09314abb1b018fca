/**
 * `si experiments` trains a profile's runs and writes the per-figure data; `si report` does that
 * and then executes every notebook into reports/<profile>/ with an index page.
 *
 * The figures and report load (danfojs, vega) only when a command runs, so `si --help` stays fast.
 *
 * @example
 *   si report --profile quick
 *   si experiments --profile paper --datasets mnist
 */
import { Command, Option } from '@commander-js/extra-typings';
import { loadEngine } from '../../engine';
import { getProfile } from '../../experiments/profiles';
import type { ExperimentOptions } from '../../experiments/run-experiments';
import { dataDir, runsDir } from '../../paths';
import {
  allowEngineChangeOption,
  dataDirOption,
  engineOption,
  profileDatasetsOption,
  profileOption,
  runsDirOption,
} from '../options';
import { formatDuration } from '../../run/progress-text';
import { ProgressBar } from '../progress';

/** `experiments` and `report` take the same options. */
function profileCommand(name: string, description: string) {
  return new Command(name)
    .description(description)
    .addOption(profileOption())
    .addOption(profileDatasetsOption())
    .addOption(engineOption())
    .addOption(runsDirOption())
    .addOption(dataDirOption())
    .addOption(
      new Option(
        '--finished-only',
        "train nothing: figures from the runs already finished (each figure's data counts them)",
      ).default(false),
    )
    .addOption(allowEngineChangeOption());
}

type ProfileFlags = ReturnType<ReturnType<typeof profileCommand>['opts']>;

async function setUp(o: ProfileFlags) {
  const engine = await loadEngine(o.engine);
  const profile = getProfile(o.profile);
  console.error(`profile ${profile.name}: ${profile.description}\nengine: ${engine.name} (${engine.backend})`);
  const bar = new ProgressBar();
  const opts: ExperimentOptions = {
    engine,
    runsDir: runsDir(o.out),
    dataDir: dataDir(o.dataDir),
    datasets: o.datasets,
    finishedOnly: o.finishedOnly,
    allowEngineChange: o.allowEngineChange,
    log: (line) => {
      bar.done();
      console.error(line);
    },
    onProgress: (p) => bar.update(p),
  };
  return { profile, opts };
}

export function experimentsCommand() {
  return profileCommand('experiments', "train a profile's runs (cached) and write the per-figure data").action(
    async (o) => {
      const began = Date.now();
      const { profile, opts } = await setUp(o);
      const { runExperiments } = await import('../../experiments/run-experiments');
      const summary = await runExperiments(profile, opts);
      console.log(
        `experiments (${profile.name}) done in ${formatDuration((Date.now() - began) / 1000)}: ` +
          `data for ${summary.datasets.join(', ') || 'no dataset'}` +
          (summary.skipped.length ? `; skipped ${summary.skipped.map((s) => s.dataset).join(', ')}` : '') +
          (summary.diverged.length ? `; diverged runs: ${summary.diverged.join(', ')}` : ''),
      );
      if (summary.datasets.length === 0) process.exitCode = 1;
    },
  );
}

export function reportCommand() {
  return profileCommand('report', 'experiments, then every notebook executed into reports/<profile>/').action(
    async (o) => {
      const began = Date.now();
      const { profile, opts } = await setUp(o);
      const { buildReport } = await import('../../report/build-report');
      const index = await buildReport(profile, opts);
      console.log(`report (${profile.name}) built in ${formatDuration((Date.now() - began) / 1000)}: ${index}`);
    },
  );
}
