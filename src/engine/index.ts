/**
 * Registers the built-in engines. Import this (or the package root) before `loadEngine`.
 * CUDA first once its hardware check has passed on this machine (by name only until then),
 * native C++ next, tfjs last (portable).
 */
import { registerEngine } from './registry';
import { loadCudaEngine } from './cuda/load';
import { cudaVerificationProblem } from './cuda/verification';
import { loadNativeEngine } from './native/load';
import { loadTfjsEngine } from './tfjs/load';

registerEngine({ name: 'cuda', priority: 30, load: loadCudaEngine, unverified: cudaVerificationProblem });
registerEngine({ name: 'native', priority: 20, load: loadNativeEngine, noticeWhenMissing: true });
registerEngine({ name: 'tfjs', priority: 10, load: loadTfjsEngine });

export * from './registry';
export * from './types';
