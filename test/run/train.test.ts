import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { readNpy } from '../../src/io/npy';
import { hashOrder, resolveRunConfig, runDir, runKey, type RunConfig } from '../../src/run/config';
import { DivergenceError, resumesOn, trainRun } from '../../src/run/train';
import { readRunMeta } from '../../src/run/record';
import { openRun } from '../../src/run/open-run';
import { subsetOf } from '../../src/run/subset';
import { blobs } from '../support/synthetic';
import { tempDir } from '../support/tmp';
import { runPython, venvNumpyMissing } from '../support/python';

const train = blobs(120, 12, 3, 1);
const test_ = blobs(40, 12, 3, 2);
const base = (over: Partial<RunConfig> = {}) =>
  resolveRunConfig({
    dataset: 'mnist',
    trainSize: 120,
    testSize: 40,
    hidden: [8, 6],
    batchSize: 25,
    epochs: 3,
    lr: 0.2,
    ...over,
  });

async function run(cfg: RunConfig, runsDir: string, extra: Partial<Parameters<typeof trainRun>[1]> = {}) {
  const engine = await loadEngine('auto');
  return trainRun(cfg, { engine, train, test: test_, classes: 3, runsDir, ...extra });
}

test('a run writes the documented record, readable as numpy arrays', async () => {
  const dir = tempDir();
  const cfg = base({ snapshotEvery: 1 });
  const out = await run(cfg, dir);
  assert.equal(out.meta.status, 'complete');
  assert.equal(path.basename(out.dir), runKey(cfg));
  const meta = readRunMeta(out.dir)!;
  assert.equal(meta.epochsCompleted, 3);
  assert.equal(meta.metrics.length, 4);
  assert.deepEqual(
    meta.layers.map((l) => [l.name, l.params]),
    [
      ['L1', 12 * 8 + 8],
      ['L2', 8 * 6 + 6],
      ['Out', 6 * 3 + 3],
    ],
  );
  assert.deepEqual(meta.snapshots.sort(), [0, 1, 2, 3]);
  const imp = readNpy(path.join(out.dir, 'importance.npy'));
  assert.deepEqual(imp.shape, [3, 120, 3]);
  assert.ok(imp.data.every((v) => v >= 0) && imp.data.some((v) => v > 0));
  const order = readNpy(path.join(out.dir, 'order.npy'));
  for (let t = 0; t < 3; t++) {
    const row = [...order.data.subarray(t * 120, (t + 1) * 120)].sort((a, b) => a - b);
    assert.deepEqual(
      row,
      Array.from({ length: 120 }, (_, i) => i),
      `order row ${t} is a permutation`,
    );
  }
  assert.notDeepEqual(
    [...order.data.subarray(0, 120)],
    [...order.data.subarray(120, 240)],
    'a fresh shuffle each epoch',
  );
  assert.deepEqual(readNpy(path.join(out.dir, 'final_nll.npy')).shape, [120]);
  assert.deepEqual([...readNpy(path.join(out.dir, 'train_indices.npy')).data], [...train.indices]);
  assert.ok(!fs.readdirSync(out.dir).some((f) => f.startsWith('checkpoint')), 'checkpoints are removed at completion');
  const first = meta.metrics[0];
  const last = meta.metrics[3];
  assert.ok(first && last, 'metrics at the start and after epoch 3');
  assert.ok(last.trainLoss < first.trainLoss, 'training lowers the loss');
});

test('a repeated run is served from the cache', async () => {
  const dir = tempDir();
  await run(base(), dir);
  const again = await run(base(), dir);
  assert.equal(again.cached, true);
});

test('an interrupted run resumes after its last completed epoch and matches an uninterrupted one', async () => {
  const cfg = base({ epochs: 4 });
  const whole = await run(cfg, tempDir());
  const dir = tempDir();
  const stop = new Error('simulated interruption');
  await assert.rejects(
    run(cfg, dir, {
      chunkSamples: 50,
      onProgress: (p) => {
        if (p.epoch === 3) throw stop;
      },
    }),
    (e) => e === stop,
  );
  const partial = readRunMeta(path.join(dir, runKey(cfg)))!;
  assert.equal(partial.status, 'running');
  assert.equal(partial.epochsCompleted, 2);
  const resumed = await run(cfg, dir);
  assert.equal(resumed.cached, false);
  assert.equal(resumed.meta.status, 'complete');
  for (const name of ['importance.npy', 'nll.npy', 'correct.npy', 'order.npy', 'final_nll.npy', 'params/e004.npy']) {
    assert.deepEqual(readNpy(path.join(resumed.dir, name)).data, readNpy(path.join(whole.dir, name)).data, name);
  }
});

