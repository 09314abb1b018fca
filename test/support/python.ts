/** Runs a snippet in the project's .venv Python (numpy), or says why it can't. */
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { venvPython } from '../../src/paths';

export function venvNumpyMissing(): string | false {
  if (!fs.existsSync(venvPython())) return `no project Python at ${venvPython()} (run make setup)`;
  try {
    execFileSync(venvPython(), ['-c', 'import numpy'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'numpy is not importable in .venv';
  }
}

export function runPython(code: string, args: string[] = []): string {
  return execFileSync(venvPython(), ['-c', code, ...args], { encoding: 'utf8' });
}
