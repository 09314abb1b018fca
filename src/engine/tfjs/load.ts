/**
 * The tfjs engine: portable (pure JS, wasm, or native TensorFlow when installed), slower than the
 * native engine. Loading starts the backend once; later calls share the same engine.
 *
 * @example
 *   const engine = await loadTfjsEngine();   // SI_TFJS_BACKEND=cpu forces the cpu backend
 *   engine.backend;                          // 'tfjs wasm'
 *   const model = engine.createModel(spec, initParams(spec, 1));
 */
import type { ModelSpec } from '../../model/spec';
import { checkedEngine } from '../checked';
import type { Engine } from '../types';
import { startTfjsBackend } from './backend';
import { TfjsModel } from './model';
import { TfjsNetworkModel } from './network-model';

let loading: Promise<Engine> | undefined;

export function loadTfjsEngine(): Promise<Engine> {
  // A failed load is forgotten so that a later call (e.g. after installing a package) can retry.
  loading ??= createEngine().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function createEngine(): Promise<Engine> {
  const backendName = await startTfjsBackend(process.env.SI_TFJS_BACKEND);
  return checkedEngine({
    name: 'tfjs',
    backend: `tfjs ${backendName}`,
    createModel: (spec: ModelSpec, params: Float32Array) =>
      spec.network ? new TfjsNetworkModel(spec, params) : new TfjsModel(spec, params),
  });
}