test('a diverging run stops with a clear error and keeps what was recorded', async () => {
  const dir = tempDir();
  const cfg = base({ lr: 1e6, epochs: 5 });
  await assert.rejects(run(cfg, dir, { chunkSamples: 25 }), (e: unknown) => {
    assert.ok(e instanceof DivergenceError);
    assert.match(
      e.message,
      new RegExp(
        String.raw`training diverged in epoch \d+: sample \d+ .* non-finite loss or importance ` +
          String.raw`in batch \d+ of the epoch .* Try a smaller --lr`,
      ),
    );
    return true;
  });
  const meta = readRunMeta(path.join(dir, runKey(cfg)))!;
  assert.equal(meta.status, 'diverged');
  const { epoch, position } = meta.divergence!;
  assert.ok(epoch >= 1 && position !== undefined);
  // The recorded position is the first sample of that epoch's order whose loss or β is not finite.
  const n = cfg.trainSize;
  const rows = (name: string, width: number) =>
    readNpy(path.join(dir, runKey(cfg), name)).data.subarray((epoch - 1) * n * width, epoch * n * width);
  const [order, nll, beta] = [rows('order.npy', 1), rows('nll.npy', 1), rows('importance.npy', 3)];
  const finite = (i: number) =>
    [nll[i], beta[3 * i], beta[3 * i + 1], beta[3 * i + 2]].every((v) => Number.isFinite(v));
  const diverged = order[position];
  assert.ok(diverged !== undefined, `position ${position} is outside epoch ${epoch}'s order`);
  assert.equal(finite(diverged), false);
  for (let k = 0; k < position; k++) assert.ok(finite(order[k]!), `position ${k} is finite`);
  // A diverged run is a result: asking again returns it without retraining.
  const again = await run(cfg, dir);
  assert.equal(again.cached, true);
  assert.equal(again.meta.status, 'diverged');
});

test('a fixed order is used every epoch and must be a permutation', async () => {
  const fixed = Int32Array.from({ length: 120 }, (_, i) => 119 - i);
  const cfg = base({ order: { kind: 'fixed', name: 'reversed', hash: hashOrder(fixed) } });
  const out = await run(cfg, tempDir(), { fixedOrder: fixed });
  const order = readNpy(path.join(out.dir, 'order.npy')).data;
  for (let t = 0; t < 3; t++) assert.deepEqual([...order.subarray(t * 120, (t + 1) * 120)], [...fixed]);
  const dup = fixed.slice();
  dup[0] = dup[1]!;
  await assert.rejects(run(cfg, tempDir(), { fixedOrder: dup }), /visits sample 118 twice/);
});

const noNumpy = venvNumpyMissing();
test('numpy reads a run record without the project', { skip: noNumpy }, async () => {
  const out = await run(base(), tempDir());
  const printed = runPython(
    'import json, sys, os, numpy as np; d=sys.argv[1]; m=json.load(open(os.path.join(d,"run.json")))\n' +
      'imp=np.load(os.path.join(d,"importance.npy")); nll=np.load(os.path.join(d,"nll.npy")); ' +
      'o=np.load(os.path.join(d,"order.npy")); mg=np.load(os.path.join(d,"margin.npy")); ' +
      'e=np.load(os.path.join(d,"el2n.npy")); c=np.load(os.path.join(d,"correct.npy"))\n' +
      'print(m["schemaVersion"], imp.shape, imp.dtype, nll.shape, o.dtype, bool((imp >= 0).all()), mg.shape, ' +
      'e.dtype, bool((c[mg > 0] == 1).all() and (c[mg < 0] == 0).all()), bool(((e >= 0) & (e <= 2 ** 0.5)).all()))',
    [out.dir],
  );
  assert.equal(printed.trim(), '2 (3, 120, 3) float32 (3, 120) int32 True (3, 120) float32 True True');
});

