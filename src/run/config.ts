/**
 * A training run's configuration: defaults are the paper's (§3.1), every field can be overridden,
 * and the run is cached under a hash of the fields that change its results.
 *
 * @example
 *   const cfg = resolveRunConfig({ dataset: 'mnist', trainSize: 1000, epochs: 2 });
 *   runKey(cfg);   // 'mnist-3f9c…' — the run's folder name
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { canonicalModel } from '../model/network';
import type { OutputInit } from '../model/spec';
import { isNpzDataset, NPZ_PREFIX } from '../data/npz';
import { DATASET_NAMES, type DatasetName } from '../data/registry';

export { DATASET_NAMES, type DatasetName };
/**
 * Versions the run key's hash: changing it gives every run a new folder. It is not the record's
 * schema version (run/record.ts), so a record format that stays readable keeps its runs cached.
 */
const RUN_KEY_VERSION = 1;
export const OUTPUT_INITS: readonly OutputInit[] = ['zero', 'glorot'];
/**
 * Input preprocessing. 'scale-0-1': pixels / 255 (the default; the paper says nothing). 'standardise-
 * channels': then each channel shifted and scaled to mean 0, standard deviation 1 over the run's
 * training samples, the test samples with the same statistics (the common CIFAR-10 recipe).
 */
export const PREPROCESSINGS = ['scale-0-1', 'standardise-channels'] as const;
export type Preprocessing = (typeof PREPROCESSINGS)[number];

/** A registered dataset, or a user's .npz file as `npz:/absolute/path.npz` (data/npz.ts). */
export type RunDataset = DatasetName | `npz:${string}`;

export interface RunConfig {
  dataset: RunDataset;
  /** First trainSize samples of the paper's training split (50,000 for the paper). */
  trainSize: number;
  /** First testSize samples of the test split (10,000 for the paper). */
  testSize: number;
  /** The MLP's hidden widths (the paper's network); ignored by other models. */
  hidden: number[];
  /**
   * A network other than the paper's MLP: a preset (`cnn-small`) or its layers before the output,
   * as words (`conv8k3p1 relu pool flatten`, src/model/network.ts), stored in canonical spelling.
   * Absent for the MLP, so MLP runs keep their keys; `'mlp'` given here is stored as absent.
   */
  model?: string;
  lr: number;
  batchSize: number;
  epochs: number;
  weightDecay: number;
  /** Seeds the initial parameters. */
  seed: number;
  /** Seeds the per-epoch shuffles; separate from `seed` so orders and initialisations vary independently. */
  orderSeed: number;
  init: { hidden: 'glorot-uniform'; output: OutputInit };
  preprocessing: Preprocessing;
  /** `shuffle`: a fresh permutation each epoch; `fixed`: the caller's order every epoch (named for the cache). */
  order: { kind: 'shuffle' } | { kind: 'fixed'; name: string; hash: string };
  /** Parameter snapshots every k epochs (0: only the first and last). */
  snapshotEvery: number;
  /**
   * The samples' identity when they are not the dataset's published, checksum-verified files (a
   * content hash, see sampleIdentity): part of the run key, so such a run never shares a folder
   * with one on the published data. Absent for the published data.
   */
  data?: string;
  /**
   * Train on `size` of the first trainSize samples only: the positions the caller passes
   * (TrainOptions.subset), named (e.g. 'el2n-hard-0.5') and hashed for the cache, as fixed orders
   * are. Absent: all trainSize samples.
   */
  subset?: { name: string; hash: string; size: number };
  /**
   * Train on labels of which a seeded `fraction` is flipped to a uniformly drawn other class
   * (data/label-noise.ts); the flipped positions are saved with the run. Absent: clean labels.
   */
  labelNoise?: { fraction: number; seed: number };
}

/** The number of samples a run trains on: its subset's size, or trainSize. */
export function trainedSize(cfg: Pick<RunConfig, 'trainSize' | 'subset'>): number {
  return cfg.subset?.size ?? cfg.trainSize;
}

export const PAPER_DEFAULTS: Readonly<Omit<RunConfig, 'dataset'>> = {
  trainSize: 50000,
  testSize: 10000,
  hidden: [512, 512, 512],
  lr: 0.1,
  batchSize: 100,
  epochs: 50,
  weightDecay: 1e-5,
  seed: 1,
  orderSeed: 1,
  init: { hidden: 'glorot-uniform', output: 'zero' },
  preprocessing: 'scale-0-1',
  order: { kind: 'shuffle' },
  snapshotEvery: 0,
};

/**
 * Bounds beyond which a config is refused before anything is written: seeds are 32-bit, and the
 * record's arrays are [epochs, n, layers] on disk, so 10,000 epochs or 65,536-wide layers are
 * far past any sensible run while a typo (1e9 epochs) would claim terabytes.
 */
export const RUN_LIMITS = {
  maxSeed: 0xffffffff,
  maxEpochs: 10_000,
  maxWidth: 65_536,
  maxBatchSize: 1_000_000,
} as const;

export type RunConfigInput = Partial<RunConfig> & { dataset: RunDataset };

export function resolveRunConfig(input: RunConfigInput): RunConfig {
  const cfg: RunConfig = { ...PAPER_DEFAULTS, ...input, init: { ...PAPER_DEFAULTS.init, ...input.init } } as RunConfig;
  // The MLP is the default network: named or not, one run key; a layer list keys by its canonical words.
  if (cfg.model === 'mlp') delete cfg.model;
  else if (cfg.model !== undefined) cfg.model = storedModel(cfg.model);
  validateRunConfig(cfg);
  return cfg;
}

