/**
 * What only the tfjs engine has: backend selection (SI_TFJS_BACKEND, tried in child processes
 * because a tfjs backend is process-wide), an idempotent loader, stable tensor memory across
 * steps, and agreement between its backends. The maths is covered by conformance.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadTfjsEngine } from '../../src/engine/tfjs/load';
import { newEpochRecord, type StepHyper, type TrainData } from '../../src/engine/types';
import { initParams } from '../../src/model/init';
import { layerCount, mlpSpec, networkModelSpec } from '../../src/model/spec';
import { randomData } from '../support/synthetic';
import { Rng } from '../../src/util/rng';

const LOADER = path.resolve(__dirname, '../../src/engine/tfjs/load.js');

/** Runs `script` in a fresh Node with SI_TFJS_BACKEND=backend; returns stdout, or the error text. */
function inChild(backend: string, script: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, SI_TFJS_BACKEND: backend },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, output };
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: string }).stderr) };
  }
}

const printBackend =
  `require(${JSON.stringify(LOADER)}).loadTfjsEngine()` +
  '.then((e) => console.log(e.backend), (e) => { console.error(e.message); process.exit(1); });';

const spec = mlpSpec(20, [16, 16], 5);
/** A conv net small enough for a tensor count: conv, pool, dense head. */
const TINY_CONV = networkModelSpec({
  inputShape: [1, 4, 4],
  layers: [
    { kind: 'conv2d', filters: 2, kernel: 3, padding: 1 },
    { kind: 'relu' },
    { kind: 'maxpool2' },
    { kind: 'flatten' },
    { kind: 'dense', units: 5 },
  ],
});
const hyper: StepHyper = { lr: 0.1, weightDecay: 1e-3, batchSize: 8, importance: true };
function fixture(): { params: Float32Array; data: TrainData; order: Int32Array } {
  const rng = new Rng(21);
  const n = 60;
  const data = {
    x: Float32Array.from({ length: n * spec.inputSize }, () => 2 * rng.uniform() - 1),
    y: Int32Array.from({ length: n }, () => rng.int(spec.classes)),
    n,
    inputSize: spec.inputSize,
  };
  return { params: initParams(spec, 22, 'glorot'), data, order: rng.permutation(n) };
}

describe('tfjs engine', () => {
  it('loads once: a second load returns the same engine', async () => {
    const first = await loadTfjsEngine();
    assert.equal(await loadTfjsEngine(), first);
    assert.match(first.backend, /^tfjs (tensorflow|wasm|cpu)$/);
  });

  it('SI_TFJS_BACKEND forces a backend', () => {
    assert.deepEqual(inChild('cpu', printBackend), { ok: true, output: 'tfjs cpu\n' });
    assert.deepEqual(inChild('wasm', printBackend), { ok: true, output: 'tfjs wasm\n' });
  });

  it('SI_TFJS_BACKEND with an unknown or unloadable backend is an error saying why', () => {
    const unknown = inChild('webgl', printBackend);
    assert.equal(unknown.ok, false);
    assert.match(unknown.output, /'webgl' is not a tfjs backend; choose one of tensorflow, wasm, cpu/);
    const tensorflow = inChild('tensorflow', printBackend);
    // Passes either way on a machine with @tensorflow/tfjs-node installed.
    if (!tensorflow.ok)
      assert.match(tensorflow.output, /cannot be used: no native TensorFlow package loads.*tfjs-node/);
  });

  for (const network of [false, true]) {
    const name = `keeps the tensor count constant across steps and frees all on dispose${network ? ' (conv)' : ''}`;
    it(name, async () => {
      const engine = await loadTfjsEngine();
      const f = fixture();
      const modelSpec = network ? TINY_CONV : spec;
      const params = network ? initParams(TINY_CONV, 2, 'glorot') : f.params;
      const data = network ? randomData(TINY_CONV, f.data.n, 3) : f.data;
      const { order } = f;
      const before = tf.memory().numTensors;
      const model = engine.createModel(modelSpec, params);
      const record = newEpochRecord(data.n, layerCount(modelSpec));
      model.trainBatches(data, order, hyper, record);
      const afterOneEpoch = tf.memory().numTensors;
      for (let epoch = 0; epoch < 3; epoch++) model.trainBatches(data, order, hyper, record);
      model.trainBatches(data, order, { ...hyper, importance: false }, record);
      model.evaluate(data);
      model.setParams(model.getParams());
      assert.equal(tf.memory().numTensors, afterOneEpoch, 'tensors leaked across steps');
      model.dispose();
      assert.equal(tf.memory().numTensors, before, 'tensors left after dispose');
    });
  }

  it('the cpu and wasm backends agree (relative 1e-4, as between engines)', () => {
    const f = fixture();
    const fixtureJson = JSON.stringify({
      params: Array.from(f.params),
      x: Array.from(f.data.x),
      y: Array.from(f.data.y),
      order: Array.from(f.order),
    });
    const inputSize = spec.inputSize;
    const dataJs = `{ x: Float32Array.from(f.x), y: Int32Array.from(f.y), n: f.y.length, inputSize: ${inputSize} }`;
    const resultJs =
      '{ backend: engine.backend, params: Array.from(model.getParams()), importance: Array.from(record.importance) }';
    const script = `
      const { loadTfjsEngine } = require(${JSON.stringify(LOADER)});
      const { newEpochRecord } = require(${JSON.stringify(path.resolve(__dirname, '../../src/engine/types.js'))});
      loadTfjsEngine().then((engine) => {
        const f = ${fixtureJson};
        const data = ${dataJs};
        const model = engine.createModel(${JSON.stringify(spec)}, Float32Array.from(f.params));
        const record = newEpochRecord(data.n, 3);
        model.trainBatches(data, Int32Array.from(f.order), ${JSON.stringify(hyper)}, record);
        console.log(JSON.stringify(${resultJs}));
      });`;
    const [cpu, wasm] = ['cpu', 'wasm'].map((backend) => {
      const run = inChild(backend, script);
      assert.ok(run.ok, run.output);
      return JSON.parse(run.output) as { backend: string; params: number[]; importance: number[] };
    });
    assert.ok(cpu && wasm, 'both backends reported');
    assert.equal(cpu.backend, 'tfjs cpu');
    assert.equal(wasm.backend, 'tfjs wasm');
    for (const key of ['params', 'importance'] as const) {
      const scale = Math.max(...wasm[key].map(Math.abs));
      cpu[key].forEach((v, k) => {
        const w = wasm[key][k];
        assert.ok(w !== undefined, `${key}[${k}]: cpu ${v}, wasm has only ${wasm[key].length} values`);
        const allowed = 1e-4 * Math.max(Math.abs(w), scale);
        assert.ok(Math.abs(v - w) <= allowed, `${key}[${k}]: cpu ${v}, wasm ${w}`);
      });
    }
  });
});
