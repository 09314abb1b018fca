/**
 * Every training image of a run as WebP sprite sheets (sharp), for the explorer page: a sheet holds
 * 64 × 64 images in row-major cells, so sample k is cell k mod 4096 of sheet ⌊k / 4096⌋, and the
 * page decodes only the sheets it shows. Grey images (MNIST) are lossless; colour images (CIFAR-10)
 * lossy at quality 80.
 *
 * Measured on 4,096 images (bytes per image): MNIST lossless WebP 153, PNG 249, JPEG q80 241;
 * CIFAR-10 WebP q75 265, q90 440, JPEG q80 332, lossless WebP 1,721, PNG 2,882. At 50,000 images a
 * lossless CIFAR-10 page would weigh 86 MB; lossy q80 keeps it near 15 MB and the objects readable.
 *
 * @example
 *   const sheets = await imageSheets(train.x, train.n, train.shape);
 *   sheets[0];   // { dataUrl: 'data:image/webp;base64,…', count: 4096 }
 */
import sharp from 'sharp';

/** Cells per sheet side: a sheet of 32-pixel images is 2,048 pixels square, a size every browser decodes. */
export const SHEET_SIDE = 64;

export interface ImageSheet {
  /** data: URL of the WebP image. */
  readonly dataUrl: string;
  /** Images in this sheet. */
  readonly count: number;
}

/** Sheets of `n` images stored planar in [0, 1] (src/data/part.ts) with [height, width, channels] = shape. */
export async function imageSheets(
  x: Float32Array,
  n: number,
  shape: readonly [number, number, number],
): Promise<ImageSheet[]> {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new RangeError(`images with ${c} channels cannot be drawn (1 or 3 expected)`);
  const inputSize = h * w * c;
  if (x.length < n * inputSize) throw new RangeError(`${n} images of shape ${shape.join('×')} need more pixels`);
  const perSheet = SHEET_SIDE * SHEET_SIDE;
  const sheets: ImageSheet[] = [];
  for (let first = 0; first < n; first += perSheet) {
    const count = Math.min(perSheet, n - first);
    const rows = Math.ceil(count / SHEET_SIDE);
    const width = SHEET_SIDE * w;
    const height = rows * h;
    const pixels = Buffer.alloc(width * height * c);
    for (let k = 0; k < count; k++) {
      const left = (k % SHEET_SIDE) * w;
      const top = Math.floor(k / SHEET_SIDE) * h;
      const at = (first + k) * inputSize;
      for (let ch = 0; ch < c; ch++) {
        for (let r = 0; r < h; r++) {
          for (let col = 0; col < w; col++) {
            const v = x[at + ch * h * w + r * w + col]!;
            pixels[((top + r) * width + left + col) * c + ch] = Math.round(Math.min(1, Math.max(0, v)) * 255);
          }
        }
      }
    }
    const image = sharp(pixels, { raw: { width, height, channels: c } });
    const webp = await (c === 1 ? image.webp({ lossless: true }) : image.webp({ quality: 80 })).toBuffer();
    sheets.push({ dataUrl: `data:image/webp;base64,${webp.toString('base64')}`, count });
  }
  return sheets;
}
