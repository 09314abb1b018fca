/**
 * One part (train or test) of a loaded split: what an engine trains on (TrainData) plus what
 * analyses and figures need to trace a sample back to the official dataset and draw it.
 *
 * Layout: each row of `x` is one image with its channels as separate planes (all of channel 0,
 * then channel 1, ...), each plane row-major. For 1-channel MNIST this is the plain 28×28 image;
 * CIFAR-10 keeps its published R, G, B planes, so pixel (r, c) of channel ch of sample i is
 * `x[i * inputSize + ch * h * w + r * w + c]` with [h, w, channels] = shape.
 *
 * @example
 *   const { train } = loadDataset('mnist');
 *   const first = takeFirst(train, 1000);          // keeps indices 0..999 of the official train part
 *   console.log(countLabels(first.y, 10));
 */
import type { TrainData } from '../engine/types';
import type { OfficialPart } from './registry';

export interface DataPart extends TrainData {
  /** [height, width, channels] of one image (see the layout note above). */
  readonly shape: readonly [number, number, number];
  /** For each row, its index in the official `origin` part, so subsets keep their provenance. */
  readonly indices: Int32Array;
  readonly origin: OfficialPart;
}

// Exact float32 of v / 255 for every byte, so conversion is a table look-up.
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** A part from the first `n` rows of raw bytes (pixels [rows, inputSize]) and labels. */
export function partFromBytes(
  pixels: Uint8Array,
  labels: Int32Array,
  n: number,
  shape: readonly [number, number, number],
  origin: OfficialPart,
): DataPart {
  const inputSize = shape[0] * shape[1] * shape[2];
  const x = new Float32Array(n * inputSize);
  for (let i = 0; i < x.length; i++) x[i] = BYTE_TO_UNIT[pixels[i]!]!;
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return { x, y: labels.slice(0, n), n, inputSize, shape, indices, origin };
}

/**
 * The rows at `positions` (positions in this part, in the order given). Works on any labelled rows
 * (a DataPart, a run's training split): fields other than x, y, n and indices (shape, origin) carry over.
 */
export function takeRows<P extends TrainData & { readonly indices: Int32Array }>(
  part: P,
  positions: ArrayLike<number>,
): P {
  const n = positions.length;
  const { inputSize } = part;
  const x = new Float32Array(n * inputSize);
  const y = new Int32Array(n);
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= part.n)
      throw new RangeError(`row ${p} is outside the part's ${part.n} rows`);
    x.set(part.x.subarray(p * inputSize, (p + 1) * inputSize), i * inputSize);
    y[i] = part.y[p]!;
    indices[i] = part.indices[p]!;
  }
  return { ...part, x, y, n, inputSize, indices };
}

/** The first k rows. */
export function takeFirst(part: DataPart, k: number): DataPart {
  if (!Number.isInteger(k) || k < 0 || k > part.n) throw new RangeError(`cannot take ${k} of ${part.n} rows`);
  return takeRows(
    part,
    Array.from({ length: k }, (_, i) => i),
  );
}

/**
 * A class-balanced subset without randomness: the first `perClass` rows of each class, kept in
 * their original order. Throws if some class has fewer.
 */
export function takeFirstPerClass(part: DataPart, perClass: number, numClasses: number): DataPart {
  const taken = new Array<number>(numClasses).fill(0);
  const positions: number[] = [];
  for (let i = 0; i < part.n; i++) {
    const c = part.y[i]!;
    const count = taken[c];
    // Rows labelled outside 0..numClasses-1 are not taken.
    if (count !== undefined && count < perClass) {
      taken[c] = count + 1;
      positions.push(i);
    }
  }
  const short = taken.findIndex((t) => t < perClass);
  if (short >= 0) throw new RangeError(`class ${short} has only ${taken[short]} rows, ${perClass} requested`);
  return takeRows(part, positions);
}

/** How many labels of each class 0..numClasses-1. */
export function countLabels(y: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of y) counts[label]!++;
  return counts;
}
