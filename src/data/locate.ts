/**
 * Finding a dataset's files: `<dataDir>/<folder>/<file>` (dataDir from the flag, SI_DATA_DIR or
 * data/raw/, see src/paths.ts), then the spec's fallback folders (Debian's Fashion-MNIST). A .gz
 * file may also be stored decompressed under its name without `.gz`. All of a dataset's files
 * come from one folder, never a mix.
 *
 * @example
 *   if (!datasetAvailable('mnist')) console.error(formatMissingDatasetHelp('mnist'));
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataDir as resolveDataDir } from '../paths';
import { MissingDatasetError } from './errors';
import { resolveSpec, type DatasetSpec } from './registry';

export interface LocateOptions {
  /** The data directory; default: SI_DATA_DIR, then data/raw/ (see src/paths.ts). */
  readonly dataDir?: string;
  /** Whether to look in the spec's fallback folders (default true). */
  readonly useFallbacks?: boolean;
}

export interface LocatedDataset {
  readonly folder: string;
  /** The path of each of `spec.files`, in the same order. */
  readonly paths: readonly string[];
}

/** The folder a dataset is expected in under the data directory. */
export function datasetFolder(dataset: string | DatasetSpec, dataDir?: string): string {
  return path.join(resolveDataDir(dataDir), resolveSpec(dataset).folder);
}

/** Where the dataset's files are, or throws MissingDatasetError naming what is missing. */
export function locateDataset(dataset: string | DatasetSpec, opts: LocateOptions = {}): LocatedDataset {
  const spec = resolveSpec(dataset);
  const primary = datasetFolder(spec, opts.dataDir);
  const folders = [primary, ...(opts.useFallbacks === false ? [] : spec.fallbackFolders)];
  for (const folder of folders) {
    const paths = spec.files.map((f) => findFile(folder, f.name));
    if (paths.every((p) => p !== undefined)) return { folder, paths: paths as string[] };
  }
  const missing = spec.files
    .filter((f) => findFile(primary, f.name) === undefined)
    .map((f) => path.join(primary, f.name));
  throw new MissingDatasetError(spec.name, missing, formatMissingDatasetHelp(spec, opts));
}

export function datasetAvailable(dataset: string | DatasetSpec, dataDir?: string): boolean {
  try {
    locateDataset(dataset, { dataDir });
    return true;
  } catch (err) {
    if (err instanceof MissingDatasetError) return false;
    throw err;
  }
}

/** What to tell a user whose dataset is missing: the missing files and the command that fetches them. */
export function formatMissingDatasetHelp(dataset: string | DatasetSpec, opts: LocateOptions = {}): string {
  const spec = resolveSpec(dataset);
  const primary = datasetFolder(spec, opts.dataDir);
  const missing = spec.files.filter((f) => findFile(primary, f.name) === undefined).map((f) => f.name);
  const lines = [
    `${spec.title} not found: ${primary} lacks ${missing.join(', ')}.`,
    `Fetch it with:  si download ${spec.name}`,
    `or point --data-dir / SI_DATA_DIR at a folder holding ${spec.folder}/.`,
  ];
  if (opts.useFallbacks !== false && spec.fallbackFolders.length > 0) {
    lines.push(`(Also looked in ${spec.fallbackFolders.join(', ')}.)`);
  }
  return lines.join('\n');
}

/** `name` in `folder`, or its decompressed form (name without .gz). */
function findFile(folder: string, name: string): string | undefined {
  const candidates = name.endsWith('.gz') ? [name, name.slice(0, -3)] : [name];
  return candidates.map((c) => path.join(folder, c)).find((p) => fs.existsSync(p));
}
