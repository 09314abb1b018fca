import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRun, requireRecorded } from '../../src/run/open-run';
import { readNpy } from '../../src/io/npy';
import { projectRoot } from '../../src/paths';
import { runPython, venvNumpyMissing } from '../support/python';
import { tempDir } from '../support/tmp';

const sampleDir = path.join(projectRoot(), 'test', 'fixtures', 'run-sample');
const runIn = (dir: string) => path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('mnist-'))!);
const runDir = runIn(sampleDir);
const v1RunDir = runIn(path.join(projectRoot(), 'test', 'fixtures', 'run-sample-v1'));

test('the committed run sample follows the documented record format', () => {
  const run = openRun(runDir);
  const { meta } = run;
  assert.equal(meta.schemaVersion, 2);
  assert.equal(meta.status, 'complete');
  for (const key of [
    'dataset',
    'trainSize',
    'testSize',
    'hidden',
    'lr',
    'batchSize',
    'epochs',
    'weightDecay',
    'seed',
    'orderSeed',
    'init',
    'preprocessing',
  ]) {
    assert.ok(key in meta.config, `config.${key}`);
  }
  assert.deepEqual(
    meta.layers.map((l) => [l.name, l.params]),
    [
      ['L1', 784 * 4 + 4],
      ['Out', 4 * 10 + 10],
    ],
  );
  assert.equal(meta.paramCount, 3190);
  assert.equal(meta.metrics.length, 3);
  assert.deepEqual(readNpy(path.join(runDir, 'importance.npy')).shape, [2, 20, 2]);
  assert.deepEqual(readNpy(path.join(runDir, 'order.npy')).shape, [2, 20]);
  for (const name of ['margin.npy', 'el2n.npy']) assert.deepEqual(readNpy(path.join(runDir, name)).shape, [2, 20]);
  // At its own step: a positive margin is a correct prediction, a negative one a wrong one (a zero
  // margin, as under the zero-initialised output layer, is a tie argmax breaks), and el2n lies in [0, √2].
  for (let k = 0; k < 40; k++) {
    if (run.margin![k] !== 0) assert.equal(run.correct[k], run.margin![k]! > 0 ? 1 : 0, `row ${k}: correct vs margin`);
    assert.ok(run.el2n![k]! >= 0 && run.el2n![k]! <= Math.SQRT2, `row ${k}: el2n ${run.el2n![k]}`);
  }
  assert.deepEqual(
    [...run.trainIndices],
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.deepEqual(meta.snapshots, [0, 1, 2]);
  assert.equal(run.params(2).length, 3190);
  // β is indexed by position: α summed over epochs is τ.
  const tau = run.tau();
  const a0 = run.alpha(0);
  const a1 = run.alpha(1);
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(tau[i]! - (a0[i]! + a1[i]!)) <= 1e-9 + 1e-6 * tau[i]!);
});

const noNumpy = venvNumpyMissing();
test('numpy reads the run sample without the project', { skip: noNumpy }, () => {
  const out = runPython(
    'import json, os, sys, numpy as np; d=sys.argv[1]; m=json.load(open(os.path.join(d,"run.json")))\n' +
      'b=np.load(os.path.join(d,"importance.npy")); o=np.load(os.path.join(d,"order.npy")); ' +
      'p=np.load(os.path.join(d,"params","e002.npy"))\n' +
      'print(m["config"]["dataset"], b.shape, b.dtype, sorted(o[0].tolist())==list(range(20)), p.shape, p.dtype)',
    [runDir],
  );
  assert.equal(out.trim(), 'mnist (2, 20, 2) float32 True (3190,) float32');
});

test('a record of schema version 1 is read without margin and el2n, and what needs them says so', () => {
  const run = openRun(v1RunDir);
  assert.equal(run.meta.schemaVersion, 1);
  assert.equal(run.margin, undefined);
  assert.equal(run.el2n, undefined);
  assert.equal(run.nll.length, 40);
  assert.throws(
    () => requireRecorded(run, 'margin', 'the aum score'),
    new RegExp(
      'the aum score needs margin\\.npy, which .*run-sample-v1.* lacks: ' +
        'it is a run record of schema version 1, written before version 2 added it',
    ),
  );
  assert.equal(requireRecorded(openRun(runDir), 'el2n', 'the el2n score').length, 40);
});

test('a complete run without its final_nll.npy is an error naming the file, not a quiet undefined', () => {
  const dir = path.join(tempDir(), 'run');
  fs.cpSync(runDir, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'final_nll.npy'));
  assert.throws(
    () => openRun(dir),
    new RegExp(`${path.join(dir, 'final_nll.npy')} is missing from the complete run ${dir}; remove`),
  );
});

const cnnRunDir = runIn(path.join(projectRoot(), 'test', 'fixtures', 'run-sample-cnn'));

test('the conv-net run sample: its model, layers conv1 and out, and β with one column each', () => {
  const run = openRun(cnnRunDir);
  const { meta } = run;
  assert.equal(meta.config.model, 'conv2k3p1 relu pool');
  assert.deepEqual(
    meta.layers.map((l) => [l.name, l.fanIn, l.fanOut, l.params]),
    [
      ['conv1', 9, 2, 20],
      ['out', 392, 10, 3930],
    ],
  );
  assert.equal(meta.paramCount, 3950);
  assert.deepEqual(readNpy(path.join(cnnRunDir, 'importance.npy')).shape, [2, 20, 2]);
  const tau = run.tau();
  assert.ok(tau.every((v) => v > 0));
});

test('numpy reads the conv-net sample: the conv weight reshapes to [c_out, c_in, k, k]', { skip: noNumpy }, () => {
  const out = runPython(
    'import json, os, sys, numpy as np; d=sys.argv[1]; m=json.load(open(os.path.join(d,"run.json")))\n' +
      'p=np.load(os.path.join(d,"params","e002.npy")); b=np.load(os.path.join(d,"importance.npy"))\n' +
      'w=p[:18].reshape(2,1,3,3); o=p[20:20+3920].reshape(392,10)\n' +
      'print(m["config"]["model"], [l["name"] for l in m["layers"]], b.shape, w.shape, o.shape, p.shape)',
    [cnnRunDir],
  );
  assert.equal(out.trim(), "conv2k3p1 relu pool ['conv1', 'out'] (2, 20, 2) (2, 1, 3, 3) (392, 10) (3950,)");
});
