/**
 * The compiled addon (native/addon.cc) as TypeScript sees it, and the one function that loads it.
 * Every method trusts its caller for meaning (see ../validate.ts) but throws, never crashes, on wrong types.
 *
 * @example
 *   const addon = requireNativeAddon(nativeAddonPath());
 *   addon.blasInfo();   // { name: 'openblas', config: 'OpenBLAS 0.3.34 ... SkylakeX ...', threads: 2 }
 */
import { requireAddon, type TrainBatchesArgs } from '../addon/load';
import type { ParamsHandle } from '../addon/handle-model';

export interface NativeMlpHandle extends ParamsHandle {
  trainBatches(x: Float32Array, y: Int32Array, ...args: TrainBatchesArgs): void;
  evaluate(x: Float32Array, y: Int32Array, nll: Float32Array, correct: Uint8Array): { nllSum: number; wrong: number };
  /** Writes ∇J into `out`; returns the mean loss. */
  lossGradient(x: Float32Array, y: Int32Array, weightDecay: number, out: Float32Array): number;
  hvp(x: Float32Array, y: Int32Array, v: Float32Array, weightDecay: number, out: Float32Array): void;
  directionalDerivatives(x: Float32Array, y: Int32Array, s: Float32Array, out: Float32Array): void;
}

export interface BlasInfo {
  /** Short library name from the build, e.g. 'openblas'. */
  readonly name: string;
  /** The library's own description (OpenBLAS: version, kernel, options). */
  readonly config: string;
  /** Threads per BLAS call; 0 when the library does not say. */
  readonly threads: number;
}

export interface NativeAddon {
  NativeMlp: new (sizes: Int32Array) => NativeMlpHandle;
  blasInfo(): BlasInfo;
  /** False when the library offers no way to set its threads. */
  setThreads(count: number): boolean;
}

/** How to (re)build the addon, for error messages. */
export const BUILD_COMMAND =
  '`make native` in this repository, or `npm rebuild sample-importance` where it is installed ' +
  '(needs a C++ compiler and a CBLAS)';

/** Loads the addon at `file`, or throws an Error saying what failed and how to build it. */
export function requireNativeAddon(file: string): NativeAddon {
  return requireAddon<NativeAddon>(file, 'native', ['NativeMlp', 'blasInfo', 'setThreads'], BUILD_COMMAND);
}
