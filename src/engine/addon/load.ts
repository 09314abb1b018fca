/**
 * Loading a compiled addon (the native engine's and the CUDA engine's alike), and the argument
 * list their trainBatches share. A missing, unloadable or foreign file is an Error that says what
 * failed and the command that builds the addon.
 *
 * @example
 *   const addon = requireAddon<NativeAddon>('build/Release/si_native.node', 'native', ['NativeMlp'], '`make native`');
 */
import * as fs from 'node:fs';
import type { EpochRecord, StepHyper } from '../types';

/** trainBatches' arguments after the data, the same in both addons. */
export type TrainBatchesArgs = [
  order: Int32Array,
  lr: number,
  weightDecay: number,
  batchSize: number,
  importance: boolean,
  scores: boolean,
  recordImportance: Float32Array,
  recordNll: Float32Array,
  recordCorrect: Uint8Array,
  recordMargin: Float32Array,
  recordEl2n: Float32Array,
];

/** The arguments both addons' trainBatches take after the data, from the contract's. */
export function trainBatchesArgs(order: Int32Array, hyper: StepHyper, record: EpochRecord): TrainBatchesArgs {
  const { lr, weightDecay, batchSize, importance, scores = true } = hyper;
  return [
    order,
    lr,
    weightDecay,
    batchSize,
    importance,
    scores,
    record.importance,
    record.nll,
    record.correct,
    record.margin,
    record.el2n,
  ];
}

/**
 * Loads the compiled addon at `file` and checks that it exports the functions named in `required`,
 * or throws an Error saying what failed and how to build it (`kind` names the addon in messages:
 * 'native', 'CUDA'; `build` is the command).
 */
export function requireAddon<T>(file: string, kind: string, required: readonly (keyof T & string)[], build: string): T {
  if (!fs.existsSync(file))
    throw new Error(`the ${kind} addon is not built (${file} is missing); build it with ${build}`);
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (err) {
    throw new Error(
      `the ${kind} addon ${file} failed to load (${(err as Error).message.split('\n')[0]}); rebuild it with ${build}`,
    );
  }
  const addon = loaded as Partial<Record<string, unknown>>;
  if (required.some((name) => typeof addon[name] !== 'function')) {
    throw new Error(
      `${file} is not this project's ${kind} addon (missing ${required.join('/')}); rebuild it with ${build}`,
    );
  }
  return addon as T;
}
