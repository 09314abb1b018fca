/**
 * The native engine on its own: loader messages, the addon's own type checks, and one SGD step of a
 * 2-2-2 net checked against float64 arithmetic written out below. Cross-engine conformance (and the
 * contract's argument checks, the same on every engine) lives in conformance.test.ts.
 * Skips when build/Release/si_native.node is not built (`make native`).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nativeAddonPath } from '../../src/paths';
import { cnnSmall } from '../../src/model/network';
import { initParams } from '../../src/model/init';
import { mlpSpec, networkModelSpec, paramCount, type ModelSpec } from '../../src/model/spec';
import { NativeModel } from '../../src/engine/native/model';
import { Rng } from '../../src/util/rng';
import { assertClose as assertRelativelyClose } from '../support/close';
import { referenceTrain } from '../support/reference';
import { randomData } from '../support/synthetic';
import { newEpochRecord, type StepHyper, type TrainData } from '../../src/engine/types';
import { describeBackend, loadNativeEngine, type NativeEngine } from '../../src/engine/native/load';
import { requireNativeAddon, type NativeAddon } from '../../src/engine/native/addon';

const built = fs.existsSync(nativeAddonPath());
const skip = built ? false : `native addon not built (${nativeAddonPath()}); run \`make native\``;

// 2 inputs → 2 ReLU → 2 classes. Layout: W1 [2,2] row-major, b1, W2 [2,2], b2.
const spec = mlpSpec(2, [2], 2);
const params0 = [0.5, -0.3, 0.2, 0.8, 0.1, -0.1, 0.7, -0.4, -0.6, 0.9, 0.05, -0.05];
const data: TrainData = {
  x: Float32Array.from([1, 2, -1, 0.5, 0.3, -2]),
  y: Int32Array.from([1, 0, 1]),
  n: 3,
  inputSize: 2,
};
const hyper: StepHyper = { lr: 0.5, weightDecay: 0.01, batchSize: 2, importance: true };

/** One SGD step of the 2-2-2 net in float64, as the README defines it, for the samples in `batch`. */
function referenceStep(p: number[], batch: number[]) {
  const m = batch.length;
  const [W1, b1, W2, b2] = [p.slice(0, 4), p.slice(4, 6), p.slice(6, 10), p.slice(10, 12)];
  const gW1 = [0, 0, 0, 0],
    gb1 = [0, 0],
    gW2 = [0, 0, 0, 0],
    gb2 = [0, 0];
  const beta: number[][] = [],
    nll: number[] = [],
    correct: boolean[] = [];
  for (const s of batch) {
    const x = [data.x[2 * s]!, data.x[2 * s + 1]!];
    const y = data.y[s]!;
    const z1 = [0, 1].map((j) => x[0]! * W1[j]! + x[1]! * W1[2 + j]! + b1[j]!);
    const a1 = z1.map((v) => Math.max(v, 0));
    const z2 = [0, 1].map((j) => a1[0]! * W2[j]! + a1[1]! * W2[2 + j]! + b2[j]!);
    const e = z2.map(Math.exp);
    const prob = e.map((v) => v / (e[0]! + e[1]!));
    nll.push(-Math.log(prob[y]!));
    correct.push((z2[1]! > z2[0]! ? 1 : 0) === y);
    const d2 = prob.map((v, j) => v - (j === y ? 1 : 0));
    const d1 = [0, 1].map((i) => (z1[i]! > 0 ? d2[0]! * W2[2 * i]! + d2[1]! * W2[2 * i + 1]! : 0));
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        gW1[2 * i + j]! += x[i]! * d1[j]!;
        gW2[2 * i + j]! += a1[i]! * d2[j]!;
      }
    }
    for (let j = 0; j < 2; j++) {
      gb1[j]! += d1[j]!;
      gb2[j]! += d2[j]!;
    }
    // β straight from the definition: ‖(η/m) g_i‖² summed over the layer's weights and biases.
    const layerNorm = (a: number[], d: number[]) => {
      let sum = 0;
      for (const ai of a) for (const dj of d) sum += (ai * dj) ** 2;
      for (const dj of d) sum += dj ** 2;
      return (hyper.lr / m) ** 2 * sum;
    };
    beta.push([layerNorm(x, d1), layerNorm(a1, d2)]);
  }
  const { lr, weightDecay: wd } = hyper;
  const stepW = (w: number[], g: number[]) => w.map((v, k) => v - lr * (g[k]! / m + wd * v));
  const stepB = (b: number[], g: number[]) => b.map((v, k) => v - lr * (g[k]! / m));
  return { params: [...stepW(W1, gW1), ...stepB(b1, gb1), ...stepW(W2, gW2), ...stepB(b2, gb2)], beta, nll, correct };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-6): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

async function engine(): Promise<NativeEngine> {
  return loadNativeEngine();
}

test('loader rejects a missing addon with the command that builds it', async () => {
  await assert.rejects(loadNativeEngine('/nonexistent/si_native.node'), /not built.*make native/);
});

