/**
 * Runs the project's own Jupyter (.venv) to execute a notebook on the tslab kernel and to export
 * it to HTML. The profile reaches the notebook through SI_PROFILE.
 *
 * @example
 *   executeNotebook('notebooks/fig02.ipynb', 'reports/quick/notebooks', 'quick');
 *   exportHtml('reports/quick/notebooks/fig02.ipynb', 'reports/quick');
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../paths';

function jupyter(): string {
  const bin = path.join(projectRoot(), '.venv', 'bin', 'jupyter');
  if (!fs.existsSync(bin)) throw new Error(`no Jupyter at ${bin}; run \`make setup\` to create the project's Python environment`);
  return bin;
}

function run(args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const res = spawnSync(jupyter(), args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) {
    const tail = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${what} failed (exit ${res.status ?? res.signal}):\n${tail}`);
  }
}

/** Executes `source` into `outDir` (same file name); the source stays output-free. */
export function executeNotebook(source: string, outDir: string, profile: string, timeoutSeconds = 900): string {
  fs.mkdirSync(outDir, { recursive: true });
  run(
    ['nbconvert', '--execute', '--to', 'notebook', `--ExecutePreprocessor.timeout=${timeoutSeconds}`, '--output-dir', outDir, source],
    { SI_PROFILE: profile, PATH: `${path.join(projectRoot(), '.venv', 'bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    `executing ${path.basename(source)}`,
  );
  return path.join(outDir, path.basename(source));
}

export function exportHtml(executed: string, outDir: string): string {
  run(['nbconvert', '--to', 'html', '--output-dir', outDir, executed], {}, `exporting ${path.basename(executed)} to HTML`);
  return path.join(outDir, path.basename(executed).replace(/\.ipynb$/, '.html'));
}
