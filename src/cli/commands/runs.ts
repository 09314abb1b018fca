/**
 * `si runs`: what the run cache holds — per dataset and group (seed runs, each batch
 * construction), how many runs finished or diverged, their errors and their compute.
 *
 * @example
 *   si runs --profile paper
 *   si runs --profile paper --into REPRODUCTION.md
 */
import * as fs from 'fs';
import { getProfile, PROFILE_NAMES } from '../../experiments/profiles';
import { isProfileRun } from '../../experiments/plan';
import { readRunMetas, summarizeRuns } from '../../experiments/run-summary';
import { runsDir } from '../../paths';
import { runsMarkdown } from '../../report/runs-table';
import { parseFlags, UsageError, type FlagTable } from '../args';
import { replaceSectionInFile, sectionMarkers } from '../markdown-section';

const [RUNS_BEGIN, RUNS_END] = sectionMarkers('runs');

export const RUNS_FLAGS = {
  profile: { type: 'string', choices: PROFILE_NAMES, help: "only the runs of this experiment profile (default: every run)" },
  out: { type: 'string', help: 'runs folder (default: runs/ or SI_RUNS_DIR)' },
  into: { type: 'string', help: `replace the table between the markers ${RUNS_BEGIN} and ${RUNS_END} of this file (e.g. REPRODUCTION.md)` },
} satisfies FlagTable;

export async function runsCommand(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, RUNS_FLAGS);
  const dir = runsDir(f.out);
  if (!fs.existsSync(dir)) throw new UsageError(`no runs folder at ${dir}; train with \`si train\` or \`si experiments\`, or point --out at one`);
  const profile = f.profile ? getProfile(f.profile) : undefined;
  const metas = readRunMetas(dir).filter((m) => !profile || isProfileRun(profile, m.config));
  const table = runsMarkdown(summarizeRuns(metas));
  if (f.into) {
    replaceSectionInFile(f.into, 'runs', table);
    console.error(`runs table updated in ${f.into}`);
  } else {
    process.stdout.write(table);
  }
  return 0;
}
