/**
 * NumPy .npy files (format 1.0), so run records open with `numpy.load` and no project code.
 * Supports the dtypes a run record uses: float32, int32, uint8 (little-endian, C order).
 *
 * @example
 *   writeNpy('nll.npy', new Float32Array([0.1, 0.2]), [2]);
 *   const { data, shape } = readNpy('nll.npy');   // Float32Array [0.1, 0.2], [2]
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from './atomic';

export type NpyArray = Float32Array | Int32Array | Uint8Array;
export type NpyDtype = '<f4' | '<i4' | '|u1';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

export function dtypeOf(data: NpyArray): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  return '|u1';
}

/** The header bytes, padded so the data starts on a 64-byte boundary as numpy writes it. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  dict += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const header = Buffer.alloc(MAGIC.length + 4 + dict.length);
  MAGIC.copy(header, 0);
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(dict.length, 8);
  header.write(dict, 10, 'latin1');
  return header;
}

function checkShape(data: NpyArray, shape: readonly number[]): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`npy shape [${shape.join(', ')}] holds ${count} values but the array has ${data.length}`);
}

/** Writes a whole array atomically. */
export function writeNpy(file: string, data: NpyArray, shape: readonly number[]): void {
  checkShape(data, shape);
  const header = npyHeader(dtypeOf(data), shape);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  writeFileAtomic(file, Buffer.concat([header, body]));
}

export interface NpyContent {
  dtype: NpyDtype;
  shape: number[];
  data: NpyArray;
}

/** Parses a .npy file written by numpy or by writeNpy; names the file and the problem on bad input. */
export function readNpy(file: string): NpyContent {
  const bytes = fs.readFileSync(file);
  const { dtype, shape, dataOffset } = parseHeader(bytes, file);
  const count = shape.reduce((a, b) => a * b, 1);
  const width = dtype === '|u1' ? 1 : 4;
  if (bytes.length - dataOffset < count * width) {
    throw new Error(
      `${file}: npy data is truncated ` +
        `(header says [${shape.join(', ')}] ${dtype}, ${bytes.length - dataOffset} bytes present)`,
    );
  }
  // Copy into a fresh, aligned buffer: the file's data offset need not be 4-byte aligned in the pool.
  const raw = new Uint8Array(count * width);
  raw.set(bytes.subarray(dataOffset, dataOffset + count * width));
  const data = dtype === '<f4' ? new Float32Array(raw.buffer) : dtype === '<i4' ? new Int32Array(raw.buffer) : raw;
  return { dtype, shape, data };
}

/** Header fields and where the data begins; used by readers and by in-place slice writers. */
export function parseHeader(bytes: Buffer, file: string): { dtype: NpyDtype; shape: number[]; dataOffset: number } {
  const header = parseAnyHeader(bytes, file);
  const { descr } = header;
  if (descr !== '<f4' && descr !== '<i4' && descr !== '|u1') throw new Error(`${file}: unsupported npy dtype ${descr}`);
  return { dtype: descr, shape: header.shape, dataOffset: header.dataOffset };
}

/**
 * The header of a C-ordered .npy of any dtype (its numpy `descr`, e.g. '<i8'), for readers of
 * users' files (src/data/npz.ts), which accept more dtypes than a run record holds.
 */
export function parseAnyHeader(bytes: Buffer, file: string): { descr: string; shape: number[]; dataOffset: number } {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw new Error(`${file}: not a .npy file (bad magic)`);
  const major = bytes[6];
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const dict = bytes.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(dict)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (descr === undefined) throw new Error(`${file}: npy header has no dtype`);
  if (fortran !== 'False') throw new Error(`${file}: Fortran-ordered npy arrays are not supported`);
  if (shapeText === undefined) throw new Error(`${file}: npy header has no shape`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new Error(`${file}: npy header has a bad shape (${shapeText})`);
  return { descr, shape, dataOffset: start + headerLen };
}
