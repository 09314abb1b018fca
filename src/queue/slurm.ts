/**
 * A sweep on a SLURM cluster without Redis: a shell script that submits, per dataset, the seed
 * runs as one job array, the batch constructions as a second array that starts when the seed-1
 * task succeeded (`--dependency=afterok:<array>_0`), and the figure data once both arrays ended
 * (`afterany`: a failed run leaves the figures to the runs that finished). Each array task trains
 * one run with `si sweep run`, the same plan and run code as the queue's workers (./jobs.ts).
 *
 * @example
 *   fs.writeFileSync('sweep.sh', slurmScript(getProfile('paper'), ['mnist'], { runsDir: '/shared/runs' }));
 *   // bash sweep.sh   (on the login node)
 */
import type { DatasetName } from '../data/registry';
import type { Profile } from '../experiments/profiles';
import { constructionJobs, seedJobs } from './jobs';

export interface SlurmOptions {
  /** The runs folder every node shares. */
  readonly runsDir: string;
  /** How a node runs the CLI; default `npx si` (from a clone of this project). */
  readonly si?: string;
  /** Extra sbatch options for every job, e.g. '--partition=cpu --time=02:00:00'. */
  readonly sbatch?: string;
}

/** A word for the shell, in single quotes. */
function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function slurmScript(profile: Profile, datasets: readonly DatasetName[], opts: SlurmOptions): string {
  const si = opts.si ?? 'npx si';
  const sbatch = `sbatch --parsable${opts.sbatch ? ` ${opts.sbatch}` : ''}`;
  const lines = [
    '#!/usr/bin/env bash',
    `# The ${profile.name} profile on SLURM, one array task per run (written by \`si sweep --print-slurm\`).`,
    '# Run it once on the login node: it submits the jobs and prints their ids. Every node needs the',
    `# datasets (SI_DATA_DIR) and this package; ${opts.runsDir} must be shared.`,
    'set -euo pipefail',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's expansion, not ours
    'export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}',
  ];
  for (const [slot, dataset] of datasets.entries()) {
    const seeds = seedJobs(profile, dataset, slot).length;
    const constructions = constructionJobs(profile, dataset, slot).length;
    const run = (stage: string) =>
      quote(
        `${si} sweep run --profile ${profile.name} --dataset ${dataset} --stage ${stage} ` +
          `--index $SLURM_ARRAY_TASK_ID --runs-dir ${quote(opts.runsDir)}`,
      );
    const name = `si-${profile.name}-${dataset}`;
    const figureFlags = `--finished-only --out ${quote(opts.runsDir)}`;
    lines.push(
      '',
      `# ${dataset}: ${seeds} seed runs (seed 1 is task 0), ${constructions} construction runs, the figure data`,
      `seeds=$(${sbatch} --job-name=${name}-seeds --array=0-${seeds - 1} --wrap=${run('seeds')})`,
      `constructions=$(${sbatch} --job-name=${name}-constructions --dependency=afterok:\${seeds}_0 ` +
        `--array=0-${constructions - 1} --wrap=${run('constructions')})`,
      `figures=$(${sbatch} --job-name=${name}-figures --dependency=afterany:\${seeds}:\${constructions} ` +
        `--wrap=${quote(`${si} experiments --profile ${profile.name} --datasets ${dataset} ${figureFlags}`)})`,
      `echo "${dataset}: seeds $seeds, constructions $constructions, figure data $figures"`,
    );
  }
  return `${lines.join('\n')}\n`;
}
