/**
 * Initial parameters from a seed, made in TypeScript so every engine starts from the same bits.
 * Hidden weights are Glorot-uniform ±sqrt(6/(fan_in+fan_out)) (a conv layer's fans are c_in·k² and
 * c_out·k²); the output weights are zero by default, as in the Theano MLP the paper's code followed
 * (or Glorot, on request); biases are zero.
 *
 * @example
 *   const params = initParams(mlpSpec(784, [512, 512, 512], 10), 1);
 */
import { Rng } from '../util/rng';
import { layerSlices, paramCount, type ModelSpec, type OutputInit } from './spec';

export function initParams(spec: ModelSpec, seed: number, outputInit: OutputInit = 'zero'): Float32Array {
  const params = new Float32Array(paramCount(spec));
  const rng = new Rng(seed);
  const slices = layerSlices(spec);
  slices.forEach((s, d) => {
    const isOutput = d === slices.length - 1;
    if (isOutput && outputInit === 'zero') return;
    const limit = Math.sqrt(6 / (s.fanIn + s.fanOut * s.kernel * s.kernel));
    for (let k = 0; k < s.fanIn * s.fanOut; k++) params[s.wOffset + k] = (2 * rng.uniform() - 1) * limit;
  });
  return params;
}