test('snapshots asked of a finished run are replayed bit for bit, or refused with how to get them', async () => {
  const runsDir = tempDir();
  const plain = await run(base(), runsDir);
  const before = ['importance.npy', 'nll.npy', 'order.npy', 'run.json'].map((f) =>
    fs.readFileSync(path.join(plain.dir, f)),
  );
  assert.deepEqual(plain.meta.snapshots, [0, 3]);

  const native = await loadEngine('native').catch(() => undefined);
  const tfjs = await loadEngine('tfjs');
  const other = native && (await loadEngine('auto')).name === 'native' ? tfjs : undefined;
  if (other) {
    await assert.rejects(
      trainRun(base({ snapshotEvery: 1 }), { engine: other, train, test: test_, classes: 3, runsDir }),
      new RegExp(
        'lacks the parameter snapshots of epochs 1, 2, and replaying epoch 1 from its epoch-0 snapshot on tfjs .* ' +
          'does not reproduce the recorded rows bit for bit .*remove .* and train it again with --snapshot-every 1',
      ),
    );
  }
  const added = await run(base({ snapshotEvery: 1 }), runsDir);
  assert.equal(added.dir, plain.dir);
  assert.deepEqual(readRunMeta(added.dir)?.snapshots, [0, 1, 2, 3]);
  const fresh = await run(base({ snapshotEvery: 1 }), tempDir());
  for (const epoch of ['e001', 'e002']) {
    const name = path.join('params', `${epoch}.npy`);
    assert.ok(fs.readFileSync(path.join(added.dir, name)).equals(fs.readFileSync(path.join(fresh.dir, name))), name);
  }
  ['importance.npy', 'nll.npy', 'order.npy'].forEach((f, k) => {
    assert.ok(fs.readFileSync(path.join(added.dir, f)).equals(before[k]!), `${f} untouched`);
  });
  assert.equal((await run(base({ snapshotEvery: 1 }), runsDir)).cached, true, 'asked again: nothing to add');
});