test('loader rejects a file that is not a loadable addon', async () => {
  const bogus = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'si-native-')), 'si_native.node');
  fs.writeFileSync(bogus, 'not a shared object');
  await assert.rejects(loadNativeEngine(bogus), /failed to load.*make native/);
});

test('backend names the BLAS, its kernel and its threads', { skip }, async () => {
  const e = await engine();
  assert.equal(e.name, 'native');
  assert.match(e.backend, /^\S+( \d+\.\d+\.\d+)?( \S+)?( \(\d+ threads?\))?$/);
  if (e.setThreads(1)) assert.match(e.backend, /\(1 thread\)$/);
  e.setThreads(os.cpus().length);
});

test("backend: OpenBLAS's kernel from its self-description; another CBLAS by name", () => {
  const addon = (name: string, config: string, threads: number) =>
    ({ blasInfo: () => ({ name, config, threads, dnnl: '' }) }) as unknown as NativeAddon;
  const openblas = 'OpenBLAS 0.3.34.481.3 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64';
  assert.equal(describeBackend(addon('openblas', openblas, 1)), 'openblas 0.3.34 SkylakeX (1 thread)');
  assert.equal(describeBackend(addon('openblas', openblas, 2)), 'openblas 0.3.34 SkylakeX (2 threads)');
  assert.equal(
    describeBackend(addon('openblas', 'OpenBLAS 0.3.20 Haswell SINGLE_THREADED', 0)),
    'openblas 0.3.20 Haswell',
  );
  assert.equal(describeBackend(addon('accelerate', 'accelerate', 0)), 'accelerate');
});

test('one step of a 2-2-2 net matches float64 arithmetic', { skip }, async () => {
  const model = (await engine()).createModel(spec, Float32Array.from(params0));
  const record = newEpochRecord(data.n, 2);
  model.trainBatches(data, Int32Array.from([2, 0]), hyper, record);
  const expected = referenceStep(params0, [2, 0]);
  assertClose(model.getParams(), expected.params, 'params');
  assertClose(
    [record.importance[4]!, record.importance[5]!, record.importance[0]!, record.importance[1]!],
    expected.beta.flat(),
    'beta',
  );
  assertClose([record.nll[2]!, record.nll[0]!], expected.nll, 'nll');
  assert.deepEqual([record.correct[2], record.correct[0]], expected.correct.map(Number));
  assert.deepEqual(
    [record.importance[2], record.importance[3], record.nll[1]],
    [0, 0, 0],
    'an unvisited sample is untouched',
  );
  model.dispose();
});

test('a smaller last batch uses its own m, and importance off leaves β untouched', { skip }, async () => {
  const model = (await engine()).createModel(spec, Float32Array.from(params0));
  const record = newEpochRecord(data.n, 2);
  record.importance.fill(-1);
  model.trainBatches(data, Int32Array.from([1, 2, 0]), { ...hyper, importance: false }, record);
  const first = referenceStep(params0, [1, 2]);
  const second = referenceStep(first.params, [0]);
  assertClose(model.getParams(), second.params, 'params', 1e-5);
  assertClose(record.nll, [second.nll[0]!, first.nll[0]!, first.nll[1]!], 'nll', 1e-5);
  assert.ok(record.importance.every((v) => v === -1));
  model.dispose();
});

test('evaluate reports per-sample nll, correct, mean loss and error without changing params', { skip }, async () => {
  const model = (await engine()).createModel(spec, Float32Array.from(params0));
  const result = model.evaluate(data);
  const reference = referenceStep(params0, [0, 1, 2]);
  assertClose(result.nll, reference.nll, 'nll');
  assert.deepEqual([...result.correct], reference.correct.map(Number));
  assertClose(
    [result.loss, result.error],
    [reference.nll.reduce((a, b) => a + b) / 3, reference.correct.filter((c) => !c).length / 3],
    'totals',
  );
  assertClose(model.getParams(), params0, 'params');
  model.dispose();
});

