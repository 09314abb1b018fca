/**
 * Loading a dataset split into memory: pixels as float32 in [0, 1] (byte / 255), labels int32.
 * Every file is first checked against the registry's checksums (hashed once per file version and
 * remembered, see verifyFilesCached): a label changed to another valid class or a batch swapped for
 * another has the right length and would otherwise train silently. Then each is checked for
 * structure (magic, dimensions against length, label range, counts against the registry).
 *
 * @example
 *   const mnist = loadDataset('mnist');                        // paper split: 50,000 / 10,000
 *   const cifar = loadDataset('cifar10', { split: 'official', dataDir: '/work/shared/data' });
 *   console.log(mnist.train.n, cifar.classNames[cifar.test.y[0]]); // 50000 'cat'
 */
import { readCifarBatch, CIFAR_IMAGE_BYTES } from './cifar';
import { DatasetFileError } from './errors';
import { readIdxImages, readIdxLabels } from './idx';
import { locateDataset, type LocateOptions } from './locate';
import { verifyFileAgain, verifyFilesCached } from './verify';
import { partFromBytes, type DataPart } from './part';
import { resolveSpec, type DatasetSpec, type OfficialPart, type SplitName } from './registry';

export interface LoadOptions extends LocateOptions {
  /** Default 'paper'. */
  readonly split?: SplitName;
  /**
   * Checksums: 'cached' (the default) hashes a file once per version; 'always' hashes every time;
   * 'never' skips them (tests of the parsers, which then see files the checksums would refuse).
   */
  readonly verify?: 'cached' | 'always' | 'never';
}

export interface LoadedDataset {
  readonly dataset: string;
  readonly split: SplitName;
  readonly classNames: readonly string[];
  /** The folder the files were read from (the data directory's or a fallback). */
  readonly folder: string;
  readonly train: DataPart;
  readonly test: DataPart;
}

export function loadDataset(dataset: string | DatasetSpec, opts: LoadOptions = {}): LoadedDataset {
  const spec = resolveSpec(dataset);
  const split = opts.split ?? 'paper';
  const counts = spec.splits[split];
  if (!counts) throw new Error(`unknown split '${split}' (known: ${Object.keys(spec.splits).join(', ')})`);
  const located = locateDataset(spec, opts);
  if (opts.verify !== 'never') verifyLocated(spec, located.paths, opts.verify === 'always');
  const loadPart = (part: OfficialPart, n: number): DataPart => {
    const raw = readOfficialPart(spec, located.paths, part);
    if (n > raw.labels.length)
      throw new Error(`${spec.title} ${split} split wants ${n} ${part} images, only ${raw.labels.length} exist`);
    return partFromBytes(raw.pixels, raw.labels, n, spec.shape, part);
  };
  return {
    dataset: spec.name,
    split,
    classNames: spec.classNames,
    folder: located.folder,
    train: loadPart('train', counts.train),
    test: loadPart('test', counts.test),
  };
}

/** Refuses a file that is not the published one, naming it and the command that fetches it again. */
function verifyLocated(spec: DatasetSpec, paths: readonly string[], always: boolean): void {
  const files = spec.files.map((file, i) => ({ path: paths[i]!, file }));
  const verdicts = always ? files.map(({ path, file }) => verifyFileAgain(path, file)) : verifyFilesCached(files);
  for (const verdict of verdicts) {
    if (!verdict.ok) {
      throw new DatasetFileError(
        verdict.path,
        `${verdict.problem}: it is not ${spec.title}'s published file; fetch it again with ` +
          `\`si download ${spec.name} --force\``,
      );
    }
  }
}

interface RawPart {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
}

/** The whole official part as bytes, checked against the registry's image shape and count. */
function readOfficialPart(spec: DatasetSpec, paths: readonly string[], part: OfficialPart): RawPart {
  const files = spec.files.map((f, i) => ({ ...f, path: paths[i]! })).filter((f) => f.part === part);
  const raw = spec.format === 'idx' ? readIdxPart(spec, files) : readCifarPart(files.map((f) => f.path));
  const expected = spec.officialCounts[part];
  if (raw.labels.length !== expected) {
    const where = files.map((f) => f.path).join(', ');
    throw new DatasetFileError(where, `${raw.labels.length} ${part} images, ${spec.title} has ${expected}`);
  }
  return raw;
}

function readIdxPart(spec: DatasetSpec, files: readonly { role: string; path: string }[]): RawPart {
  const imagesFile = files.find((f) => f.role === 'images')?.path;
  const labelsFile = files.find((f) => f.role === 'labels')?.path;
  if (!imagesFile || !labelsFile) throw new Error(`${spec.title}: the registry lacks an images or labels file`);
  const images = readIdxImages(imagesFile, spec.shape[0], spec.shape[1]);
  const labels = readIdxLabels(labelsFile, spec.classNames.length);
  if (images.dims[0] !== labels.length) {
    throw new DatasetFileError(
      imagesFile,
      `holds ${images.dims[0]} images but ${labelsFile} holds ${labels.length} labels`,
    );
  }
  return { pixels: images.data, labels };
}

function readCifarPart(paths: readonly string[]): RawPart {
  const batches = paths.map(readCifarBatch);
  const n = batches.reduce((sum, b) => sum + b.n, 0);
  const pixels = new Uint8Array(n * CIFAR_IMAGE_BYTES);
  const labels = new Int32Array(n);
  let at = 0;
  for (const b of batches) {
    pixels.set(b.pixels, at * CIFAR_IMAGE_BYTES);
    labels.set(b.labels, at);
    at += b.n;
  }
  return { pixels, labels };
}
