/**
 * Chooses and starts the tfjs backend. Without a choice it takes the best that loads, in order:
 * `tensorflow` (the optional native packages @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node,
 * which this project does not depend on), `wasm`, `cpu`. A named choice (env SI_TFJS_BACKEND) must
 * load, else the error says why.
 *
 * The wasm backend runs single-threaded SIMD in Node: tfjs-backend-wasm 4.22 reports no
 * multithread support whenever IS_NODE is set (tensorflow/tfjs#3830), whatever the CPU count.
 *
 * @example
 *   const name = await startTfjsBackend(process.env.SI_TFJS_BACKEND);  // 'wasm'
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';
/** Best first. */
export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/** Registers the backend's factory with tfjs; throws why it cannot. */
async function registerBackend(name: TfjsBackendName): Promise<void> {
  if (name === 'tensorflow') {
    const failures: string[] = [];
    for (const pkg of TENSORFLOW_PACKAGES) {
      try {
        // A computed name keeps TypeScript from needing these optional packages at compile time.
        require(pkg);
      } catch (err) {
        failures.push(`${pkg}: ${firstLine(err)}`);
        continue;
      }
      // danfojs-node's install maps @tensorflow/tfjs-node to plain @tensorflow/tfjs (an npm
      // override), which loads fine but brings no native backend.
      if (tf.findBackendFactory('tensorflow')) return;
      failures.push(`${pkg}: loads but registers no 'tensorflow' backend (a stand-in without libtensorflow)`);
    }
    throw new Error(
      `no native TensorFlow package loads (npm install @tensorflow/tfjs-node to get one): ${failures.join('; ')}`,
    );
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node reads the .wasm binaries from disk; the prefix must end with a separator.
    const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(distDir + path.sep);
    return;
  }
  await import('@tensorflow/tfjs-backend-cpu');
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0]!;
}

async function tryBackend(name: TfjsBackendName): Promise<void> {
  await registerBackend(name);
  // setBackend answers false (it logs, but does not throw) when the backend fails to initialise.
  if (!(await tf.setBackend(name))) throw new Error(`tfjs could not initialise the '${name}' backend`);
  await tf.ready();
}

/**
 * Starts `choice` (one of TFJS_BACKENDS) or, when it is empty, the best that loads; returns the name.
 */
export async function startTfjsBackend(choice?: string): Promise<TfjsBackendName> {
  // Prod mode silences the cpu backend's console advice to install tfjs-node on every start.
  tf.enableProdMode();
  if (choice) {
    const name = TFJS_BACKENDS.find((b) => b === choice);
    if (!name)
      throw new Error(`SI_TFJS_BACKEND='${choice}' is not a tfjs backend; choose one of ${TFJS_BACKENDS.join(', ')}`);
    try {
      await tryBackend(name);
    } catch (err) {
      throw new Error(`SI_TFJS_BACKEND='${choice}' cannot be used: ${firstLine(err)}`);
    }
    return name;
  }
  const failures: string[] = [];
  for (const name of TFJS_BACKENDS) {
    try {
      await tryBackend(name);
      return name;
    } catch (err) {
      failures.push(`${name}: ${firstLine(err)}`);
    }
  }
  throw new Error(`no tfjs backend loads: ${failures.join('; ')}`);
}
