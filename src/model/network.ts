/**
 * Networks beyond the paper's MLP: a short sequence of layers — `conv2d` (square kernel, stride 1,
 * zero padding, bias), `relu`, `maxpool2` (2×2, stride 2), `flatten`, `dense` — on channels-first
 * images [c, h, w], ending in a dense layer whose units are the classes (softmax follows).
 * `flatten` reads channel, row, column order, which is how the activations are stored anyway.
 *
 * Parameters, layer by layer: conv weight [c_out, c_in, k, k] row-major then its bias; dense W
 * [in, out] row-major then b. Parameterised layers are named conv1, conv2, …, fc1, fc2, … and `out`
 * (the last dense layer): β has one column per parameterised layer, in that order.
 *
 * A network is named by a preset (`cnn-small`) or written as its layers before the output, in
 * the words layerText prints: `conv32k5p2 relu pool flatten dense128 relu` (conv: filters, kernel,
 * padding); the output layer, dense over the classes, is added.
 *
 * @example
 *   const net = modelNetwork('cnn-small', [1, 28, 28], 10);
 *   networkShapes(net).at(-1);     // { c: 10, h: 1, w: 1 }
 *   networkLayerNames(net);        // ['conv1', 'conv2', 'fc1', 'out']
 *   modelNetwork('conv8k3p1 relu pool flatten', [1, 28, 28], 10).layers.length;   // 5
 */

export type LayerSpec =
  | { readonly kind: 'conv2d'; readonly filters: number; readonly kernel: number; readonly padding: number }
  | { readonly kind: 'relu' }
  | { readonly kind: 'maxpool2' }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'dense'; readonly units: number };

/** [channels, height, width]. */
export type ImageShape = readonly [number, number, number];

export interface NetworkSpec {
  readonly inputShape: ImageShape;
  readonly layers: readonly LayerSpec[];
}