export function validateRunConfig(cfg: RunConfig): void {
  const fail = (msg: string): never => {
    throw new RangeError(`invalid run config: ${msg}`);
  };
  if (isNpzDataset(cfg.dataset)) {
    if (!path.isAbsolute(cfg.dataset.slice(NPZ_PREFIX.length))) fail(`dataset '${cfg.dataset}' needs an absolute path`);
  } else if (!DATASET_NAMES.includes(cfg.dataset))
    fail(`dataset '${cfg.dataset}' is not one of ${DATASET_NAMES.join(', ')} or npz:PATH`);
  const posInt = (v: number, name: string) =>
    (Number.isInteger(v) && v > 0) || fail(`${name} must be a positive integer, got ${v}`);
  const nonNegInt = (v: number, name: string) =>
    (Number.isInteger(v) && v >= 0) || fail(`${name} must be a non-negative integer, got ${v}`);
  const atMost = (v: number, max: number, name: string) => v <= max || fail(`${name} must be at most ${max}, got ${v}`);
  posInt(cfg.trainSize, 'trainSize');
  posInt(cfg.testSize, 'testSize');
  posInt(cfg.batchSize, 'batchSize');
  atMost(cfg.batchSize, RUN_LIMITS.maxBatchSize, 'batchSize');
  posInt(cfg.epochs, 'epochs');
  atMost(cfg.epochs, RUN_LIMITS.maxEpochs, 'epochs');
  nonNegInt(cfg.seed, 'seed');
  atMost(cfg.seed, RUN_LIMITS.maxSeed, 'seed');
  nonNegInt(cfg.orderSeed, 'orderSeed');
  atMost(cfg.orderSeed, RUN_LIMITS.maxSeed, 'orderSeed');
  nonNegInt(cfg.snapshotEvery, 'snapshotEvery');
  if (!Array.isArray(cfg.hidden) || cfg.hidden.length === 0) fail('hidden must list at least one layer width');
  cfg.hidden.forEach((h, i) => {
    posInt(h, `hidden[${i}]`);
    atMost(h, RUN_LIMITS.maxWidth, `hidden[${i}]`);
  });
  if (!(Number.isFinite(cfg.lr) && cfg.lr > 0)) fail(`lr must be a positive number, got ${cfg.lr}`);
  if (!(Number.isFinite(cfg.weightDecay) && cfg.weightDecay >= 0))
    fail(`weightDecay must be >= 0, got ${cfg.weightDecay}`);
  if (cfg.data !== undefined && !/^sha256:[0-9a-f]{16}$/.test(cfg.data))
    fail(`data must be a sampleIdentity, got ${cfg.data}`);
  if (cfg.subset !== undefined) {
    posInt(cfg.subset.size, 'subset.size');
    atMost(cfg.subset.size, cfg.trainSize, 'subset.size');
    if (!/^[0-9a-f]{16}$/.test(cfg.subset.hash)) fail(`subset.hash must be a hashOrder, got ${cfg.subset.hash}`);
  }
  if (cfg.labelNoise !== undefined) {
    const { fraction, seed } = cfg.labelNoise;
    if (!(fraction > 0 && fraction < 1)) fail(`labelNoise.fraction must lie in (0, 1), got ${fraction}`);
    nonNegInt(seed, 'labelNoise.seed');
    if (cfg.subset) fail('a run takes labelNoise or a subset, not both');
  }
  if (!PREPROCESSINGS.includes(cfg.preprocessing))
    fail(`preprocessing '${cfg.preprocessing}' is not one of ${PREPROCESSINGS.join(', ')}`);
  if (!OUTPUT_INITS.includes(cfg.init.output))
    fail(`init.output '${cfg.init.output}' is not one of ${OUTPUT_INITS.join(', ')}`);
}

/** canonicalModel, its error naming the run config. */
function storedModel(model: string): string {
  try {
    return canonicalModel(model);
  } catch (err) {
    throw new RangeError(
      `invalid run config: model '${model}' is neither mlp, cnn-small nor a layer list: ${(err as Error).message}`,
    );
  }
}

/** Stable JSON: keys sorted at every level, so equal configs hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    // Undefined fields are left out, as JSON leaves them: `{ data: undefined }` hashes like `{}`.
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The run's folder name. snapshotEvery is left out: it changes what is kept, not the results,
 * so asking a finished run for more snapshots replays its epochs rather than starting a new run.
 */
export function runKey(cfg: RunConfig): string {
  const { snapshotEvery: _ignored, ...identity } = cfg;
  const hash = createHash('sha256')
    .update(`${RUN_KEY_VERSION}:${canonicalJson(identity)}`)
    .digest('hex')
    .slice(0, 12);
  return `${datasetLabel(cfg.dataset)}-${hash}`;
}

/**
 * The dataset as a folder-name prefix: its name, or for a .npz file 'npz-' and the file's base
 * name with anything but letters, digits, '.', '_' and '-' replaced (the path is in run.json).
 */
export function datasetLabel(dataset: RunDataset): string {
  if (!isNpzDataset(dataset)) return dataset;
  return `npz-${path.basename(dataset.slice(NPZ_PREFIX.length), '.npz').replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** The run's folder under a runs folder. */
export function runDir(runsDir: string, cfg: RunConfig): string {
  return path.join(runsDir, runKey(cfg));
}

export function hashOrder(order: Int32Array): string {
  return createHash('sha256')
    .update(Buffer.from(order.buffer, order.byteOffset, order.byteLength))
    .digest('hex')
    .slice(0, 16);
}
