/**
 * Registers the built-in engines. Import this (or the package root) before `loadEngine`.
 * CUDA first (when a GPU and the built addon are there), native C++ next, tfjs last (portable).
 */
import { registerEngine } from './registry';
import { loadCudaEngine } from './cuda/load';
import { loadNativeEngine } from './native/load';
import { loadTfjsEngine } from './tfjs/load';

registerEngine({ name: 'cuda', priority: 30, load: loadCudaEngine });
registerEngine({ name: 'native', priority: 20, load: loadNativeEngine });
registerEngine({ name: 'tfjs', priority: 10, load: loadTfjsEngine });

export * from './registry';
export * from './types';
