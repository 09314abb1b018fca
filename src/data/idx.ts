/**
 * The IDX format of MNIST and Fashion-MNIST: a 4-byte magic (0, 0, data type, number of
 * dimensions), one big-endian uint32 per dimension, then the values. Only unsigned bytes (type
 * 0x08) are supported, as those are the only ones these datasets use.
 *
 * @example
 *   const images = readIdxFile('/work/shared/data/mnist/t10k-images-idx3-ubyte.gz');
 *   console.log(images.dims); // [10000, 28, 28]
 *   const labels = readIdxLabels('/work/shared/data/mnist/t10k-labels-idx1-ubyte.gz', 10);
 *   console.log(labels[0]);   // 7
 */
import { DatasetFileError } from './errors';
import { readMaybeGzipped } from './read';

const UBYTE = 0x08;

export interface IdxArray {
  readonly dims: readonly number[];
  /** The values, row-major; a view into the file's bytes. */
  readonly data: Uint8Array;
}

/** Parses IDX bytes; `file` only names the source in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new DatasetFileError(file, `too short for an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || rank === 0) {
    throw new DatasetFileError(file, `not an IDX file: magic number 0x${hex(magic)} (expected 0x000008NN)`);
  }
  if (type !== UBYTE) {
    throw new DatasetFileError(file, `unsupported IDX data type 0x${type.toString(16)} (only unsigned bytes, 0x08)`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DatasetFileError(
      file,
      `truncated IDX header: ${rank} dimensions need ${headerBytes} bytes, file has ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw new DatasetFileError(
      file,
      `header says ${dims.join('×')} = ${expected} bytes of data, but the file holds ${actual} ` +
        `(${actual < expected ? 'truncated' : 'trailing bytes'})`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

export function readIdxFile(file: string): IdxArray {
  return parseIdx(readMaybeGzipped(file), file);
}

/** Images of an IDX3 file: checks the magic (2051) and, when given, the image size. */
export function readIdxImages(file: string, rows?: number, cols?: number): IdxArray {
  const idx = readIdxFile(file);
  if (idx.dims.length !== 3) {
    throw new DatasetFileError(
      file,
      `expected an image file (3 dimensions, magic 2051), found ${idx.dims.length} dimensions`,
    );
  }
  if ((rows !== undefined && idx.dims[1] !== rows) || (cols !== undefined && idx.dims[2] !== cols)) {
    throw new DatasetFileError(file, `images are ${idx.dims[1]}×${idx.dims[2]}, expected ${rows}×${cols}`);
  }
  return idx;
}

/** Labels of an IDX1 file (magic 2049) as int32, each checked to lie in [0, numClasses). */
export function readIdxLabels(file: string, numClasses: number): Int32Array {
  const idx = readIdxFile(file);
  if (idx.dims.length !== 1) {
    throw new DatasetFileError(
      file,
      `expected a label file (1 dimension, magic 2049), found ${idx.dims.length} dimensions`,
    );
  }
  const labels = Int32Array.from(idx.data);
  const bad = labels.findIndex((v) => v >= numClasses);
  if (bad >= 0) {
    throw new DatasetFileError(
      file,
      `label ${labels[bad]} at index ${bad} is out of range (classes 0..${numClasses - 1})`,
    );
  }
  return labels;
}

function hex(v: number): string {
  return v.toString(16).padStart(8, '0');
}
