/**
 * Runs the project's own Jupyter (.venv) to execute a notebook on the tslab kernel and to export
 * it to HTML, with CSS that fits its figures to the page (./figure-css.ts). The profile reaches
 * the notebook through SI_PROFILE. The kernel always starts in notebooks/, because tslab resolves
 * `import … from 'sample-importance'` from its working folder (the report may be written outside
 * the project); SI_NOTEBOOK_DIR tells the notebook where it lives, for the links it writes.
 *
 * @example
 *   executeNotebook('reports/quick/notebooks/fig02.ipynb', 'quick');   // outputs written in place
 *   exportHtml('reports/quick/notebooks/fig02.ipynb', 'reports/quick');
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { notebooksDir, projectRoot } from '../paths';
import { withFigureCss } from './figure-css';

function venvBin(name: string): string {
  const bin = path.join(projectRoot(), '.venv', 'bin', name);
  if (!fs.existsSync(bin))
    throw new Error(`no ${name} at ${bin}; run \`make setup\` to create the project's Python environment`);
  return bin;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const res = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) {
    const tail = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${what} failed (exit ${res.status ?? res.signal}):\n${tail}`);
  }
}

/** Executes `file` on its kernel, writing the outputs into the same file. */
export function executeNotebook(file: string, profile: string, timeoutSeconds = 900): void {
  run(
    venvBin('python'),
    [path.join(projectRoot(), 'python', 'execute_notebook.py'), file, notebooksDir(), String(timeoutSeconds)],
    {
      SI_PROFILE: profile,
      SI_NOTEBOOK_DIR: path.dirname(path.resolve(file)),
      PATH: `${path.join(projectRoot(), '.venv', 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    },
    `executing ${path.basename(file)}`,
  );
}

export function exportHtml(executed: string, outDir: string): string {
  run(
    venvBin('jupyter'),
    ['nbconvert', '--to', 'html', '--output-dir', outDir, executed],
    {},
    `exporting ${path.basename(executed)} to HTML`,
  );
  const page = path.join(outDir, path.basename(executed).replace(/\.ipynb$/, '.html'));
  fs.writeFileSync(page, withFigureCss(fs.readFileSync(page, 'utf8')));
  return page;
}
