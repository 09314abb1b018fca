/**
 * Example images for figures 5 and 6 (and the influence figure) as PNG data URLs, encoded with
 * fast-png (image-js). Pixels come as a planar float image in [0, 1] (src/data/part.ts: all of
 * channel 0, then channel 1, …); 8-bit grey for 1 channel, RGB for 3.
 *
 * @example
 *   imageDataUrl([28, 28, 1], part.x.subarray(0, 784));   // 'data:image/png;base64,iVBOR…'
 */
import { encode } from 'fast-png';

/** Planar [0, 1] floats of shape [h, w, c] to interleaved bytes. */
export function interleaveBytes(shape: readonly [number, number, number], planar: Float32Array): Uint8Array {
  const [h, w, c] = shape;
  const out = new Uint8Array(h * w * c);
  for (let ch = 0; ch < c; ch++) {
    for (let k = 0; k < h * w; k++)
      out[k * c + ch] = Math.round(Math.min(1, Math.max(0, planar[ch * h * w + k]!)) * 255);
  }
  return out;
}

export function imageDataUrl(shape: readonly [number, number, number], planar: Float32Array): string {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new RangeError(`PNG examples support 1 or 3 channels, got ${c}`);
  const png = encode({ width: w, height: h, channels: c, depth: 8, data: interleaveBytes(shape, planar) });
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
