/**
 * Registers the built-in engines. Import this (or the package root) before `loadEngine`.
 * Native C++ first (fastest), tfjs last (portable).
 */
import { registerEngine } from './registry';
import { loadNativeEngine } from './native/load';
import { loadTfjsEngine } from './tfjs/load';

registerEngine({ name: 'native', priority: 20, load: loadNativeEngine });
registerEngine({ name: 'tfjs', priority: 10, load: loadTfjsEngine });

export * from './registry';
export * from './types';
