/**
 * The compiled CUDA addon (native/cuda/addon_cuda.cc) as TypeScript sees it, and the one function
 * that loads it. Every method trusts its caller for meaning (see ../validate.ts) but throws,
 * never crashes, on wrong types.
 *
 * @example
 *   const addon = requireCudaAddon(cudaAddonPath());
 *   addon.probe();        // '' when a GPU is usable, else 'no CUDA driver/GPU: …'
 *   addon.deviceInfo();   // { name: 'NVIDIA H100 80GB HBM3', major: 9, minor: 0, totalMemory: …,
 *                         //   cublasVersion: 120903, … }
 */
import * as path from 'node:path';
import { projectRoot } from '../../paths';
import { requireAddon, type TrainBatchesArgs } from '../addon/load';
import type { ParamsHandle } from '../addon/handle-model';

/** A training or test set uploaded to the device once (x, y); freed by release() or when collected. */
export interface CudaDataHandle {
  bytes(): number;
  n(): number;
  release(): void;
}

export interface CudaMlpHandle extends ParamsHandle {
  trainBatches(data: CudaDataHandle, ...args: TrainBatchesArgs): void;
  evaluate(data: CudaDataHandle, nll: Float32Array, correct: Uint8Array): { nllSum: number; wrong: number };
  /** Device bytes held by this model (params, scratch, per-call buffers, cuBLAS workspace). */
  deviceBytes(): number;
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
  '`node native/cuda/build.js` (also run by `make native`) on a machine with the CUDA toolkit: ' +
  'nvcc and cuBLAS, found via CUDA_HOME, /usr/local/cuda or nvcc on PATH; see docs/GPU.md';

/** build/Release/si_cuda.node, or SI_CUDA_ADDON when set. */
export function cudaAddonPath(): string {
  return process.env.SI_CUDA_ADDON || path.join(projectRoot(), 'build', 'Release', 'si_cuda.node');
}

/** Loads the addon at `file`, or throws an Error saying what failed and how to build it. */
export function requireCudaAddon(file: string): CudaAddon {
  return requireAddon<CudaAddon>(file, 'CUDA', ['CudaMlp', 'CudaData', 'probe', 'deviceInfo'], CUDA_BUILD_COMMAND);
}
