/**
 * `si runs`: what the run cache holds — per profile, dataset and group (seed runs, each batch
 * construction), how many runs finished or diverged, their epochs, errors and compute; the runs
 * of no profile (ad-hoc `si train` runs, a notebook's) listed one by one apart.
 *
 * @example
 *   si runs --profile paper
 *   si runs --profile paper --into REPRODUCTION.md
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { isProfileRun } from '../../experiments/plan';
import { getProfile, PROFILE_NAMES } from '../../experiments/profiles';
import { readRunMetas, summarizeRuns } from '../../experiments/run-summary';
import { runsDir } from '../../paths';
import { adHocRunsMarkdown, runsMarkdown } from '../../report/runs-table';
import { UsageError } from '../errors';
import { provenance } from '../provenance';
import { replaceSectionInFile, sectionMarkers } from '../markdown-section';
import { datasetList, pathValue, runsDirOption } from '../options';

const [RUNS_BEGIN, RUNS_END] = sectionMarkers('runs');

export function runsCommand() {
  return new Command('runs')
    .description('what the run cache holds: runs per dataset and construction, their errors and compute')
    .addOption(
      new Option('--profile <name>', 'only the runs of this experiment profile (default: each profile apart)').choices(
        PROFILE_NAMES,
      ),
    )
    .addOption(runsDirOption())
    .addOption(
      new Option(
        '--datasets <names>',
        'comma-separated datasets to list (default: every dataset in the cache), e.g. those whose runs are all here',
      ).argParser(datasetList),
    )
    .addOption(
      new Option(
        '--into <file>',
        `replace the table between ${RUNS_BEGIN} and ${RUNS_END} of this file (e.g. REPRODUCTION.md)`,
      ).argParser(pathValue),
    )
    .action((o) => {
      const dir = runsDir(o.out);
      if (!fs.existsSync(dir))
        throw new UsageError(
          `no runs folder at ${dir}; train with \`si train\` or \`si experiments\`, or point --out at one`,
        );
      const metas = readRunMetas(dir).filter((m) => !o.datasets || (o.datasets as string[]).includes(m.config.dataset));
      const ofProfile = (name: string) => metas.filter((m) => isProfileRun(getProfile(name), m.config));
      let table: string;
      if (o.profile) table = runsMarkdown(summarizeRuns(ofProfile(o.profile), getProfile(o.profile).seeds));
      else {
        // Each profile's runs apart, then the runs of no profile, one by one.
        const sections = PROFILE_NAMES.filter((name) => ofProfile(name).length > 0).map(
          (name) => `## ${name} profile\n\n${runsMarkdown(summarizeRuns(ofProfile(name), getProfile(name).seeds))}`,
        );
        const adHoc = metas.filter((m) => !PROFILE_NAMES.some((name) => isProfileRun(getProfile(name), m.config)));
        sections.push(`## Runs of no profile (si train, notebooks)\n\n${adHocRunsMarkdown(adHoc)}`);
        table = sections.join('\n');
      }
      if (o.into) {
        const profile = o.profile ? ` --profile ${o.profile}` : '';
        const datasets = o.datasets ? ` --datasets ${o.datasets.join(',')}` : '';
        const command = `si runs${profile}${datasets} --into ${path.basename(o.into)}`;
        replaceSectionInFile(o.into, 'runs', `${table}\n${provenance(command)}\n`);
        console.error(`runs table updated in ${o.into}`);
      } else {
        process.stdout.write(table);
      }
    });
}
