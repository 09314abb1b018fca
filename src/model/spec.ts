/**
 * The network of the paper: input, hidden ReLU layers, a linear output, softmax — or, with
 * `network`, a sequence of conv2d, ReLU, pooling and dense layers (./network.ts).
 * Parameters live in one flat float32 vector, layer by layer, W row-major [in, out] then b (a conv
 * layer's W is [c_out, c_in, k, k]). That layout is the contract between the front end, every
 * engine and the on-disk snapshots.
 *
 * @example
 *   const spec = mlpSpec(784, [512, 512, 512], 10);
 *   layerNames(spec);   // ['L1', 'L2', 'L3', 'Out']
 *   paramCount(spec);   // 932362
 *   layerNames(networkModelSpec(cnnSmall([1, 28, 28], 10)));   // ['conv1', 'conv2', 'fc1', 'out']
 */
import { layerText, networkLayerNames, networkShapes, type NetworkSpec } from './network';

export type OutputInit = 'zero' | 'glorot';

export interface ModelSpec {
  readonly inputSize: number;
  /** The MLP's hidden widths; empty for a `network`. */
  readonly hidden: readonly number[];
  readonly classes: number;
  /** A network other than the MLP; absent for the paper's MLP. */
  readonly network?: NetworkSpec;
}

/** One parameterised layer's place in the flat parameter vector. */
export interface LayerSlice {
  readonly name: string;
  readonly kind: 'dense' | 'conv2d';
  /** Dense: inputs; conv2d: c_in · k², the unfolded inputs of one output position. */
  readonly fanIn: number;
  /** Dense: outputs; conv2d: filters (c_out). */
  readonly fanOut: number;
  /** conv2d: k; dense: 1. */
  readonly kernel: number;
  /** Offset of W: [fanIn, fanOut] row-major (dense) or [c_out, c_in, k, k] (conv2d). */
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

/** A ModelSpec for a network, checked layer by layer (networkShapes' errors). */
export function networkModelSpec(network: NetworkSpec): ModelSpec {
  const shapes = networkShapes(network);
  const [c, h, w] = network.inputShape;
  const classes = shapes[shapes.length - 1]!.c;
  if (classes < 2) throw new RangeError(`classes must be at least 2, got ${classes}`);
  return { inputSize: c * h * w, hidden: [], classes, network };
}

/** `L1 … Lk Out` for the MLP: hidden layers counted from the input, then the output layer; a network's own names. */
export function layerNames(spec: ModelSpec): string[] {
  if (spec.network) return networkLayerNames(spec.network);
  return [...spec.hidden.map((_, i) => `L${i + 1}`), 'Out'];
}

function networkSlices(network: NetworkSpec): LayerSlice[] {
  const shapes = networkShapes(network);
  const names = networkLayerNames(network);
  const slices: LayerSlice[] = [];
  let offset = 0;
  let channels = network.inputShape[0];
  let size = network.inputShape.reduce((a, b) => a * b, 1);
  network.layers.forEach((layer, i) => {
    const out = shapes[i]!;
    if (layer.kind === 'conv2d' || layer.kind === 'dense') {
      const kernel = layer.kind === 'conv2d' ? layer.kernel : 1;
      const fanIn = layer.kind === 'conv2d' ? channels * kernel * kernel : size;
      const fanOut = out.c;
      const count = fanIn * fanOut + fanOut;
      slices.push({
        name: names[slices.length]!,
        kind: layer.kind,
        fanIn,
        fanOut,
        kernel,
        wOffset: offset,
        bOffset: offset + fanIn * fanOut,
        count,
      });
      offset += count;
    }
    channels = out.c;
    size = out.c * out.h * out.w;
  });
  return slices;
}

export function layerSlices(spec: ModelSpec): LayerSlice[] {
  if (spec.network) return networkSlices(spec.network);
  const sizes = [spec.inputSize, ...spec.hidden, spec.classes];
  const names = layerNames(spec);
  const slices: LayerSlice[] = [];
  let offset = 0;
  for (let d = 0; d + 1 < sizes.length; d++) {
    const fanIn = sizes[d]!;
    const fanOut = sizes[d + 1]!;
    slices.push({
      name: names[d]!,
      kind: 'dense',
      fanIn,
      fanOut,
      kernel: 1,
      wOffset: offset,
      bOffset: offset + fanIn * fanOut,
      count: fanIn * fanOut + fanOut,
    });
    offset += fanIn * fanOut + fanOut;
  }
  return slices;
}

/** Parameterised layers: the columns of β. */
export function layerCount(spec: ModelSpec): number {
  return spec.network ? networkLayerNames(spec.network).length : spec.hidden.length + 1;
}

export function paramCount(spec: ModelSpec): number {
  return layerSlices(spec).reduce((n, s) => n + s.count, 0);
}

/**
 * A short name of the network: '784-512-512-512-10' for an MLP, the layers for a network
 * ('1x28x28 conv32k5p2 relu pool conv64k5p2 relu pool flatten dense512 relu dense10').
 */
export function specLabel(spec: ModelSpec): string {
  if (!spec.network) return layerSizes(spec).join('-');
  return [spec.network.inputShape.join('x'), ...spec.network.layers.map(layerText)].join(' ');
}

/** The MLP's layer widths from input to output, e.g. [784, 512, 512, 512, 10]. */
export function layerSizes(spec: ModelSpec): number[] {
  if (spec.network) throw new TypeError("layer widths are an MLP's: this model is a network of conv and dense layers");
  return [spec.inputSize, ...spec.hidden, spec.classes];
}
