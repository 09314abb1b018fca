/**
 * The sample explorer's data for one run, packed for a self-contained page: typed arrays laid end
 * to end in one buffer (each at a 4-byte boundary), deflated (fflate) and base64-encoded, with a
 * JSON manifest naming each array's type, offset and length. Per point, a page carries bytes, not a
 * JSON object: at the paper profile's 50,000 samples × 50 epochs × 4 layers, β over epochs is
 * 10 MB as one log-scaled byte per value and would be ~10× that as JSON numbers.
 *
 * β and the per-epoch NLL are stored as log10 codes: 0 means at or below `lo` (and exact 0), 1–255
 * spread log10 linearly over [lo, hi]. A step is (hi − lo) / 254 decades (~0.04 over 10 decades,
 * a 10% relative step), fine for a line chart on a log axis and for distances between trajectories.
 *
 * @example
 *   const packed = packArrays({ labels: new Uint8Array([3, 1]), tau: new Float32Array([0.5, 2]) });
 *   packed.manifest;   // [{ name: 'labels', type: 'u8', offset: 0, length: 2 },
 *                      //  { name: 'tau', type: 'f32', offset: 4, length: 2 }]
 *   unpackArrays(packed).tau;   // Float32Array [0.5, 2]
 */
import { unzlibSync, zlibSync } from 'fflate';
import type { LogScale, PackedEntry, PackedType } from './page-meta';

export type PackableArray = Uint8Array | Int32Array | Float32Array;

export interface PackedArrays {
  readonly manifest: PackedEntry[];
  /** The deflated buffer, base64. */
  readonly base64: string;
  /** Bytes before deflating (what the page holds in memory once decoded). */
  readonly rawBytes: number;
}

function typeOf(a: PackableArray): PackedType {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Int32Array) return 'i32';
  return 'f32';
}

export function packArrays(arrays: Record<string, PackableArray>): PackedArrays {
  const manifest: PackedEntry[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    manifest.push({ name, type: typeOf(a), offset, length: a.length });
    offset += Math.ceil(a.byteLength / 4) * 4;
  }
  const buffer = new Uint8Array(offset);
  for (const entry of manifest) {
    const a = arrays[entry.name]!;
    buffer.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), entry.offset);
  }
  return { manifest, base64: Buffer.from(zlibSync(buffer, { level: 6 })).toString('base64'), rawBytes: offset };
}

/** The arrays of a packed buffer (what the page does, in Node: tests and the notebook read it back). */
export function unpackArrays(packed: Pick<PackedArrays, 'manifest' | 'base64'>): Record<string, PackableArray> {
  const buffer = unzlibSync(Buffer.from(packed.base64, 'base64'));
  const out: Record<string, PackableArray> = {};
  for (const { name, type, offset, length } of packed.manifest) {
    const bytes = buffer.slice(offset, offset + length * (type === 'u8' ? 1 : 4));
    out[name] = type === 'u8' ? bytes : type === 'i32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
  }
  return out;
}

/**
 * The log10 range of the positive values, from the `floorQuantile` quantile (so a few values that
 * underflowed towards 0 do not stretch the scale over 30 decades) to the largest. Sampled: an exact
 * quantile of 10 million values is not needed for a display scale.
 */
export function logScaleOf(values: Float32Array, floorQuantile = 0.001): LogScale {
  const step = Math.max(1, Math.floor(values.length / 200_000));
  const logs: number[] = [];
  let hi = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v > 0 && Number.isFinite(v)) hi = Math.max(hi, Math.log10(v));
    if (k % step === 0 && v > 0 && Number.isFinite(v)) logs.push(Math.log10(v));
  }
  if (logs.length === 0) return { lo: 0, hi: 1 };
  logs.sort((a, b) => a - b);
  const lo = logs[Math.floor(floorQuantile * (logs.length - 1))]!;
  return { lo, hi: hi > lo ? hi : lo + 1 };
}

/** Codes 0–255 of `values` on `scale` (0: at or below its low end, or not positive). */
export function logCodes(values: Float32Array, scale: LogScale): Uint8Array {
  const out = new Uint8Array(values.length);
  const perDecade = 254 / (scale.hi - scale.lo);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!(v > 0)) continue;
    const code = 1 + Math.round((Math.log10(v) - scale.lo) * perDecade);
    out[k] = code < 1 ? 0 : Math.min(code, 255);
  }
  return out;
}
