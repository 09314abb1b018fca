/** Small synthetic classification data: Gaussian blobs, one per class, seeded. */
import { Rng } from '../../src/util/rng';
import type { LabelledSplit } from '../../src/run/train';
import type { TrainData } from '../../src/engine/types';
import type { ModelSpec } from '../../src/model/spec';

export function blobs(n: number, inputSize: number, classes: number, seed: number, offset = 0): LabelledSplit {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: inputSize }, () => rng.uniform()));
  const x = new Float32Array(n * inputSize);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(classes);
    y[i] = c;
    for (let j = 0; j < inputSize; j++) {
      x[i * inputSize + j] = Math.min(1, Math.max(0, centres[c]![j]! + 0.3 * (rng.uniform() - 0.5)));
    }
  }
  return { x, y, n, inputSize, indices: Int32Array.from({ length: n }, (_, i) => i + offset) };
}

/** n samples with inputs uniform in [-1, 1) and labels uniform over the spec's classes, seeded. */
export function randomData(spec: ModelSpec, n: number, seed: number): TrainData {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * spec.inputSize }, () => 2 * rng.uniform() - 1);
  const y = Int32Array.from({ length: n }, () => rng.int(spec.classes));
  return { x, y, n, inputSize: spec.inputSize };
}
