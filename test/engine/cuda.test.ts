/**
 * The CUDA engine's loader and what it adds beside the Model contract (the maths is checked by
 * test/engine/conformance.test.ts, which runs on every engine that loads). On a machine without a
 * GPU this checks the loader's reasons and skips the rest, saying why.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registeredEngines, ENGINE_CHOICES } from '../../src/engine/index';
import { newEpochRecord, type TrainData } from '../../src/engine/types';
import { cudaAddonPath, requireCudaAddon } from '../../src/engine/cuda/addon';
import { cublasVersionString, describeCudaBackend, loadCudaEngine, type CudaEngine } from '../../src/engine/cuda/load';
import { cudaVerificationProblem, recordCudaVerification } from '../../src/engine/cuda/verification';
import type { CudaModel } from '../../src/engine/cuda/model';
import { initParams } from '../../src/model/init';
import { mlpSpec } from '../../src/model/spec';
import { Rng } from '../../src/util/rng';

const built = fs.existsSync(cudaAddonPath());
/** Why the GPU tests cannot run here ('' when they can). */
const unavailable: Promise<string> = loadCudaEngine().then(
  () => '',
  (err: Error) => err.message,
);

test('auto ranks cuda first only once its hardware check has passed for the addon now built', () => {
  const saved = process.env.SI_CUDA_ADDON;
  const addon = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'si-cuda-')), 'si_cuda.node');
  process.env.SI_CUDA_ADDON = addon;
  try {
    assert.ok(ENGINE_CHOICES.includes('cuda'));
    assert.deepEqual(registeredEngines(), ['native', 'tfjs', 'cuda'], 'no addon: by name only');
    assert.match(
      cudaVerificationProblem() ?? '',
      /never verified on a GPU here.*--engine cuda.*scripts\/gpu-check\.sh/,
    );
    fs.writeFileSync(addon, 'addon bytes');
    recordCudaVerification({ device: 'test GPU', summary: 'test' });
    assert.equal(cudaVerificationProblem(), undefined);
    assert.deepEqual(registeredEngines(), ['cuda', 'native', 'tfjs'], 'verified: first');
    fs.writeFileSync(addon, 'rebuilt addon bytes');
    assert.match(cudaVerificationProblem() ?? '', /the addon was rebuilt since .*si_cuda\.verified\.json was written/);
    assert.equal(registeredEngines()[0], 'native');
  } finally {
    if (saved === undefined) delete process.env.SI_CUDA_ADDON;
    else process.env.SI_CUDA_ADDON = saved;
  }
});

test('loader rejects a missing addon with the command that builds it', async () => {
  await assert.rejects(loadCudaEngine('/nonexistent/si_cuda.node'), /CUDA addon is not built.*native\/cuda\/build\.js/);
});

test('loader rejects a file that is not a loadable addon', async () => {
  const bogus = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'si-cuda-')), 'si_cuda.node');
  fs.writeFileSync(bogus, 'not a shared object');
  await assert.rejects(loadCudaEngine(bogus), /failed to load.*native\/cuda\/build\.js/);
});

test('backend string names the device, its memory, cuBLAS and the compute capability', () => {
  const info = {
    device: 0,
    name: 'NVIDIA H100 80GB HBM3',
    totalMemory: 85e9,
    freeMemory: 80e9,
    major: 9,
    minor: 0,
    multiprocessors: 132,
    driverVersion: 12040,
    runtimeVersion: 12040,
    cublasVersion: 120903,
  };
  assert.equal(describeCudaBackend(info), 'cuda H100 80GB HBM3 (cuBLAS 12.9.3, sm_90)');
  assert.equal(
    describeCudaBackend({
      ...info,
      name: 'NVIDIA A10',
      totalMemory: 24 * 2 ** 30,
      major: 8,
      minor: 6,
      cublasVersion: 0,
    }),
    'cuda A10 24GB (sm_86)',
  );
  assert.equal(cublasVersionString(131000), '13.10.0');
});