test('a run begun on one engine is not resumed on another unless asked, and each epoch names its engine', async () => {
  const native = await loadEngine('native').catch(() => undefined);
  if (!native) return; // the native addon is not built: one engine only
  const tfjs = await loadEngine('tfjs');
  const runsDir = tempDir();
  const cfg = base();
  const stopAfterFirstEpoch = (p: { epoch: number }) => {
    if (p.epoch === 2) throw new Error('stopped');
  };
  const opts = { train, test: test_, classes: 3, runsDir, chunkSamples: 25 };
  await assert.rejects(trainRun(cfg, { ...opts, engine: native, onProgress: stopAfterFirstEpoch }), /stopped/);
  await assert.rejects(
    trainRun(cfg, { ...opts, engine: tfjs }),
    new RegExp(
      String.raw`was trained up to epoch 1 on native \(.*\); resuming it on tfjs \(.*\) ` +
        'would mix two float32 trajectories.*--allow-engine-change',
    ),
  );
  // Another OpenBLAS kernel rounds differently; a record from before backends named it resumes.
  const record = path.join(runDir(runsDir, cfg), 'run.json');
  const meta = JSON.parse(fs.readFileSync(record, 'utf8'));
  const now = meta.engine.backend as string;
  const kernel = /^\S+ \d+\.\d+\.\d+ (\S+) \(/.exec(now)?.[1];
  if (kernel) {
    fs.writeFileSync(
      record,
      JSON.stringify({ ...meta, engine: { ...meta.engine, backend: now.replace(kernel, 'Other') } }),
    );
    await assert.rejects(trainRun(cfg, { ...opts, engine: native }), /on native \(\S+ \S+ Other /);
    assert.equal(resumesOn(`native (${now.replace(` ${kernel}`, '')})`, { name: 'native', backend: now }), true);
    assert.equal(resumesOn(`native (${now})`, { name: 'native', backend: now.replace('(', '(2') }), false);
    fs.writeFileSync(record, JSON.stringify(meta));
  }
  const mixed = await trainRun(cfg, { ...opts, engine: tfjs, allowEngineChange: true });
  assert.equal(mixed.meta.status, 'complete');
  assert.deepEqual(
    mixed.meta.metrics.map((m) => m.engine?.split(' ')[0]),
    ['native', 'native', 'tfjs', 'tfjs'],
  );
});

test('a subset run trains on the given positions only, under its own key, and refuses other positions', async () => {
  const dir = tempDir();
  const positions = Int32Array.from({ length: 40 }, (_, k) => 3 * k);
  const cfg = base({ subset: subsetOf('every third', positions) });
  assert.notEqual(runKey(cfg), runKey(base()));
  const out = await run(cfg, dir, { subset: positions });
  assert.equal(out.meta.status, 'complete');
  const opened = openRun(out.dir);
  assert.equal(opened.n, 40);
  assert.deepEqual(
    [...opened.trainIndices],
    [...positions].map((p) => train.indices[p]!),
  );
  assert.deepEqual(readNpy(path.join(out.dir, 'importance.npy')).shape, [3, 40, 3]);
  assert.deepEqual(
    [...opened.order.subarray(0, 40)].sort((a, b) => a - b),
    Array.from({ length: 40 }, (_, i) => i),
  );
  const shifted = positions.map((p) => p + 1);
  await assert.rejects(run(cfg, tempDir(), { subset: shifted }), /not those of subset 'every third'/);
  await assert.rejects(run(cfg, tempDir()), /names subset 'every third' but no positions were given/);
  const unsorted = Int32Array.from([5, 2]);
  await assert.rejects(
    run(base({ subset: subsetOf('unsorted', unsorted) }), tempDir(), { subset: unsorted }),
    /ascending, each once/,
  );
});

test('a cnn-small run trains on images and names its layers conv1 conv2 fc1 out', async () => {
  const dir = tempDir();
  // 8×8 single-channel images: cnn-small pools them to 2×2 before its dense layers.
  const images = (n: number, seed: number) => ({ ...blobs(n, 64, 3, seed), shape: [8, 8, 1] as const });
  const cfg = base({ model: 'cnn-small', trainSize: 30, testSize: 10, batchSize: 10, epochs: 2 });
  const engine = await loadEngine('auto');
  const opts = { engine, train: images(30, 3), test: images(10, 4), classes: 3, runsDir: dir };
  const out = await trainRun(cfg, opts);
  assert.equal(out.meta.status, 'complete');
  assert.deepEqual(
    out.meta.layers.map((l) => [l.name, l.params]),
    [
      ['conv1', 25 * 32 + 32],
      ['conv2', 32 * 25 * 64 + 64],
      ['fc1', 64 * 2 * 2 * 512 + 512],
      ['out', 512 * 3 + 3],
    ],
  );
  const imp = readNpy(path.join(out.dir, 'importance.npy'));
  assert.deepEqual(imp.shape, [2, 30, 4]);
  assert.ok(imp.data.every((v) => v >= 0) && imp.data.some((v) => v > 0));
  // The same config with the MLP named keys like the default, and a CNN apart from both.
  assert.equal(runKey(base({ model: 'mlp' })), runKey(base()));
  assert.notEqual(runKey(cfg), runKey(base({ trainSize: 30, testSize: 10, batchSize: 10, epochs: 2 })));
  const untouched = tempDir();
  await assert.rejects(
    trainRun(cfg, { ...opts, runsDir: untouched, train: blobs(30, 64, 3, 3) }),
    /model 'cnn-small' needs images \(\[n, h, w\] or \[n, h, w, c\]\), but these samples are flat vectors of 64/,
  );
  // An npz file's [n, features] is a 1 × features single-channel row: flat too.
  await assert.rejects(
    trainRun(cfg, { ...opts, runsDir: untouched, train: { ...blobs(30, 64, 3, 3), shape: [1, 64, 1] as const } }),
    /needs images .* flat vectors of 64/,
  );
  // 8 → 4 → 2 → 1: the fourth pooling has an odd input.
  await assert.rejects(
    trainRun({ ...cfg, model: 'pool pool pool pool' }, { ...opts, runsDir: untouched }),
    /layer 3 \(maxpool2\): a 1×1 input does not divide into 2×2 windows/,
  );
  assert.deepEqual(fs.readdirSync(untouched), [], 'no run folder for a network that does not fit');
  assert.throws(() => base({ model: 'resnet' }), /model 'resnet' is neither mlp, cnn-small nor a layer list: 'resnet'/);
  // Layer words key by their canonical spelling.
  assert.equal(runKey(base({ model: 'conv4k3p1,relu  pool' })), runKey(base({ model: 'conv4k3p1 relu pool' })));
});
