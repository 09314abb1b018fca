/**
 * CIFAR-10's binary batches: records of 3,073 bytes, one label byte (0–9) then the 32×32 image as
 * three planes, all R, then all G, then all B, each row-major. 10,000 records per official file.
 *
 * @example
 *   const batch = readCifarBatch('/work/shared/data/cifar-10-batches-bin/test_batch.bin');
 *   console.log(batch.n, batch.labels[0]); // 10000 3 (cat)
 */
import { DatasetFileError } from './errors';
import { readFileNamed } from './read';

export const CIFAR_IMAGE_BYTES = 32 * 32 * 3;
export const CIFAR_RECORD_BYTES = 1 + CIFAR_IMAGE_BYTES;
const CIFAR_CLASSES = 10;

export interface CifarBatch {
  readonly n: number;
  readonly labels: Int32Array;
  /** [n, 3072] bytes, each row planar R, G, B. */
  readonly pixels: Uint8Array;
}

/** Parses one batch's bytes; `file` only names the source in errors. */
export function parseCifarBatch(bytes: Uint8Array, file: string): CifarBatch {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new DatasetFileError(
      file,
      `length ${bytes.length} is not a positive multiple of the ${CIFAR_RECORD_BYTES}-byte CIFAR-10 record`,
    );
  }
  const n = bytes.length / CIFAR_RECORD_BYTES;
  const labels = new Int32Array(n);
  const pixels = new Uint8Array(n * CIFAR_IMAGE_BYTES);
  for (let i = 0; i < n; i++) {
    const at = i * CIFAR_RECORD_BYTES;
    const label = bytes[at]!;
    if (label >= CIFAR_CLASSES) {
      throw new DatasetFileError(
        file,
        `label ${label} in record ${i} is out of range (classes 0..${CIFAR_CLASSES - 1})`,
      );
    }
    labels[i] = label;
    pixels.set(bytes.subarray(at + 1, at + CIFAR_RECORD_BYTES), i * CIFAR_IMAGE_BYTES);
  }
  return { n, labels, pixels };
}

export function readCifarBatch(file: string): CifarBatch {
  return parseCifarBatch(readFileNamed(file), file);
}
