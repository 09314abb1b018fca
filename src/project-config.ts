/**
 * The project's own settings file, `si.config.json` at the project root (not committed: each
 * clone says where its data is). The library reads it itself, so a notebook kernel, a script and
 * the CLI find the same folders whatever shell started them; an environment variable still wins.
 * Relative paths are taken from the project root. Written by `si config` (and `make lab`).
 *
 * @example
 *   // si.config.json: { "dataDir": "../shared/data", "runsDir": "runs", "profile": "quick" }
 *   projectSetting('dataDir');   // '/home/me/shared/data'
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from './io/atomic';

export const CONFIG_FILE_NAME = 'si.config.json';

export interface ProjectConfig {
  /** Where the datasets are (SI_DATA_DIR wins). */
  dataDir?: string;
  /** Where training runs are cached (SI_RUNS_DIR wins). */
  runsDir?: string;
  /** The profile notebooks open by default (SI_PROFILE wins). */
  profile?: string;
}

const KEYS: readonly (keyof ProjectConfig)[] = ['dataDir', 'runsDir', 'profile'];

/** The settings in `file`, checked: an unreadable or malformed file is an error that names it. */
export function readProjectConfig(file: string): ProjectConfig {
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); fix it or remove it`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file} must hold a JSON object like {"dataDir": "data/raw"}`);
  const config: ProjectConfig = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!KEYS.includes(key as keyof ProjectConfig))
      throw new Error(`${file}: unknown setting '${key}' (known: ${KEYS.join(', ')})`);
    if (typeof value !== 'string' || value === '')
      throw new Error(`${file}: '${key}' must be a non-empty string, not ${JSON.stringify(value)}`);
    config[key as keyof ProjectConfig] = value;
  }
  return config;
}

/** Merges `changes` into `file` (keys set to undefined are removed) and returns the result. */
export function updateProjectConfig(file: string, changes: Partial<Record<keyof ProjectConfig, string | undefined>>) {
  const config: ProjectConfig = { ...readProjectConfig(file) };
  for (const key of KEYS) {
    if (!(key in changes)) continue;
    const value = changes[key];
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
  return config;
}