/** An activation's shape; vectors (after flatten or dense) are [units, 1, 1]. */
export interface Shape {
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

export const MODEL_PRESETS = ['mlp', 'cnn-small'] as const;
export type ModelPreset = (typeof MODEL_PRESETS)[number];

function positive(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what} must be a positive integer, got ${v}`);
}

/**
 * Each layer's output shape, in order; throws a RangeError naming the layer when a layer does not
 * fit its input (a kernel larger than the padded image, pooling under 2×2, an image layer after
 * flatten, no final dense layer).
 */
export function networkShapes(net: NetworkSpec): Shape[] {
  const [c0, h0, w0] = net.inputShape;
  positive(c0, 'input channels');
  positive(h0, 'input height');
  positive(w0, 'input width');
  let shape: Shape = { c: c0, h: h0, w: w0 };
  let flat = false;
  const shapes: Shape[] = [];
  net.layers.forEach((layer, i) => {
    const where = `layer ${i} (${layer.kind})`;
    const imageOnly = () => {
      if (flat) throw new RangeError(`${where} needs an image, but the layers before it flattened it`);
    };
    switch (layer.kind) {
      case 'conv2d': {
        imageOnly();
        positive(layer.filters, `${where} filters`);
        positive(layer.kernel, `${where} kernel`);
        if (!Number.isInteger(layer.padding) || layer.padding < 0)
          throw new RangeError(`${where} padding must be a non-negative integer, got ${layer.padding}`);
        const h = shape.h + 2 * layer.padding - layer.kernel + 1;
        const w = shape.w + 2 * layer.padding - layer.kernel + 1;
        if (h < 1 || w < 1)
          throw new RangeError(
            `${where}: a ${layer.kernel}×${layer.kernel} kernel does not fit a ${shape.h}×${shape.w} input ` +
              `padded by ${layer.padding}`,
          );
        shape = { c: layer.filters, h, w };
        break;
      }
      case 'maxpool2':
        imageOnly();
        // An odd size would leave a row or column out of every window: refused rather than dropped.
        if (shape.h % 2 !== 0 || shape.w % 2 !== 0)
          throw new RangeError(
            `${where}: a ${shape.h}×${shape.w} input does not divide into 2×2 windows; ` +
              'pad the convolution before it (or crop the images) to even sizes',
          );
        shape = { c: shape.c, h: shape.h / 2, w: shape.w / 2 };
        break;
      case 'relu':
        break;
      case 'flatten':
        shape = { c: shape.c * shape.h * shape.w, h: 1, w: 1 };
        flat = true;
        break;
      case 'dense':
        positive(layer.units, `${where} units`);
        if (!flat && (shape.h > 1 || shape.w > 1))
          throw new RangeError(`${where} follows a ${shape.h}×${shape.w} image: put a flatten layer before it`);
        shape = { c: layer.units, h: 1, w: 1 };
        flat = true;
        break;
      default:
        throw new RangeError(`layer ${i}: unknown kind '${(layer as { kind: string }).kind}'`);
    }
    shapes.push(shape);
  });
  const last = net.layers[net.layers.length - 1];
  if (last?.kind !== 'dense') throw new RangeError('a network must end in a dense layer (its units are the classes)');
  return shapes;
}

/** The parameterised layers' names: conv1…, fc1…, then `out` for the last dense layer. */
export function networkLayerNames(net: NetworkSpec): string[] {
  const params = net.layers.filter((l) => l.kind === 'conv2d' || l.kind === 'dense');
  let conv = 0;
  let fc = 0;
  return params.map((l, i) => {
    if (i === params.length - 1) return 'out';
    return l.kind === 'conv2d' ? `conv${++conv}` : `fc${++fc}`;
  });
}

const LAYER_WORDS = /^(?:conv(\d+)k(\d+)p(\d+)|dense(\d+)|(relu|pool|flatten))$/;

/** One layer as a word: conv32k5p2, relu, pool, flatten, dense512. */
export function layerText(layer: LayerSpec): string {
  if (layer.kind === 'conv2d') return `conv${layer.filters}k${layer.kernel}p${layer.padding}`;
  if (layer.kind === 'dense') return `dense${layer.units}`;
  return layer.kind === 'maxpool2' ? 'pool' : layer.kind;
}

/** The layers a text names, words separated by spaces or commas; a RangeError names a word it does not know. */
export function parseLayers(text: string): LayerSpec[] {
  const words = text.split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) throw new RangeError('a model needs at least one layer before its output');
  return words.map((word) => {
    const m = LAYER_WORDS.exec(word);
    if (!m)
      throw new RangeError(
        `'${word}' is not a layer: write conv<filters>k<kernel>p<padding>, relu, pool, flatten or dense<units>`,
      );
    if (m[1]) return { kind: 'conv2d', filters: Number(m[1]), kernel: Number(m[2]), padding: Number(m[3]) };
    if (m[4]) return { kind: 'dense', units: Number(m[4]) };
    return m[5] === 'pool' ? { kind: 'maxpool2' } : { kind: m[5] as 'relu' | 'flatten' };
  });
}

/** A model as stored and keyed: a preset as named, layer words in layerText's spelling (parseLayers' errors). */
export function canonicalModel(model: string): string {
  if ((MODEL_PRESETS as readonly string[]).includes(model)) return model;
  return parseLayers(model).map(layerText).join(' ');
}

/**
 * The network a model names on images of `inputShape` with `classes` outputs: a preset, or the
 * layers of parseLayers followed by the output layer (a flatten first when they end on an image).
 * Checked layer by layer (networkShapes).
 */
export function modelNetwork(model: string, inputShape: ImageShape, classes: number): NetworkSpec {
  if (model === 'mlp') throw new RangeError('the MLP is not a layer network: build it with mlpSpec');
  if (model === 'cnn-small') return cnnSmall(inputShape, classes);
  const layers = parseLayers(model);
  const flat = layers.some((l) => l.kind === 'flatten' || l.kind === 'dense');
  const network: NetworkSpec = {
    inputShape,
    layers: [...layers, ...(flat ? [] : [{ kind: 'flatten' } as const]), { kind: 'dense', units: classes }],
  };
  networkShapes(network);
  return network;
}

/**
 * The issue's `cnn-small`: conv 5×5 ×32 (padding 2) → ReLU → maxpool2 → conv 5×5 ×64 (padding 2) →
 * ReLU → maxpool2 → flatten → dense 512 → ReLU → dense classes.
 */
export function cnnSmall(inputShape: ImageShape, classes: number): NetworkSpec {
  return {
    inputShape,
    layers: [
      { kind: 'conv2d', filters: 32, kernel: 5, padding: 2 },
      { kind: 'relu' },
      { kind: 'maxpool2' },
      { kind: 'conv2d', filters: 64, kernel: 5, padding: 2 },
      { kind: 'relu' },
      { kind: 'maxpool2' },
      { kind: 'flatten' },
      { kind: 'dense', units: 512 },
      { kind: 'relu' },
      { kind: 'dense', units: classes },
    ],
  };
}