test('without a driver or GPU the built addon loads but the engine says why it cannot run', {
  skip: built ? false : `CUDA addon not built (${cudaAddonPath()})`,
}, async (t) => {
  const reason = await unavailable;
  if (!reason) return t.skip('a GPU is present: nothing to check here');
  const addon = requireCudaAddon(cudaAddonPath());
  assert.match(addon.buildInfo(), /^cudart \d+\.\d+, cuBLAS \d+\.\d+\.\d+, archs \S+$/);
  assert.deepEqual(addon.backends(), []);
  assert.match(addon.probe(), /^no CUDA driver\/GPU: /);
  assert.match(reason, /^no CUDA driver\/GPU: .*CPU engines are used/);
  assert.throws(() => addon.deviceInfo(), /no CUDA driver\/GPU/);
});

// ---- on a GPU ----

function blobData(n: number, inputSize: number, classes: number, seed: number): TrainData {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * inputSize }, () => rng.uniform());
  const y = Int32Array.from({ length: n }, () => rng.int(classes));
  return { x, y, n, inputSize };
}

async function gpu(t: { skip: (why: string) => void }): Promise<CudaEngine | undefined> {
  const reason = await unavailable;
  if (reason) {
    t.skip(`cuda does not load: ${reason}`);
    return undefined;
  }
  return loadCudaEngine();
}

test('several models share one GPU and one uploaded data set without disturbing each other', async (t) => {
  const engine = await gpu(t);
  if (!engine) return;
  assert.match(engine.backend, /^cuda \S/);
  const spec = mlpSpec(32, [64, 64], 10);
  const data = blobData(1000, 32, 10, 1);
  const hyper = { lr: 0.1, weightDecay: 1e-5, batchSize: 100, importance: true };
  const orders = [new Rng(2).permutation(1000), new Rng(3).permutation(1000)];
  const solo = (order: Int32Array) => {
    const m = engine.createModel(spec, initParams(spec, 4, 'glorot'));
    const rec = newEpochRecord(data.n, 3);
    m.trainBatches(data, order, hyper, rec);
    const params = m.getParams();
    m.dispose();
    return { rec, params };
  };
  const expected = orders.map(solo);
  // Interleaved, in chunks of 3 batches (plus a partial one at the end), on one shared upload.
  const models = orders.map(() => engine.createModel(spec, initParams(spec, 4, 'glorot')));
  const recs = orders.map(() => newEpochRecord(data.n, 3));
  for (let start = 0; start < data.n; start += 300) {
    models.forEach((m, k) => {
      m.trainBatches(data, orders[k]!.subarray(start, Math.min(start + 300, data.n)), hyper, recs[k]!);
    });
  }
  models.forEach((m, k) => {
    const want = expected[k]!;
    const rec = recs[k]!;
    assert.deepEqual(m.getParams(), want.params, `model ${k} params`);
    assert.deepEqual(rec.importance, want.rec.importance, `model ${k} β`);
    assert.deepEqual(rec.nll, want.rec.nll, `model ${k} nll`);
    assert.ok((m as CudaModel).deviceBytes() > 0);
    m.dispose();
  });
  assert.ok(engine.uploadData(spec, data) >= data.x.byteLength);
  engine.releaseData(data);
});

test(
  'a new TrainData with other arrays is uploaded afresh, ' + 'and evaluate matches training-time nll at a fixed point',
  async (t) => {
    const engine = await gpu(t);
    if (!engine) return;
    const spec = mlpSpec(8, [16], 3);
    const a = blobData(50, 8, 3, 5);
    const b = { ...a, x: a.x.map((v) => v + 1) };
    const model = engine.createModel(spec, initParams(spec, 6, 'glorot'));
    try {
      const ea = model.evaluate(a);
      const eb = model.evaluate(b);
      assert.notDeepEqual(ea.nll, eb.nll);
      assert.deepEqual(model.evaluate(a).nll, ea.nll);
    } finally {
      model.dispose();
    }
  },
);
