/**
 * The training and test samples a run config names: the first trainSize / testSize samples of
 * the dataset's paper split, with their official indices kept for the record, preprocessed as the
 * config says (pixels / 255, and per-channel standardisation when asked).
 *
 * @example
 *   const { train, test, classes } = loadRunData(resolveRunConfig({ dataset: 'mnist', trainSize: 1000 }));
 */
import { createHash } from 'node:crypto';
import type { TrainData } from '../engine/types';
import { loadDataset } from '../data/load';
import { takeFirst, type DataPart } from '../data/part';
import { flipLabels } from '../data/label-noise';
import { isNpzDataset, loadNpzDataset, NPZ_PREFIX, type NpzDataset } from '../data/npz';
import { standardiseChannels } from '../data/standardise';
import type { RunConfig } from './config';

export interface RunData {
  /** With flipped labels (and their positions) when the config asks for label noise. */
  train: DataPart & { readonly flipped?: Int32Array };
  test: DataPart;
  classes: number;
  classNames: readonly string[];
}

/** A content hash of the samples (features and labels, train and test), for RunConfig.data. */
export function sampleIdentity(data: { train: TrainData; test: TrainData }): string {
  const hash = createHash('sha256');
  for (const part of [data.train, data.test]) {
    for (const array of [part.x, part.y]) hash.update(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  }
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

/**
 * The config's samples. `loaded`: the dataset already in memory (a caller that read a .npz file to
 * size the run), so it is not read twice.
 */
export function loadRunData(cfg: RunConfig, dataDir?: string, loaded?: NpzDataset): RunData {
  const ds =
    loaded ??
    (isNpzDataset(cfg.dataset)
      ? loadNpzDataset(cfg.dataset.slice(NPZ_PREFIX.length))
      : loadDataset(cfg.dataset, { dataDir, split: 'paper' }));
  if (cfg.trainSize > ds.train.n)
    throw new RangeError(
      `trainSize ${cfg.trainSize} exceeds the ${ds.train.n} training samples of ${cfg.dataset}` +
        (isNpzDataset(cfg.dataset) ? '' : "'s paper split"),
    );
  if (cfg.testSize > ds.test.n)
    throw new RangeError(`testSize ${cfg.testSize} exceeds the ${ds.test.n} test samples of ${cfg.dataset}`);
  const train = cfg.trainSize === ds.train.n ? ds.train : takeFirst(ds.train, cfg.trainSize);
  const test = cfg.testSize === ds.test.n ? ds.test : takeFirst(ds.test, cfg.testSize);
  const parts = cfg.preprocessing === 'standardise-channels' ? standardiseChannels(train, test) : { train, test };
  return withLabelNoise(
    { train: parts.train, test: parts.test, classes: ds.classNames.length, classNames: ds.classNames },
    cfg.labelNoise,
  );
}

/** The data with the config's label noise applied to its training labels (unchanged without). */
export function withLabelNoise(data: RunData, noise: RunConfig['labelNoise']): RunData {
  if (!noise) return data;
  const { y, flipped } = flipLabels(data.train.y, data.classes, noise.fraction, noise.seed);
  return { ...data, train: { ...data.train, y, flipped } };
}
