/**
 * The network a run config trains: the paper's MLP (`hidden` wide), or the config's `model` (a
 * preset or a layer list, src/model/network.ts) on the run's images, channels-first.
 *
 * @example
 *   const spec = runModelSpec(cfg, train, 10);   // cfg.model 'cnn-small', MNIST: conv1 conv2 fc1 out
 */
import { modelNetwork, type ImageShape } from '../model/network';
import { mlpSpec, networkModelSpec, type ModelSpec } from '../model/spec';
import type { RunConfig } from './config';

/** What a run's training samples tell about their shape: a DataPart's [height, width, channels]. */
export interface SampleShape {
  readonly inputSize: number;
  readonly shape?: readonly [number, number, number];
}

export function runModelSpec(cfg: Pick<RunConfig, 'hidden' | 'model'>, train: SampleShape, classes: number): ModelSpec {
  if (!cfg.model) return mlpSpec(train.inputSize, cfg.hidden, classes);
  // A .npz file's [n, features] arrives as one row of single-channel pixels: flat data, not an image.
  const flat = !train.shape || (train.shape[0] === 1 && train.shape[2] === 1);
  if (flat)
    throw new RangeError(
      `model '${cfg.model}' needs images ([n, h, w] or [n, h, w, c]), ` +
        `but these samples are flat vectors of ${train.inputSize}`,
    );
  const [h, w, c] = train.shape;
  const image: ImageShape = [c, h, w];
  return networkModelSpec(modelNetwork(cfg.model, image, classes));
}
