/**
 * The paper's two networks at their real sizes, the ones every benchmark times.
 *
 * @example
 *   PAPER_NETWORKS.map((n) => n.label);   // ['mnist 784-512-512-512-10', 'cifar10 3072-512-512-512-10']
 */
import { layerSizes, mlpSpec, type ModelSpec } from '../model/spec';

export interface BenchNetwork {
  readonly label: string;
  /** Layer sizes joined by '-', the key the Python peer reports under. */
  readonly sizes: string;
  readonly spec: ModelSpec;
}

export function benchNetwork(name: string, spec: ModelSpec): BenchNetwork {
  const sizes = layerSizes(spec).join('-');
  return { label: `${name} ${sizes}`, sizes, spec };
}

export const PAPER_NETWORKS: readonly BenchNetwork[] = [
  benchNetwork('mnist', mlpSpec(784, [512, 512, 512], 10)),
  benchNetwork('cifar10', mlpSpec(3072, [512, 512, 512], 10)),
];
