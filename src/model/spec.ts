/**
 * The network of the paper: input, hidden ReLU layers, a linear output, softmax.
 * Parameters live in one flat float32 vector, layer by layer, W row-major [in, out] then b.
 * That layout is the contract between the front end, every engine and the on-disk snapshots.
 *
 * @example
 *   const spec = mlpSpec(784, [512, 512, 512], 10);
 *   layerNames(spec);   // ['L1', 'L2', 'L3', 'Out']
 *   paramCount(spec);   // 932362
 */
export type OutputInit = 'zero' | 'glorot';

export interface ModelSpec {
  readonly inputSize: number;
  readonly hidden: readonly number[];
  readonly classes: number;
}

/** One dense layer's place in the flat parameter vector. */
export interface LayerSlice {
  readonly name: string;
  readonly fanIn: number;
  readonly fanOut: number;
  /** Offset of W [fanIn, fanOut] row-major. */
  readonly wOffset: number;
  /** Offset of b [fanOut]. */
  readonly bOffset: number;
  /** fanIn * fanOut + fanOut. */
  readonly count: number;
}

export function mlpSpec(inputSize: number, hidden: readonly number[], classes: number): ModelSpec {
  const check = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what} must be a positive integer, got ${v}`);
  };
  check(inputSize, 'inputSize');
  hidden.forEach((h, i) => {
    check(h, `hidden[${i}]`);
  });
  check(classes, 'classes');
  if (classes < 2) throw new RangeError(`classes must be at least 2, got ${classes}`);
  return { inputSize, hidden: [...hidden], classes };
}

/** `L1 … Lk Out`: hidden layers counted from the input, then the output layer. */
export function layerNames(spec: ModelSpec): string[] {
  return [...spec.hidden.map((_, i) => `L${i + 1}`), 'Out'];
}

export function layerSlices(spec: ModelSpec): LayerSlice[] {
  const sizes = [spec.inputSize, ...spec.hidden, spec.classes];
  const names = layerNames(spec);
  const slices: LayerSlice[] = [];
  let offset = 0;
  for (let d = 0; d + 1 < sizes.length; d++) {
    const fanIn = sizes[d]!;
    const fanOut = sizes[d + 1]!;
    slices.push({
      name: names[d]!,
      fanIn,
      fanOut,
      wOffset: offset,
      bOffset: offset + fanIn * fanOut,
      count: fanIn * fanOut + fanOut,
    });
    offset += fanIn * fanOut + fanOut;
  }
  return slices;
}

export function paramCount(spec: ModelSpec): number {
  return layerSlices(spec).reduce((n, s) => n + s.count, 0);
}

/** Layer widths from input to output, e.g. [784, 512, 512, 512, 10]. */
export function layerSizes(spec: ModelSpec): number[] {
  return [spec.inputSize, ...spec.hidden, spec.classes];
}