test('the addon throws JavaScript errors, never crashes, on wrong types', { skip }, () => {
  const addon = requireNativeAddon(nativeAddonPath());
  assert.throws(() => new addon.NativeMlp([2, 2] as unknown as Int32Array), /sizes must be a Int32Array/);
  assert.throws(() => new addon.NativeMlp(Int32Array.from([2, 0, 2])), /positive/);
  const handle = new addon.NativeMlp(Int32Array.from([2, 2, 2]));
  const call =
    (...args: unknown[]) =>
    () =>
      (handle.trainBatches as (...a: unknown[]) => void)(...args);
  const ok = [
    data.x,
    data.y,
    Int32Array.from([0]),
    0.1,
    0,
    1,
    true,
    true,
    new Float32Array(6),
    new Float32Array(3),
    new Uint8Array(3),
    new Float32Array(3),
    new Float32Array(3),
  ];
  assert.doesNotThrow(call(...ok));
  assert.throws(call(...ok.slice(0, 5), 'ten', ...ok.slice(6)), /batchSize must be a number/);
  assert.throws(call(...ok.slice(0, 7), 'yes', ...ok.slice(8)), /scores must be a boolean/);
  assert.throws(call(...ok.slice(0, 10)), /record\.correct must be a Uint8Array/);
  assert.throws(call(...ok.slice(0, 12)), /record\.el2n must be a Float32Array/);
  assert.throws(call(...ok.slice(0, 2), Int32Array.from([7]), ...ok.slice(3)), /outside the data/);
  assert.throws(call(...ok.slice(0, 8), new Float32Array(5), ...ok.slice(9)), /record\.importance has length 5/);
  assert.throws(call(...ok.slice(0, 11), new Float32Array(2), ...ok.slice(12)), /record\.margin has length 2/);
  assert.throws(() => addon.setThreads(0), /positive integer/);
  handle.dispose();
  assert.throws(() => handle.paramCount(), /disposed/);
});

test('conv layers: both forms of β, on oneDNN or the BLAS, agree with the float64 reference', { skip }, () => {
  const convSpec = networkModelSpec({
    inputShape: [2, 6, 6],
    layers: [
      { kind: 'conv2d', filters: 3, kernel: 3, padding: 1 },
      { kind: 'relu' },
      { kind: 'maxpool2' },
      { kind: 'conv2d', filters: 4, kernel: 2, padding: 1 },
      { kind: 'relu' },
      { kind: 'flatten' },
      { kind: 'dense', units: 3 },
    ],
  });
  const addon = requireNativeAddon(nativeAddonPath());
  const params = initParams(convSpec, 4, 'glorot');
  const convData = randomData(convSpec, 9, 5);
  const order = new Rng(6).permutation(9);
  const convHyper: StepHyper = { lr: 0.2, weightDecay: 0.01, batchSize: 4, importance: true };
  const expected = referenceTrain(convSpec, params, convData, order, convHyper);
  const hasDnnl = addon.blasInfo().dnnl !== '';
  for (const norm of ['perSample', 'gram'] as const)
    for (const dnnl of [false, true]) {
      const model = new NativeModel(addon, convSpec, params, { norm, dnnl });
      const what = `${norm}, ${dnnl && hasDnnl ? 'oneDNN' : 'BLAS'}`;
      try {
        assert.deepEqual(model.gramLayers(), norm === 'gram' ? [true, true] : [false, false]);
        assert.equal(model.usesDnnl(), dnnl && hasDnnl);
        const record = newEpochRecord(convData.n, 3);
        model.trainBatches(convData, order, convHyper, record);
        assertRelativelyClose(record.importance, expected.record.importance, 1e-4, `${what} β`);
        assertRelativelyClose(record.nll, expected.record.nll, 1e-4, `${what} nll`);
        assertRelativelyClose(model.getParams(), expected.params, 1e-4, `${what} params`);
        const evaluated = model.evaluate(convData);
        assert.ok(Number.isFinite(evaluated.loss), `${what} evaluate`);
      } finally {
        model.dispose();
      }
    }
});

test('conv layers: the cost model takes the Gram form only where the output is small and the layer wide', {
  skip,
}, () => {
  const addon = requireNativeAddon(nativeAddonPath());
  const gramLayers = (spec: ModelSpec) => {
    const model = new NativeModel(addon, spec, new Float32Array(paramCount(spec)));
    try {
      return model.gramLayers();
    } finally {
      model.dispose();
    }
  };
  // cnn-small: T = 784 and 196 positions against 2·F·K = 1,600 and 102,400: the per-sample product.
  assert.deepEqual(gramLayers(networkModelSpec(cnnSmall([1, 28, 28], 10))), [false, false]);
  // A 2×2 output of a 64 → 64 layer with a 3×3 kernel: T²(K + F + 1) = 16·641 < 2·F·K = 73,728.
  const wide = networkModelSpec({
    inputShape: [64, 4, 4],
    layers: [{ kind: 'conv2d', filters: 64, kernel: 3, padding: 0 }, { kind: 'flatten' }, { kind: 'dense', units: 2 }],
  });
  assert.deepEqual(gramLayers(wide), [true]);
});

test('the addon itself refuses what the front end would: pooling an odd-sized image', { skip }, () => {
  const addon = requireNativeAddon(nativeAddonPath());
  // maxpool2 then dense 2 on a 1×5×5 image, straight to the addon past the TypeScript checks.
  assert.throws(
    () => new addon.NativeConvNet(Int32Array.from([1, 5, 5]), Int32Array.from([2, 0, 0, 0, 3, 2, 0, 0]), 0, true),
    /layer 0: maxpool2 of an odd-sized input/,
  );
  assert.throws(
    () => new addon.NativeConvNet(Int32Array.from([1, 4, 4]), Int32Array.from([1, 0, 0, 0]), 0, true),
    /must end in a dense layer/,
  );
});
