/** A fresh temporary folder per test, removed when the process exits. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'si-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Runs `body` with figure data read from and written to a fresh temporary folder
 * (SI_FIGURE_DATA_DIR), then restores the variable: at once, or when `body`'s promise settles.
 */
export function withFigureDataDir<T>(body: () => T): T {
  const saved = process.env.SI_FIGURE_DATA_DIR;
  const restore = () => {
    if (saved === undefined) delete process.env.SI_FIGURE_DATA_DIR;
    else process.env.SI_FIGURE_DATA_DIR = saved;
  };
  process.env.SI_FIGURE_DATA_DIR = tempDir();
  let result: T;
  try {
    result = body();
  } catch (err) {
    restore();
    throw err;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
