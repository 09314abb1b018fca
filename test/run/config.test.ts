import test from 'node:test';
import assert from 'node:assert/strict';
import { resolveRunConfig, runKey, canonicalJson } from '../../src/run/config';
import { sampleIdentity } from '../../src/run/run-data';
import { snapshotEpochs } from '../../src/run/train';
import { blobs } from '../support/synthetic';

test('defaults are the paper settings', () => {
  const cfg = resolveRunConfig({ dataset: 'cifar10' });
  assert.deepEqual(
    [cfg.trainSize, cfg.testSize, cfg.hidden, cfg.lr, cfg.batchSize, cfg.epochs, cfg.weightDecay, cfg.init.output],
    [50000, 10000, [512, 512, 512], 0.1, 100, 50, 1e-5, 'zero'],
  );
});

test('the run key depends on results-changing fields only', () => {
  const a = resolveRunConfig({ dataset: 'mnist', seed: 1 });
  assert.equal(runKey(a), runKey(resolveRunConfig({ dataset: 'mnist', seed: 1, snapshotEvery: 5 })));
  assert.notEqual(runKey(a), runKey(resolveRunConfig({ dataset: 'mnist', seed: 2 })));
  assert.notEqual(runKey(a), runKey(resolveRunConfig({ dataset: 'mnist', seed: 1, orderSeed: 2 })));
  assert.match(runKey(a), /^mnist-[0-9a-f]{12}$/);
  assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
});

test('invalid configs are rejected with the field named', () => {
  assert.throws(
    () => resolveRunConfig({ dataset: 'svhn' as 'mnist' }),
    /dataset 'svhn' is not one of mnist, fashion-mnist, cifar10/,
  );
  assert.throws(() => resolveRunConfig({ dataset: 'mnist', lr: -1 }), /lr must be a positive number/);
  assert.throws(() => resolveRunConfig({ dataset: 'mnist', hidden: [] }), /hidden must list at least one/);
  assert.throws(() => resolveRunConfig({ dataset: 'mnist', batchSize: 0 }), /batchSize must be a positive integer/);
});

test('snapshots: first, every k-th and last', () => {
  assert.deepEqual(snapshotEpochs(resolveRunConfig({ dataset: 'mnist', epochs: 7, snapshotEvery: 3 })), [0, 3, 6, 7]);
  assert.deepEqual(snapshotEpochs(resolveRunConfig({ dataset: 'mnist', epochs: 7 })), [0, 7]);
});

test('samples that are not the published files key their runs apart; an absent field keys like none', () => {
  const cfg = resolveRunConfig({ dataset: 'mnist', trainSize: 100, epochs: 2 });
  const data = { train: blobs(10, 3, 2, 1), test: blobs(4, 3, 2, 2) };
  const identity = sampleIdentity(data);
  assert.match(identity, /^sha256:[0-9a-f]{16}$/);
  assert.notEqual(sampleIdentity({ ...data, test: blobs(4, 3, 2, 3) }), identity);
  assert.notEqual(runKey(resolveRunConfig({ ...cfg, data: identity })), runKey(cfg));
  assert.equal(runKey({ ...cfg, data: undefined }), runKey(cfg));
  assert.throws(() => resolveRunConfig({ ...cfg, data: 'mine' }), /data must be a sampleIdentity, got mine/);
});
