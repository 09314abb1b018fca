/**
 * The networks every benchmark times, at their real sizes: the paper's two MLPs, or cnn-small on
 * MNIST's and CIFAR-10's images.
 *
 * @example
 *   PAPER_NETWORKS.map((n) => n.label);   // ['mnist 784-512-512-512-10', 'cifar10 3072-512-512-512-10']
 *   benchNetworks('cnn-small')[0].label;   // 'mnist cnn-small 1x28x28'
 */
import { modelNetwork } from '../model/network';
import { layerSizes, mlpSpec, networkModelSpec, type ModelSpec } from '../model/spec';

export interface BenchNetwork {
  readonly label: string;
  /** The key the Python peer reports under: an MLP's layer sizes joined by '-', or cnn-small:CxHxW; absent: no peer. */
  readonly sizes?: string;
  readonly spec: ModelSpec;
}

/** `model` names a layer network in the label (its preset, or its words). */
export function benchNetwork(name: string, spec: ModelSpec, model = 'network'): BenchNetwork {
  if (spec.network) {
    const shape = spec.network.inputShape.join('x');
    // The PyTorch peer builds cnn-small itself; other layer lists have no peer.
    return {
      label: `${name} ${model} ${shape}`,
      sizes: model === 'cnn-small' ? `cnn-small:${shape}` : undefined,
      spec,
    };
  }
  const sizes = layerSizes(spec).join('-');
  return { label: `${name} ${sizes}`, sizes, spec };
}

export const PAPER_NETWORKS: readonly BenchNetwork[] = [
  benchNetwork('mnist', mlpSpec(784, [512, 512, 512], 10)),
  benchNetwork('cifar10', mlpSpec(3072, [512, 512, 512], 10)),
];

/** The benchmark's networks for a model (a preset or layer words) on MNIST's and CIFAR-10's images. */
export function benchNetworks(model: string): readonly BenchNetwork[] {
  if (model === 'mlp') return PAPER_NETWORKS;
  return [
    benchNetwork('mnist', networkModelSpec(modelNetwork(model, [1, 28, 28], 10)), model),
    benchNetwork('cifar10', networkModelSpec(modelNetwork(model, [3, 32, 32], 10)), model),
  ];
}
