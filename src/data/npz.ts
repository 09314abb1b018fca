/**
 * A user's own dataset as one NumPy .npz file (`np.savez(path, x=…, y=…, x_test=…, y_test=…)`),
 * named `npz:PATH` wherever a dataset is. `x` is float32 (used as is) or uint8 (divided by 255),
 * [n, features], [n, h, w] or [n, h, w, c] (c ≤ 4, channels last, stored as planes like CIFAR-10);
 * `y` holds integer labels 0 … K−1. Without `x_test` and `y_test`, a seeded 10% of the samples
 * (at least one) are held out as the test part. Everything is checked on load, and a problem is an
 * error naming the file, the key and what is wrong.
 *
 * @example
 *   const { train, test, classNames } = loadNpzDataset('/data/mine.npz');
 *   train.n;   // samples in x (or 90% of them)
 */
import * as fs from 'node:fs';
import { unzipSync } from 'fflate';
import { parseAnyHeader } from '../io/npy';
import { Rng } from '../util/rng';
import { DatasetFileError } from './errors';
import { takeRows, type DataPart } from './part';

/** The dataset name prefix of a user's .npz file. */
export const NPZ_PREFIX = 'npz:';

export function isNpzDataset(name: string): name is `npz:${string}` {
  return name.startsWith(NPZ_PREFIX) && name.length > NPZ_PREFIX.length;
}

export interface NpzDataset {
  readonly dataset: string;
  readonly classNames: readonly string[];
  readonly train: DataPart;
  readonly test: DataPart;
}

interface Member {
  readonly descr: string;
  readonly shape: number[];
  readonly bytes: Uint8Array;
}

const INTEGER_DTYPES = ['|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8'];

function readMember(file: string, key: string, raw: Uint8Array): Member {
  const where = `${file} [${key}]`;
  const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const { descr, shape, dataOffset } = parseAnyHeader(buffer, where);
  const width = Number(descr.slice(2));
  const count = shape.reduce((a, b) => a * b, 1);
  if (buffer.length - dataOffset < count * width)
    throw new DatasetFileError(file, `${key} is truncated: its header says [${shape.join(', ')}] ${descr}`);
  return { descr, shape, bytes: raw.slice(dataOffset, dataOffset + count * width) };
}

/** Features as float32 in the part layout (channel planes), checking dtype, shape and finiteness. */
function features(file: string, key: string, m: Member): { x: Float32Array; shape: [number, number, number] } {
  const fail = (problem: string): never => {
    throw new DatasetFileError(file, `${key} ${problem}`);
  };
  if (m.descr !== '<f4' && m.descr !== '|u1')
    fail(`has dtype ${m.descr}; it must be float32 or uint8 (cast with x.astype(np.float32))`);
  const [n, ...rest] = m.shape;
  if (n === undefined || rest.length === 0 || rest.length > 3)
    fail(`has shape [${m.shape.join(', ')}]; it must be [n, features], [n, h, w] or [n, h, w, c]`);
  if (n === 0) fail('is empty (no samples)');
  if (rest.length === 3 && rest[2]! > 4)
    fail(`has shape [${m.shape.join(', ')}]; images must be channels last with at most 4 channels`);
  if (rest.some((d) => d === 0)) fail(`has shape [${m.shape.join(', ')}], with no features per sample`);
  const shape: [number, number, number] =
    rest.length === 1 ? [1, rest[0]!, 1] : [rest[0]!, rest[1]!, rest.length === 3 ? rest[2]! : 1];
  const values =
    m.descr === '<f4' ? new Float32Array(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength / 4) : m.bytes;
  const x = new Float32Array(values.length);
  const [h, w, c] = shape;
  const plane = h * w;
  // Channels last in the file, channel planes in memory (the layout every DataPart uses).
  for (let k = 0; k < values.length; k++) {
    const v = m.descr === '|u1' ? values[k]! / 255 : values[k]!;
    if (!Number.isFinite(v)) fail(`holds a non-finite value (${v}) at flat index ${k}`);
    const sample = Math.floor(k / (plane * c));
    const within = k % (plane * c);
    x[sample * plane * c + (within % c) * plane + Math.floor(within / c)] = v;
  }
  return { x, shape };
}

