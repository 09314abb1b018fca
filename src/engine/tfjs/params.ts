/**
 * The flat float32 parameter vector (spec.ts layout: per layer, W row-major [in, out] then b) held
 * as one pair of tf.Variables per dense layer.
 *
 * @example
 *   const layers = createLayerVariables(spec, initParams(spec, 1));
 *   flattenLayers(spec, layers);   // the same Float32Array contents back
 *   disposeLayers(layers);
 */
import * as tf from '@tensorflow/tfjs-core';
import { layerSlices, paramCount, type ModelSpec } from '../../model/spec';

export interface DenseLayer {
  /** [fanIn, fanOut] */
  readonly w: tf.Variable<tf.Rank.R2>;
  /** [fanOut] */
  readonly b: tf.Variable<tf.Rank.R1>;
}

export function createLayerVariables(spec: ModelSpec, params: Float32Array): DenseLayer[] {
  return layerSlices(spec).map((s) => ({
    w: variableOf(tf.tensor2d(params.slice(s.wOffset, s.bOffset), [s.fanIn, s.fanOut])),
    b: variableOf(tf.tensor1d(params.slice(s.bOffset, s.bOffset + s.fanOut))),
  }));
}

/** A variable holding `initial`'s values; tf.variable shares the data but leaves `initial` alive. */
export function variableOf<R extends tf.Rank>(initial: tf.Tensor<R>): tf.Variable<R> {
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

export function assignLayers(spec: ModelSpec, layers: readonly DenseLayer[], params: Float32Array): void {
  layerSlices(spec).forEach((s, d) => {
    tf.tidy(() => {
      layers[d]!.w.assign(tf.tensor2d(params.slice(s.wOffset, s.bOffset), [s.fanIn, s.fanOut]));
      layers[d]!.b.assign(tf.tensor1d(params.slice(s.bOffset, s.bOffset + s.fanOut)));
    });
  });
}

export function flattenLayers(spec: ModelSpec, layers: readonly DenseLayer[]): Float32Array {
  const params = new Float32Array(paramCount(spec));
  layerSlices(spec).forEach((s, d) => {
    params.set(layers[d]!.w.dataSync() as Float32Array, s.wOffset);
    params.set(layers[d]!.b.dataSync() as Float32Array, s.bOffset);
  });
  return params;
}

export function disposeLayers(layers: readonly DenseLayer[]): void {
  for (const layer of layers) {
    layer.w.dispose();
    layer.b.dispose();
  }
}
