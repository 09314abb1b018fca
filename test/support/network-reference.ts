/**
 * The float64 reference (./reference.ts) for networks of conv2d, ReLU, maxpool2, flatten and dense
 * layers: a literal forward pass, sum by sum from the definitions, and one sample's full gradient by
 * explicit backpropagation (checked against finite differences in the conformance suite). No
 * unfolding, no Gram matrices: agreement with the engines tests those too.
 *
 * @example
 *   const spec = networkModelSpec(tinyNet);
 *   const g = networkSampleGradient(spec.network!, params, x, y);
 */
import { networkShapes, type NetworkSpec, type Shape } from '../../src/model/network';
import { layerSlices, networkModelSpec } from '../../src/model/spec';

type Vector = ArrayLike<number>;

interface Trace {
  /** Each layer's input, in order; the last entry is the logits. */
  readonly activations: Float64Array[];
  /** Each maxpool2 layer's chosen input index per output (others empty). */
  readonly argmax: Int32Array[];
  readonly logProbs: Float64Array;
}

function logSoftmax(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  const logSumExp = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
  return logits.map((v) => v - logSumExp);
}

function trace(net: NetworkSpec, params: Vector, x: Vector): Trace {
  const shapes = networkShapes(net);
  const slices = layerSlices(networkModelSpec(net));
  const [c0, h0, w0] = net.inputShape;
  let shape: Shape = { c: c0, h: h0, w: w0 };
  let a = Float64Array.from(x);
  let param = 0;
  const activations: Float64Array[] = [];
  const argmax: Int32Array[] = [];
  net.layers.forEach((layer, li) => {
    activations.push(a);
    const out = shapes[li]!;
    const next = new Float64Array(out.c * out.h * out.w);
    const chosen = new Int32Array(layer.kind === 'maxpool2' ? next.length : 0);
    if (layer.kind === 'conv2d') {
      const s = slices[param++]!;
      const { kernel: k, padding: p } = layer;
      for (let f = 0; f < out.c; f++)
        for (let oy = 0; oy < out.h; oy++)
          for (let ox = 0; ox < out.w; ox++) {
            let sum = params[s.bOffset + f]!;
            for (let c = 0; c < shape.c; c++)
              for (let ky = 0; ky < k; ky++)
                for (let kx = 0; kx < k; kx++) {
                  const iy = oy + ky - p;
                  const ix = ox + kx - p;
                  if (iy < 0 || iy >= shape.h || ix < 0 || ix >= shape.w) continue;
                  sum +=
                    params[s.wOffset + ((f * shape.c + c) * k + ky) * k + kx]! * a[(c * shape.h + iy) * shape.w + ix]!;
                }
            next[(f * out.h + oy) * out.w + ox] = sum;
          }
    } else if (layer.kind === 'dense') {
      const s = slices[param++]!;
      for (let o = 0; o < s.fanOut; o++) {
        let sum = params[s.bOffset + o]!;
        for (let j = 0; j < s.fanIn; j++) sum += a[j]! * params[s.wOffset + j * s.fanOut + o]!;
        next[o] = sum;
      }
    } else if (layer.kind === 'relu') {
      a.forEach((v, j) => {
        next[j] = Math.max(v, 0);
      });
    } else if (layer.kind === 'maxpool2') {
      for (let c = 0; c < out.c; c++)
        for (let oy = 0; oy < out.h; oy++)
          for (let ox = 0; ox < out.w; ox++) {
            let best = (c * shape.h + 2 * oy) * shape.w + 2 * ox;
            for (const [dy, dx] of [
              [0, 0],
              [0, 1],
              [1, 0],
              [1, 1],
            ] as const) {
              const at = (c * shape.h + 2 * oy + dy) * shape.w + 2 * ox + dx;
              if (a[at]! > a[best]!) best = at;
            }
            const o = (c * out.h + oy) * out.w + ox;
            next[o] = a[best]!;
            chosen[o] = best;
          }
    } else next.set(a); // flatten: the same numbers, channel, row, column order
    argmax.push(chosen);
    a = next;
    shape = out;
  });
  activations.push(a);
  return { activations, argmax, logProbs: logSoftmax(a) };
}

/** The logits and log-probabilities of one sample. */
export function networkForward(
  net: NetworkSpec,
  params: Vector,
  x: Vector,
): { logits: Float64Array; logProbs: Float64Array } {
  const t = trace(net, params, x);
  return { logits: t.activations[t.activations.length - 1]!, logProbs: t.logProbs };
}

/** ∂L/∂θ of one sample in the flat layout, by backpropagation through every layer. */
export function networkSampleGradient(net: NetworkSpec, params: Vector, x: Vector, y: number): Float64Array {
  const spec = networkModelSpec(net);
  const slices = layerSlices(spec);
  const shapes = networkShapes(net);
  const { activations, argmax, logProbs } = trace(net, params, x);
  const grad = new Float64Array(slices.reduce((n, s) => n + s.count, 0));
  let delta = logProbs.map((lp, c) => Math.exp(lp) - (c === y ? 1 : 0));
  let param = slices.length;
  for (let li = net.layers.length - 1; li >= 0; li--) {
    const layer = net.layers[li]!;
    const a = activations[li]!;
    const inShape: Shape =
      li === 0 ? { c: net.inputShape[0], h: net.inputShape[1], w: net.inputShape[2] } : shapes[li - 1]!;
    const out = shapes[li]!;
    const below = new Float64Array(a.length);
    if (layer.kind === 'conv2d') {
      const s = slices[--param]!;
      const { kernel: k, padding: p } = layer;
      for (let f = 0; f < out.c; f++)
        for (let oy = 0; oy < out.h; oy++)
          for (let ox = 0; ox < out.w; ox++) {
            const d = delta[(f * out.h + oy) * out.w + ox]!;
            grad[s.bOffset + f]! += d;
            for (let c = 0; c < inShape.c; c++)
              for (let ky = 0; ky < k; ky++)
                for (let kx = 0; kx < k; kx++) {
                  const iy = oy + ky - p;
                  const ix = ox + kx - p;
                  if (iy < 0 || iy >= inShape.h || ix < 0 || ix >= inShape.w) continue;
                  const wAt = s.wOffset + ((f * inShape.c + c) * k + ky) * k + kx;
                  const aAt = (c * inShape.h + iy) * inShape.w + ix;
                  grad[wAt]! += d * a[aAt]!;
                  below[aAt]! += params[wAt]! * d;
                }
          }
    } else if (layer.kind === 'dense') {
      const s = slices[--param]!;
      for (let o = 0; o < s.fanOut; o++) {
        grad[s.bOffset + o] = delta[o]!;
        for (let j = 0; j < s.fanIn; j++) {
          grad[s.wOffset + j * s.fanOut + o] = a[j]! * delta[o]!;
          below[j]! += params[s.wOffset + j * s.fanOut + o]! * delta[o]!;
        }
      }
    } else if (layer.kind === 'relu') {
      a.forEach((v, j) => {
        below[j] = v > 0 ? delta[j]! : 0;
      });
    } else if (layer.kind === 'maxpool2') {
      argmax[li]!.forEach((from, o) => {
        below[from]! += delta[o]!;
      });
    } else below.set(delta);
    delta = below;
  }
  return grad;
}
