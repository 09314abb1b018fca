/**
 * Value parsers and the options several commands share, for commander. Every value is checked,
 * with its bounds, while the command line is parsed, so a bad option stops `si` before anything
 * touches disk; the message names the option, what it needs and what it got.
 *
 * @example
 *   new Command('train').addOption(new Option('--epochs <n>', 'epochs').argParser(integer({ min: 1 })).default(50));
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { NPZ_PREFIX } from '../data/npz';
import type { RunDataset } from '../run/config';
import { DATASET_NAMES, isDatasetName, type DatasetName } from '../data/registry';
import { ENGINE_CHOICES, type EngineChoice } from '../engine';
import { PROFILE_NAMES } from '../experiments/profiles';
import { canonicalModel, MODEL_PRESETS } from '../model/network';

/** A base-10 integer in [min, max]; '1e3', '2.5' and '' are refused. */
export function integer(bounds: { min?: number; max?: number } = {}): (value: string) => number {
  return (value) => {
    if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`needs an integer, got '${value}'.`);
    return inRange(Number(value), bounds);
  };
}

/** A finite decimal number in [min, max]. */
export function decimal(bounds: { min?: number; max?: number } = {}): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError(`needs a number, got '${value}'.`);
    return inRange(v, bounds);
  };
}

function inRange(v: number, { min, max }: { min?: number; max?: number }): number {
  if (min !== undefined && v < min) throw new InvalidArgumentError(`must be at least ${min}, got ${v}.`);
  if (max !== undefined && v > max) throw new InvalidArgumentError(`must be at most ${max}, got ${v}.`);
  return v;
}

/** Comma-separated integers in [min, max], e.g. '512,512,512'. */
export function integerList(bounds: { min?: number; max?: number } = {}): (value: string) => number[] {
  const one = integer(bounds);
  return (value) => {
    if (value.trim() === '')
      throw new InvalidArgumentError('needs comma-separated integers like 512,512,512, got an empty value.');
    return value.split(',').map((part) => one(part));
  };
}

/** A file or folder path; a value that looks like an option (`--out --epochs 2`) is a missing value. */
export function pathValue(value: string): string {
  if (value.startsWith('-')) throw new InvalidArgumentError(`needs a path, got the option '${value}'.`);
  if (value.trim() === '') throw new InvalidArgumentError('needs a path, got an empty value.');
  return value;
}

/** A registered dataset's name, or `npz:FILE` for a user's .npz file (made absolute; it must exist). */
export function runDataset(value: string): RunDataset {
  if (isDatasetName(value)) return value;
  if (value.startsWith(NPZ_PREFIX)) {
    const file = path.resolve(value.slice(NPZ_PREFIX.length));
    if (!fs.existsSync(file)) throw new InvalidArgumentError(`no such file: ${file}.`);
    return `${NPZ_PREFIX}${file}`;
  }
  throw new InvalidArgumentError(`unknown dataset ${value}; valid datasets: ${DATASET_NAMES.join(', ')}, or npz:FILE.`);
}

/** Comma-separated dataset names. */
export function datasetList(value: string): DatasetName[] {
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((d) => !isDatasetName(d));
  if (unknown.length > 0)
    throw new InvalidArgumentError(
      `unknown dataset ${unknown.join(', ')}; valid datasets: ${DATASET_NAMES.join(', ')}.`,
    );
  return names as DatasetName[];
}

export const engineOption = () =>
  new Option('--engine <name>', 'training engine')
    .choices(ENGINE_CHOICES as readonly EngineChoice[])
    .default('auto' as EngineChoice);

/** A network: a preset, or layer words (src/model/network.ts), checked before anything runs. */
export function modelValue(value: string): string {
  try {
    return canonicalModel(value);
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}; or name a preset: ${MODEL_PRESETS.join(', ')}.`);
  }
}

export const modelOption = () =>
  new Option(
    '--model <network>',
    "the paper's MLP; cnn-small (conv 5×5 ×32, ×64, each pooled, dense 512); or layers before the output, " +
      "e.g. 'conv16k3p1 relu pool flatten dense64 relu'",
  )
    .argParser(modelValue)
    .default('mlp');

/** --datasets of the commands that run a profile: its datasets replaced by these. */
export const profileDatasetsOption = () =>
  new Option(
    '--datasets <names>',
    `comma-separated datasets instead of the profile's (${DATASET_NAMES.join(', ')})`,
  ).argParser(datasetList);

export const profileOption = (description = 'experiment profile') =>
  new Option('--profile <name>', description).choices(PROFILE_NAMES).default('quick');

export const allowEngineChangeOption = () =>
  new Option(
    '--allow-engine-change',
    'resume a run begun on another engine or BLAS thread count (mixes trajectories)',
  ).default(false);

export const runsDirOption = () =>
  new Option('--out <dir>', 'runs folder (default: SI_RUNS_DIR, si.config.json, then runs/)').argParser(pathValue);

export const dataDirOption = () =>
  new Option('--data-dir <dir>', 'dataset folder (default: SI_DATA_DIR, si.config.json, then data/raw/)').argParser(
    pathValue,
  );
