/**
 * The dataset layer: parsers (IDX, CIFAR-10 batches, tar), the registry of datasets and splits,
 * loading into float32 parts, subsets, verification and downloads. See data/README.md.
 *
 * @example
 *   import { loadDataset, takeFirst } from './data';
 *   const { train, test, classNames } = loadDataset('mnist', { split: 'paper' });
 *   const small = takeFirst(train, 1000);
 */
export * from './errors';
export * from './read';
export * from './idx';
export * from './cifar';
export { readTarGzMembers } from './archive';
export * from './checksum';
export * from './registry';
export * from './locate';
export * from './part';
export * from './load';
export * from './verify';
export * from './download';
