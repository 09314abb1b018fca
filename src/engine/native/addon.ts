/**
 * The compiled addon (native/addon.cc) as TypeScript sees it, and the one function that loads it.
 * Every method trusts its caller for meaning (see ./validate) but throws, never crashes, on wrong types.
 *
 * @example
 *   const addon = requireNativeAddon(nativeAddonPath());
 *   addon.blasInfo();   // { name: 'openblas', config: 'OpenBLAS 0.3.34 ... SkylakeX ...', threads: 2 }
 */
import * as fs from 'fs';

export interface NativeMlpHandle {
  paramCount(): number;
  getParams(out: Float32Array): void;
  setParams(params: Float32Array): void;
  trainBatches(
    x: Float32Array,
    y: Int32Array,
    order: Int32Array,
    lr: number,
    weightDecay: number,
    batchSize: number,
    importance: boolean,
    recordImportance: Float32Array,
    recordNll: Float32Array,
    recordCorrect: Uint8Array,
  ): void;
  evaluate(x: Float32Array, y: Int32Array, nll: Float32Array, correct: Uint8Array): { nllSum: number; wrong: number };
  /** Writes ∇J into `out`; returns the mean loss. */
  lossGradient(x: Float32Array, y: Int32Array, weightDecay: number, out: Float32Array): number;
  hvp(x: Float32Array, y: Int32Array, v: Float32Array, weightDecay: number, out: Float32Array): void;
  directionalDerivatives(x: Float32Array, y: Int32Array, s: Float32Array, out: Float32Array): void;
  dispose(): void;
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
export const BUILD_COMMAND = '`make native` (or `npm run build:native`; needs a C++ compiler and OpenBLAS)';

/** Loads the addon at `file`, or throws an Error saying what failed and how to build it. */
export function requireNativeAddon(file: string): NativeAddon {
  if (!fs.existsSync(file)) throw new Error(`the native addon is not built (${file} is missing); build it with ${BUILD_COMMAND}`);
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (err) {
    throw new Error(`the native addon ${file} failed to load (${(err as Error).message.split('\n')[0]}); rebuild it with ${BUILD_COMMAND}`);
  }
  const addon = loaded as Partial<NativeAddon>;
  if (typeof addon.NativeMlp !== 'function' || typeof addon.blasInfo !== 'function' || typeof addon.setThreads !== 'function') {
    throw new Error(`${file} is not this project's native addon (missing NativeMlp/blasInfo/setThreads); rebuild it with ${BUILD_COMMAND}`);
  }
  return addon as NativeAddon;
}
