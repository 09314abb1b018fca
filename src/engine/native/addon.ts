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

/** A conv network's handle (native/convnet.h): training and evaluation; no curvature queries yet. */
export interface NativeConvNetHandle extends ParamsHandle {
  trainBatches(x: Float32Array, y: Int32Array, ...args: TrainBatchesArgs): void;
  evaluate(x: Float32Array, y: Int32Array, nll: Float32Array, correct: Uint8Array): { nllSum: number; wrong: number };
  /** Per conv layer, whether its β takes the Gram ("ghost norm") form. */
  gramLayers(): boolean[];
  /** Whether its conv layers' forward and backward-data passes run on oneDNN. */
  usesDnnl(): boolean;
}

/** How a conv layer's per-sample weight-gradient norm is computed: the cost model's choice, or forced (tests). */
export const CONV_NORMS = { cheapest: 0, perSample: 1, gram: 2 } as const;
export type ConvNorm = keyof typeof CONV_NORMS;

export interface BlasInfo {
  /** Short library name from the build, e.g. 'openblas'. */
  readonly name: string;
  /** The library's own description (OpenBLAS: version, kernel, options). */
  readonly config: string;
  /** Threads per BLAS call; 0 when the library does not say. */
  readonly threads: number;
  /** oneDNN's version where the build found it (conv layers run on it), else ''. */
  readonly dnnl: string;
}

export interface NativeAddon {
  NativeMlp: new (sizes: Int32Array) => NativeMlpHandle;
  /**
   * input [c, h, w]; ops: 4 numbers per layer (kind: 0 conv2d, 1 relu, 2 maxpool2, 3 dense; size;
   * kernel; padding); norm as CONV_NORMS; dnnl: conv layers on oneDNN where the build has it.
   */
  NativeConvNet: new (
    input: Int32Array,
    ops: Int32Array,
    norm: number,
    dnnl: boolean,
  ) => NativeConvNetHandle;
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
  // oneDNN's OpenMP threads spin between conv passes unless told otherwise, taking the cores that
  // OpenBLAS's threads need next: the smoke protocol on a conv net ran 3.4x slower on 2 cores.
  // libgomp reads this once, when the addon loads it.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  return requireAddon<NativeAddon>(
    file,
    'native',
    ['NativeMlp', 'NativeConvNet', 'blasInfo', 'setThreads'],
    BUILD_COMMAND,
  );
}
