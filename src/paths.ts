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
import { CONFIG_FILE_NAME, readProjectConfig, type ProjectConfig } from './project-config';

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

/** The project's settings file (./project-config.ts). */
export function projectConfigFile(): string {
  return path.join(projectRoot(), CONFIG_FILE_NAME);
}

/** Where a setting comes from: a flag, the environment, the project's settings file, or the default. */
export type SettingSource = 'flag' | 'environment' | typeof CONFIG_FILE_NAME | 'default';

/** A setting's value and where it came from, in this order: flag, environment variable, settings file, default. */
export function resolveSetting(
  key: keyof ProjectConfig,
  envVar: string,
  fallback: string,
  explicit?: string,
): { value: string; source: SettingSource } {
  if (explicit) return { value: explicit, source: 'flag' };
  const fromEnv = process.env[envVar];
  if (fromEnv) return { value: fromEnv, source: 'environment' };
  const fromFile = readProjectConfig(projectConfigFile())[key];
  if (fromFile) return { value: fromFile, source: CONFIG_FILE_NAME };
  return { value: fallback, source: 'default' };
}

/** A path setting made absolute: a flag's or variable's from the working folder, the settings file's from the root. */
function settingPath(setting: { value: string; source: SettingSource }): string {
  const fromProject = setting.source === CONFIG_FILE_NAME || setting.source === 'default';
  return fromProject ? path.resolve(projectRoot(), setting.value) : path.resolve(setting.value);
}

/**
 * Where the raw dataset files live, in this order: an explicit value (a CLI flag), the SI_DATA_DIR
 * environment variable, `dataDir` in si.config.json, then `data/raw/` in the project.
 */
export function dataDir(explicit?: string): string {
  return settingPath(resolveSetting('dataDir', 'SI_DATA_DIR', 'data/raw', explicit));
}

/** Where training runs are cached (one folder per config hash): flag, SI_RUNS_DIR, si.config.json, then runs/. */
export function runsDir(explicit?: string): string {
  return settingPath(resolveSetting('runsDir', 'SI_RUNS_DIR', 'runs', explicit));
}

/** The profile notebooks show when none is named: SI_PROFILE, `profile` in si.config.json, then 'quick'. */
export function defaultProfileName(): string {
  return resolveSetting('profile', 'SI_PROFILE', 'quick').value;
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
