/**
 * A typed handle on ml-kmeans. Version 7 ships only as an ES module behind an `exports` map, which
 * this project's CommonJS type resolution (node10) cannot see; Node ≥ 20.19 loads it through
 * require(esm), so it is required here with the part of its API the analyses use.
 *
 * @example
 *   kmeans([[0], [1], [10], [11]], 2, { seed: 1, initialization: 'kmeans++' }).clusters;   // e.g. [1, 1, 0, 0]
 */
export interface KMeansOptions {
  seed: number;
  initialization: 'kmeans++' | 'random' | 'mostDistant';
  maxIterations?: number;
}

export interface KMeansResult {
  /** Cluster id of each point. */
  clusters: number[];
  centroids: number[][];
  converged: boolean;
  iterations: number;
}

const mlKmeans = require('ml-kmeans') as {
  kmeans: (data: number[][], k: number, options: KMeansOptions) => KMeansResult;
};

export function kmeans(data: number[][], k: number, options: KMeansOptions): KMeansResult {
  return mlKmeans.kmeans(data, k, options);
}
