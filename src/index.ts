/**
 * The library: datasets, engines, training runs with per-sample importance, run records.
 *
 * @example
 *   import { loadEngine, resolveRunConfig, loadRunData, trainRun, runsDir } from 'sample-importance';
 *   const cfg = resolveRunConfig({ dataset: 'mnist', trainSize: 1000, epochs: 2 });
 *   const { train, test, classes } = loadRunData(cfg);
 *   const out = await trainRun(cfg, { engine: await loadEngine('auto'), train, test, classes, runsDir: runsDir() });
 */
export * from './engine';
export * from './data';
export * from './model/spec';
export { initParams } from './model/init';
export { Rng } from './util/rng';
export { readNpy, writeNpy } from './io/npy';
export { resolveRunConfig, runKey, hashOrder, PAPER_DEFAULTS, type RunConfig, type RunConfigInput } from './run/config';
export { loadRunData, type RunData } from './run/run-data';
export {
  trainRun,
  snapshotEpochs,
  DivergenceError,
  type TrainOptions,
  type TrainProgress,
  type RunOutcome,
  type LabelledSplit,
} from './run/train';
export { TrainingInterrupted } from './run/stop';
export {
  RunRecord,
  readRunMeta,
  RECORD_FILES,
  SCHEMA_VERSION,
  type RunMeta,
  type EpochMetrics,
  type RunStatus,
} from './run/record';
export { epochOrder, checkFixedOrder } from './run/order';
export { projectRoot, dataDir, runsDir, defaultProfileName } from './paths';
export { computeFigure, figureSummary, type FigureResult, type ComputeFigureOptions } from './notebook/figure-results';
export { progressDisplay, type HtmlDisplay } from './notebook/progress-display';
export { openRun, requireRecorded, type OpenRun } from './run/open-run';
export { importanceAt } from './run/importance-at';
export * from './figures';
export * from './analysis';
export * from './scores';
export { PROFILES, PROFILE_NAMES, getProfile, type Profile } from './experiments/profiles';
export { runExperiments } from './experiments/run-experiments';
export { buildReport } from './report/build-report';
export * from './explorer';
export { evaluateClaims, claimsMarkdown, type ClaimRow } from './report/claims-table';
export {
  influenceOnTarget,
  parameterInfluence,
  selfInfluence,
  inverseHvp,
  hessianOperator,
  SOLVER_NAMES,
  type SolverName,
  type InfluenceSetup,
} from './influence/influence';
export { conjugateGradient, lissa, type SolveResult } from './influence/solvers';
export { validateInfluence, type ValidationResult, type ValidationOptions } from './influence/validate';
export { predictedVsActualSpec, helpfulHarmfulSpec, tauVsInfluenceSpec } from './influence/figures';
