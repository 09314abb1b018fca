/**
 * The CUDA engine (cuBLAS sgemm, fused kernels, one CUDA graph per step): loads
 * build/Release/si_cuda.node and checks a device is usable, or rejects with what failed and what
 * to do (build the addon; no CUDA driver/GPU: …).
 *
 * @example
 *   const engine = await loadCudaEngine();
 *   engine.backend;        // 'cuda H100 80GB HBM3 (cuBLAS 12.4.5, sm_90)'
 *   engine.device.freeMemory;
 */
import type { ModelSpec } from '../../model/spec';
import { checkedEngine } from '../checked';
import type { Engine, Model, TrainData } from '../types';
import { cudaAddonPath, requireCudaAddon, type CudaAddon, type CudaDeviceInfo } from './addon';
import { CudaModel, releaseCudaData, uploadCudaData } from './model';
import { loadNativeEngine } from '../native/load';
import { loadTfjsEngine } from '../tfjs/load';

export interface CudaEngine extends Engine {
  readonly name: 'cuda';
  readonly device: CudaDeviceInfo;
  /** 'cudart 12.4, cuBLAS 12.4.5, archs sm_90+compute_80' */
  readonly build: string;
  /** Uploads `data` now (else on first use); returns the device bytes it takes. */
  uploadData(spec: ModelSpec, data: TrainData): number;
  /** Frees the device copy of `data` now (else when it is garbage-collected). */
  releaseData(data: TrainData): void;
}

/** 12.9.3 from 120903 (cuBLAS encodes major*10000 + minor*100 + patch). */
export function cublasVersionString(v: number): string {
  return `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`;
}

/** 'cuda H100 80GB HBM3 (cuBLAS 12.9.3, sm_90)', with the memory added when the name lacks it. */
export function describeCudaBackend(info: CudaDeviceInfo): string {
  const name = info.name.replace(/^NVIDIA\s+/, '');
  const memory = /\d+\s*GB/i.test(name) ? '' : ` ${Math.round(info.totalMemory / 2 ** 30)}GB`;
  const cublas = info.cublasVersion > 0 ? `cuBLAS ${cublasVersionString(info.cublasVersion)}, ` : '';
  return `cuda ${name}${memory} (${cublas}sm_${info.major}${info.minor})`;
}

/** `cpu` runs the second-order queries (see ./model); without one they throw. */
export function cudaEngineFrom(addon: CudaAddon, cpu?: Engine): CudaEngine {
  const reason = addon.probe();
  if (reason) throw new Error(`${reason}; the CPU engines are used instead (see docs/GPU.md)`);
  const device = addon.deviceInfo();
  return checkedEngine<CudaEngine>({
    name: 'cuda',
    backend: describeCudaBackend(device),
    device,
    build: addon.buildInfo(),
    createModel(spec: ModelSpec, params: Float32Array): Model {
      // Conv on the GPU comes when a GPU can check it (docs/GPU.md).
      if (spec.network)
        throw new Error(
          'the CUDA engine trains the MLP only: run convolutional networks on the native or tfjs engine ' +
            '(--engine native)',
        );
      return new CudaModel(addon, spec, params, cpu);
    },
    uploadData(spec: ModelSpec, data: TrainData): number {
      return uploadCudaData(addon, spec, data).bytes();
    },
    releaseData(data: TrainData): void {
      releaseCudaData(data);
    },
  });
}

/** Loads the addon at `file` (default: the project's build, or SI_CUDA_ADDON). */
export async function loadCudaEngine(file: string = cudaAddonPath()): Promise<CudaEngine> {
  const addon = requireCudaAddon(file);
  const reason = addon.probe();
  if (reason) throw new Error(`${reason}; the CPU engines are used instead (see docs/GPU.md)`);
  const cpu = await loadNativeEngine()
    .catch(() => loadTfjsEngine())
    .catch(() => undefined);
  return cudaEngineFrom(addon, cpu);
}
