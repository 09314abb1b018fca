/**
 * The one place that knows where the project's folders are. Everything else asks here,
 * so no module carries a home path or a `../../..` guess.
 *
 * @example
 *   import { projectRoot, dataDir } from 'sample-importance/dist/paths';
 *   console.log(projectRoot(), dataDir());
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'sample-importance';

let cachedRoot: string | undefined;

/** The folder holding this package's package.json, found by walking up from the compiled file. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === PACKAGE_NAME) {
        cachedRoot = dir;
        return dir;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
    dir = parent;
  }
}

/**
 * Where the raw dataset files live, in this order: an explicit value (a CLI flag),
 * the SI_DATA_DIR environment variable, then `data/raw/` in the project.
 */
export function dataDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const fromEnv = process.env.SI_DATA_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return path.join(projectRoot(), 'data', 'raw');
}

/** Where training runs are cached (one folder per config hash); SI_RUNS_DIR overrides. */
export function runsDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const fromEnv = process.env.SI_RUNS_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return path.join(projectRoot(), 'runs');
}

/** The compiled native addon, if it was built. */
export function nativeAddonPath(): string {
  return path.join(projectRoot(), 'build', 'Release', 'si_native.node');
}

/** The project's Python environment (created by the set-up), used for benchmark peers. */
export function venvPython(): string {
  return path.join(projectRoot(), '.venv', 'bin', 'python');
}

/** Per-figure data of a profile (small JSON files, committed): figures/data/<profile>/<dataset>/<figure>.json. */
export function figureDataDir(profile: string): string {
  const fromEnv = process.env.SI_FIGURE_DATA_DIR;
  return path.join(fromEnv ? path.resolve(fromEnv) : path.join(projectRoot(), 'figures', 'data'), profile);
}

/** The figure notebooks (sources, without outputs). */
export function notebooksDir(): string {
  return path.join(projectRoot(), 'notebooks');
}

/** The HTML report and executed notebooks of a profile: reports/<profile>/. */
export function reportDir(profile: string): string {
  const fromEnv = process.env.SI_REPORTS_DIR;
  return path.join(fromEnv ? path.resolve(fromEnv) : path.join(projectRoot(), 'reports'), profile);
}
