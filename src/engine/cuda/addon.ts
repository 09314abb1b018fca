/**
 * The compiled CUDA addon (native/cuda/addon_cuda.cc) as TypeScript sees it, and the one function
 * that loads it. Every method trusts its caller for meaning (see ../native/validate) but throws,
 * never crashes, on wrong types.
 *
 * @example
 *   const addon = requireCudaAddon(cudaAddonPath());
 *   addon.probe();        // '' when a GPU is usable, else 'no CUDA driver/GPU: …'
 *   addon.deviceInfo();   // { name: 'NVIDIA H100 80GB HBM3', major: 9, minor: 0, totalMemory: …, cublasVersion: 120903, … }
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../../paths';

/** A training or test set uploaded to the device once (x, y); freed by release() or when collected. */
export interface CudaDataHandle {
  bytes(): number;
  n(): number;
  release(): void;
}

export interface CudaMlpHandle {
  paramCount(): number;
  getParams(out: Float32Array): void;
  setParams(params: Float32Array): void;
  trainBatches(
    data: CudaDataHandle,
    order: Int32Array,
    lr: number,
    weightDecay: number,
    batchSize: number,
    importance: boolean,
    recordImportance: Float32Array,
    recordNll: Float32Array,
    recordCorrect: Uint8Array,
  ): void;
  evaluate(data: CudaDataHandle, nll: Float32Array, correct: Uint8Array): { nllSum: number; wrong: number };
  /** Device bytes held by this model (params, scratch, per-call buffers, cuBLAS workspace). */
  deviceBytes(): number;
  dispose(): void;
}

export interface CudaDeviceInfo {
  readonly device: number;
  readonly name: string;
  readonly totalMemory: number;
  readonly freeMemory: number;
  /** Compute capability major.minor, e.g. 9.0 on H100/H200. */
  readonly major: number;
  readonly minor: number;
  readonly multiprocessors: number;
  /** e.g. 12040 for a driver supporting CUDA 12.4. */
  readonly driverVersion: number;
  readonly runtimeVersion: number;
  /** e.g. 120903 for cuBLAS 12.9.3. */
  readonly cublasVersion: number;
}

export interface CudaAddon {
  CudaData: new (x: Float32Array, y: Int32Array, inputSize: number, classes: number) => CudaDataHandle;
  CudaMlp: new (sizes: Int32Array) => CudaMlpHandle;
  /** Throws 'no CUDA driver/GPU: …' when no device is usable. */
  deviceInfo(): CudaDeviceInfo;
  /** 'cudart 12.4, cuBLAS 12.4.5, archs sm_90+compute_80' */
  buildInfo(): string;
  /** ['cuda'] when a device is usable, else []. */
  backends(): string[];
  /** '' when a device is usable, else why not. */
  probe(): string;
}

/** How to (re)build the addon, for error messages. */
export const CUDA_BUILD_COMMAND =
  '`node native/cuda/build.js` (also run by `make native`) on a machine with the CUDA toolkit: nvcc and cuBLAS, found via CUDA_HOME, /usr/local/cuda or nvcc on PATH; see docs/GPU.md';

/** build/Release/si_cuda.node, or SI_CUDA_ADDON when set. */
export function cudaAddonPath(): string {
  return process.env.SI_CUDA_ADDON || path.join(projectRoot(), 'build', 'Release', 'si_cuda.node');
}

/** Loads the addon at `file`, or throws an Error saying what failed and how to build it. */
export function requireCudaAddon(file: string): CudaAddon {
  if (!fs.existsSync(file)) throw new Error(`the CUDA addon is not built (${file} is missing); build it with ${CUDA_BUILD_COMMAND}`);
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (err) {
    throw new Error(`the CUDA addon ${file} failed to load (${(err as Error).message.split('\n')[0]}); rebuild it with ${CUDA_BUILD_COMMAND}`);
  }
  const addon = loaded as Partial<CudaAddon>;
  if (typeof addon.CudaMlp !== 'function' || typeof addon.CudaData !== 'function' || typeof addon.probe !== 'function' ||
      typeof addon.deviceInfo !== 'function') {
    throw new Error(`${file} is not this project's CUDA addon (missing CudaMlp/CudaData/probe/deviceInfo); rebuild it with ${CUDA_BUILD_COMMAND}`);
  }
  return addon as CudaAddon;
}