/** Labels as int32, checking dtype, shape and range. */
function labels(file: string, key: string, m: Member, n: number): Int32Array {
  const fail = (problem: string): never => {
    throw new DatasetFileError(file, `${key} ${problem}`);
  };
  if (!INTEGER_DTYPES.includes(m.descr)) fail(`has dtype ${m.descr}; labels must be integers`);
  if (m.shape.length !== 1 || m.shape[0] !== n) fail(`has shape [${m.shape.join(', ')}]; it must be [${n}]`);
  const width = Number(m.descr.slice(2));
  const view = new DataView(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  const signed = m.descr[1] === 'i';
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * width;
    const v =
      width === 1
        ? signed
          ? view.getInt8(at)
          : view.getUint8(at)
        : width === 2
          ? signed
            ? view.getInt16(at, true)
            : view.getUint16(at, true)
          : width === 4
            ? signed
              ? view.getInt32(at, true)
              : view.getUint32(at, true)
            : Number(signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true));
    if (!(v >= 0 && v < 65536)) fail(`holds label ${v} at position ${i}; labels must be 0 … K−1`);
    y[i] = v;
  }
  return y;
}

/** A part of all the rows of one array pair. */
function part(x: Float32Array, y: Int32Array, shape: [number, number, number], origin: 'train' | 'test'): DataPart {
  const n = y.length;
  return { x, y, n, inputSize: x.length / n, shape, indices: Int32Array.from({ length: n }, (_, i) => i), origin };
}

export function loadNpzDataset(file: string): NpzDataset {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(fs.readFileSync(file));
  } catch (err) {
    throw new DatasetFileError(file, `is not a readable .npz file (${(err as Error).message})`);
  }
  const get = (key: string) => {
    const raw = members[`${key}.npy`];
    return raw && readMember(file, key, raw);
  };
  const [xm, ym, xtm, ytm] = [get('x'), get('y'), get('x_test'), get('y_test')];
  if (!xm || !ym)
    throw new DatasetFileError(
      file,
      `needs arrays x and y (it has ${Object.keys(members).join(', ') || 'none'}); ` +
        'save it with np.savez(path, x=…, y=…)',
    );
  if (!xtm !== !ytm) throw new DatasetFileError(file, 'has one of x_test and y_test without the other');
  const all = features(file, 'x', xm);
  const y = labels(file, 'y', ym, xm.shape[0]!);
  let train: DataPart;
  let test: DataPart;
  if (xtm && ytm) {
    const t = features(file, 'x_test', xtm);
    if (t.shape.join() !== all.shape.join())
      throw new DatasetFileError(
        file,
        `x_test's samples have shape [${xtm.shape.slice(1).join(', ')}], x's [${xm.shape.slice(1).join(', ')}]`,
      );
    train = part(all.x, y, all.shape, 'train');
    test = part(t.x, labels(file, 'y_test', ytm, xtm.shape[0]!), t.shape, 'test');
  } else {
    const n = y.length;
    if (n < 2) throw new DatasetFileError(file, 'has one sample and no x_test: nothing to hold out as the test part');
    // A seeded draw, not the last rows: a file sorted by class would otherwise test on classes never trained.
    const isTest = new Uint8Array(n);
    for (const i of new Rng(1).permutation(n).subarray(0, Math.max(1, Math.floor(n / 10)))) isTest[i] = 1;
    const rows = (test: boolean) => Int32Array.from(isTest.keys()).filter((i) => (isTest[i] === 1) === test);
    // Rows of x, numbered as in x: the held-out ones keep their row numbers as indices too.
    const everything = part(all.x, y, all.shape, 'train');
    train = takeRows(everything, rows(false));
    test = { ...takeRows(everything, rows(true)), origin: 'test' };
  }
  const classes = [train.y, test.y].reduce((k, ys) => ys.reduce((a, v) => Math.max(a, v + 1), k), 0);
  if (classes < 2) throw new DatasetFileError(file, 'has a single class in y; classification needs two or more');
  return {
    dataset: `${NPZ_PREFIX}${file}`,
    classNames: Array.from({ length: classes }, (_, c) => String(c)),
    train,
    test,
  };
}
