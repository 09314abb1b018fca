import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRun } from '../../src/run/open-run';
import { readNpy } from '../../src/io/npy';
import { projectRoot } from '../../src/paths';
import { runPython, venvNumpyMissing } from '../support/python';
import { tempDir } from '../support/tmp';

const sampleDir = path.join(projectRoot(), 'test', 'fixtures', 'run-sample');
const runDir = path.join(sampleDir, fs.readdirSync(sampleDir).find((f) => f.startsWith('mnist-'))!);

test('the committed run sample follows the documented record format', () => {
  const run = openRun(runDir);
  const { meta } = run;
  assert.equal(meta.schemaVersion, 1);
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

test('a complete run without its final_nll.npy is an error naming the file, not a quiet undefined', () => {
  const dir = path.join(tempDir(), 'run');
  fs.cpSync(runDir, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'final_nll.npy'));
  assert.throws(
    () => openRun(dir),
    new RegExp(`${path.join(dir, 'final_nll.npy')} is missing from the complete run ${dir}; remove`),
  );
});
