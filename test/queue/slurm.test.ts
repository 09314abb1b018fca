import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getProfile } from '../../src/experiments/profiles';
import { plannedJob, jobLabel } from '../../src/queue/jobs';
import { slurmScript } from '../../src/queue/slurm';
import { tempDir } from '../support/tmp';

const smoke = getProfile('smoke');

/**
 * Runs the script with a stand-in `sbatch` on PATH that logs its arguments (one line per call, NUL
 * between them) and answers job ids 101, 102, …, as `sbatch --parsable` does.
 */
function submit(script: string): string[][] {
  const dir = tempDir('si-slurm-');
  const log = path.join(dir, 'calls');
  fs.writeFileSync(
    path.join(dir, 'sbatch'),
    `#!/usr/bin/env bash\nprintf '%s\\0' "$@" >> ${log}; echo >> ${log}\necho $((100 + $(wc -l < ${log})))\n`,
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dir, 'sweep.sh'), script);
  execFileSync('bash', [path.join(dir, 'sweep.sh')], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\0').filter(Boolean));
}

test('the SLURM script submits seeds, then constructions after seed 1, then the figure data after both', () => {
  const calls = submit(
    slurmScript(smoke, ['mnist', 'cifar10'], { runsDir: "/shared/it's runs", sbatch: '--time=1:00:00' }),
  );
  assert.equal(calls.length, 6, 'three jobs per dataset');
  const [seeds, constructions, figures] = calls;
  assert.ok(seeds!.includes('--array=0-4') && seeds!.includes('--time=1:00:00'));
  assert.ok(constructions!.includes('--dependency=afterok:101_0'), 'constructions wait for seed 1 (task 0) only');
  assert.ok(constructions!.includes('--array=0-13'));
  assert.ok(figures!.includes('--dependency=afterany:101:102'), 'figure data after both arrays, whatever failed');
  // The command each task runs, quoted whole, with the runs folder quoted again for the task's shell.
  const wrap = seeds!.find((a) => a.startsWith('--wrap='))!;
  assert.equal(
    wrap,
    '--wrap=npx si sweep run --profile smoke --dataset mnist --stage seeds --index $SLURM_ARRAY_TASK_ID ' +
      "--runs-dir '/shared/it'\\''s runs'",
  );
  assert.ok(calls[4]!.includes('--dependency=afterok:104_0'), "the second dataset's chain is its own");
});

test('array task k runs the k-th job of its stage; an index past the plan is refused', () => {
  assert.equal(jobLabel(plannedJob(smoke, 'mnist', 'seeds', 0)), 'mnist seed 1');
  assert.equal(jobLabel(plannedJob(smoke, 'mnist', 'seeds', 4)), 'mnist seed 3, order seed 3');
  assert.equal(jobLabel(plannedJob(smoke, 'mnist', 'constructions', 13)), 'mnist SIM run 2');
  assert.throws(
    () => plannedJob(smoke, 'mnist', 'constructions', 14),
    /has 14 constructions runs per dataset \(index 0–13\), not 14/,
  );
});

test("a task's shell gets the runs folder as one word, and its own array index", () => {
  const calls = submit(slurmScript(smoke, ['mnist'], { runsDir: "/shared/it's runs", si: "printf '<%s>'" }));
  const wrap = calls[0]!.find((a) => a.startsWith('--wrap='))!.slice('--wrap='.length);
  const out = execFileSync('bash', ['-c', wrap], {
    env: { ...process.env, SLURM_ARRAY_TASK_ID: '3' },
    encoding: 'utf8',
  });
  assert.equal(
    out,
    "<sweep><run><--profile><smoke><--dataset><mnist><--stage><seeds><--index><3><--runs-dir></shared/it's runs>",
  );
});
