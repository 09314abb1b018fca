/**
 * Analyses of run records: pure functions over OpenRun and labels (no engine, no writes), each
 * returning danfojs DataFrames.
 *
 * @example
 *   import { openRun, topShare, frameRows } from 'sample-importance';
 *   frameRows(topShare(openRun('runs/mnist-4e6abb0dbb77')));
 */
export { ranks, spearman, pearson, mean, standardError, quantileSorted, boxStats, type BoxStats } from './stats';
export { batchConstructions, sortedPositions, CONSTRUCTION_NAMES, type ConstructionName } from './batch-constructions';
export { frameFromRows, frameRows, type DataFrame, type Frames, type Row } from './frames';
export { epochNumber, runLayerNames, importanceByLayer, positionsOfClass, labelsByPosition } from './run-arrays';
export {
  seedStability,
  alphaStability,
  recordedAlphaSeries,
  stabilityEpochs,
  SEED_STABILITY_DEFAULTS,
  type AlphaSeries,
  type SeedStabilityOptions,
} from './seed-stability';

export { importanceDecomposition, type Decomposition } from './decomposition';
export { topShare, SHARE_GROUPS } from './top-share';
export {
  nllImportance,
  NLL_IMPORTANCE_DEFAULTS,
  type NllImportance,
  type NllImportanceOptions,
} from './nll-importance';
export {
  importanceClusters,
  importanceFeatures,
  representativeClusters,
  IMPORTANCE_CLUSTER_DEFAULTS,
  DIFFICULTIES,
  type ImportanceClusters,
  type ImportanceClusterOptions,
} from './importance-clusters';
export { constructionErrors, type ConstructionErrors } from './construction-errors';
export {
  gramPca,
  gramMatrix,
  centreGram,
  GRAM_PCA_DEFAULTS,
  type GramPcaOptions,
  type GramPcaResult,
} from './gram-pca';
export { pcaPaths, snapshotSeries, type PcaPaths, type SnapshotSeries } from './pca-paths';
export { errorCurves, type ErrorCurves } from './error-curves';
export { tauHistogram, TAU_HISTOGRAM_DEFAULTS, type TauHistogram, type TauHistogramOptions } from './tau-histogram';
