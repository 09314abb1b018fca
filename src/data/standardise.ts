/**
 * Per-channel standardisation: each channel's pixels shifted and scaled to mean 0 and standard
 * deviation 1 over the training part, and the test part transformed with the training statistics
 * (nothing of the test part leaks into them). New arrays; the parts given are left as they are.
 *
 * @example
 *   const { train, test, mean, std } = standardiseChannels(run.train, run.test);   // CIFAR-10: 3 channels
 */
import type { DataPart } from './part';

export function standardiseChannels(
  train: DataPart,
  test: DataPart,
): { train: DataPart; test: DataPart; mean: number[]; std: number[] } {
  const [h, w, channels] = train.shape;
  const plane = h * w;
  const mean = new Array<number>(channels).fill(0);
  const square = new Array<number>(channels).fill(0);
  for (let i = 0; i < train.n; i++) {
    for (let c = 0; c < channels; c++) {
      const from = i * train.inputSize + c * plane;
      for (let k = from; k < from + plane; k++) {
        const v = train.x[k]!;
        mean[c]! += v;
        square[c]! += v * v;
      }
    }
  }
  const count = train.n * plane;
  const std = mean.map((sum, c) => {
    const m = sum / count;
    mean[c] = m;
    return Math.sqrt(Math.max(square[c]! / count - m * m, 0));
  });
  for (const [c, s] of std.entries())
    if (!(s > 0)) throw new RangeError(`channel ${c} is constant over the training samples: it cannot be standardised`);
  const transform = (part: DataPart): DataPart => {
    const x = new Float32Array(part.x.length);
    for (let i = 0; i < part.n; i++) {
      for (let c = 0; c < channels; c++) {
        const from = i * part.inputSize + c * plane;
        for (let k = from; k < from + plane; k++) x[k] = (part.x[k]! - mean[c]!) / std[c]!;
      }
    }
    return { ...part, x };
  };
  return { train: transform(train), test: transform(test), mean, std };
}
