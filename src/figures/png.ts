/**
 * A tiny PNG encoder for example images in figures 5 and 6: 8-bit grey (1 channel) or RGB
 * (3 channels), no interlace, filter 0 on every row, one zlib IDAT chunk. Pixels come as a
 * planar float image in [0, 1] (src/data/part.ts: all of channel 0, then channel 1, …).
 *
 * @example
 *   imageDataUrl([28, 28, 1], part.x.subarray(0, 784));   // 'data:image/png;base64,iVBOR…'
 */
import * as zlib from 'zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + data.length);
  return out;
}

/** PNG bytes of an interleaved 8-bit image (rows of width·channels bytes). */
export function encodePng(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): Buffer {
  const stride = width * channels;
  if (pixels.length !== stride * height) throw new RangeError(`${pixels.length} bytes for a ${width}×${height}×${channels} image`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 1 ? 0 : 2; // colour type: grey or RGB
  const raw = Buffer.alloc((stride + 1) * height); // each row: filter byte 0, then the row
  for (let r = 0; r < height; r++) raw.set(pixels.subarray(r * stride, (r + 1) * stride), r * (stride + 1) + 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** Planar [0, 1] floats of shape [h, w, c] to interleaved bytes. */
export function interleaveBytes(shape: readonly [number, number, number], planar: Float32Array): Uint8Array {
  const [h, w, c] = shape;
  const out = new Uint8Array(h * w * c);
  for (let ch = 0; ch < c; ch++) {
    for (let k = 0; k < h * w; k++) out[k * c + ch] = Math.round(Math.min(1, Math.max(0, planar[ch * h * w + k])) * 255);
  }
  return out;
}

export function imageDataUrl(shape: readonly [number, number, number], planar: Float32Array): string {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new RangeError(`PNG examples support 1 or 3 channels, got ${c}`);
  return `data:image/png;base64,${encodePng(w, h, c, interleaveBytes(shape, planar)).toString('base64')}`;
}
