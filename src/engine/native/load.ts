/**
 * The native C++ engine (OpenBLAS sgemm, fused elementwise passes). Loads build/Release/si_native.node,
 * or rejects with what failed and the command that builds it.
 *
 * @example
 *   const engine = await loadNativeEngine();
 *   engine.backend;          // 'openblas 0.3.34 Haswell (2 threads)'
 *   engine.setThreads(1);    // BLAS threads for this process
 */
import { nativeAddonPath } from '../../paths';
import type { ModelSpec } from '../../model/spec';
import { checkedEngine } from '../checked';
import type { Engine, Model } from '../types';
import { requireNativeAddon, type NativeAddon } from './addon';
import { NativeModel } from './model';

export interface NativeEngine extends Engine {
  readonly name: 'native';
  /** Sets the BLAS (and oneDNN) threads of this process; false when the library cannot. */
  setThreads(count: number): boolean;
  /** How conv layers compute: on oneDNN, or unfolded and multiplied with the BLAS (and how to get oneDNN). */
  readonly convBackend: string;
}

/**
 * 'openblas 0.3.34 SkylakeX (2 threads)' from the library's self-description. The kernel OpenBLAS
 * picked for this CPU (OPENBLAS_CORETYPE overrides it) is part of it because it sets the rounding:
 * a run resumed on another kernel, or a scoring run retrained on one, follows another trajectory.
 */
export function describeBackend(addon: NativeAddon): string {
  const info = addon.blasInfo();
  const version = /OpenBLAS\s+(\d+\.\d+\.\d+)/i.exec(info.config)?.[1];
  // OpenBLAS's get_config ends with the kernel's name, then MAX_THREADS=n (or SINGLE_THREADED).
  const kernel = /(\S+)\s+(?:MAX_THREADS=|SINGLE_THREADED)/.exec(info.config)?.[1];
  const threads = info.threads > 0 ? ` (${info.threads} thread${info.threads === 1 ? '' : 's'})` : '';
  return `${info.name}${version ? ` ${version}` : ''}${kernel ? ` ${kernel}` : ''}${threads}`;
}

export function nativeEngineFrom(addon: NativeAddon): NativeEngine {
  return checkedEngine<NativeEngine>({
    name: 'native',
    get backend(): string {
      return describeBackend(addon);
    },
    get convBackend(): string {
      const dnnl = addon.blasInfo().dnnl;
      return dnnl
        ? `on ${dnnl}`
        : 'im2col + BLAS (no oneDNN in this build: apt-get install libdnnl-dev, then make native, for faster conv)';
    },
    backendFor(spec: ModelSpec): string {
      const dnnl = addon.blasInfo().dnnl;
      return spec.network && dnnl ? `${describeBackend(addon)}, conv on ${dnnl}` : describeBackend(addon);
    },
    createModel(spec: ModelSpec, params: Float32Array): Model {
      return new NativeModel(addon, spec, params);
    },
    setThreads(count: number): boolean {
      if (!Number.isInteger(count) || count < 1)
        throw new RangeError(`threads must be a positive integer, got ${count}`);
      return addon.setThreads(count);
    },
  });
}

/** Loads the addon at `file` (default: the project's build). */
export async function loadNativeEngine(file: string = nativeAddonPath()): Promise<NativeEngine> {
  return nativeEngineFrom(requireNativeAddon(file));
}
