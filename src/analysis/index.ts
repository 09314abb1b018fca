/**
 * Analyses of run records (pure functions over OpenRun and labels), each returning danfojs
 * DataFrames, and the per-figure data files they are saved to.
 *
 * @example
 *   import { openRun, topShare, saveFigureData } from 'sample-importance';
 *   saveFigureData('fig03.json', { shares: topShare(openRun('runs/mnist-4e6abb0dbb77')) });
 */
export { ranks, spearman, pearson, mean, standardError, quantileSorted, boxStats, type BoxStats } from './stats';
export { batchConstructions, sortedPositions, CONSTRUCTION_NAMES, type ConstructionName } from './batch-constructions';
export { frameFromRows, frameRows, saveFigureData, loadFigureData, loadFigureMeta, type DataFrame, type Frames, type Row } from './figure-data';
export { epochNumber, runLayerNames, importanceByLayer, positionsOfClass, labelsByPosition } from './run-arrays';
export { seedStability, alphaStability, recordedAlphaSeries, stabilityEpochs, SEED_STABILITY_DEFAULTS, type AlphaSeries, type SeedStabilityOptions } from './seed-stability';
export { importanceAt } from './importance-at';
export { importanceDecomposition, type Decomposition } from './decomposition';
export { topShare, SHARE_GROUPS } from './top-share';
export { nllImportance, NLL_IMPORTANCE_DEFAULTS, type NllImportance, type NllImportanceOptions } from './nll-importance';
export { importanceClusters, importanceFeatures, representativeClusters, IMPORTANCE_CLUSTER_DEFAULTS, DIFFICULTIES, type ImportanceClusters, type ImportanceClusterOptions } from './importance-clusters';
export { constructionErrors, type ConstructionErrors } from './construction-errors';
export { gramPca, gramMatrix, centreGram, GRAM_PCA_DEFAULTS, type GramPcaOptions, type GramPcaResult } from './gram-pca';
export { pcaPaths, snapshotSeries, type PcaPaths, type SnapshotSeries } from './pca-paths';
export { errorCurves, type ErrorCurves } from './error-curves';
export { tauHistogram, TAU_HISTOGRAM_DEFAULTS, type TauHistogram, type TauHistogramOptions } from './tau-histogram';
