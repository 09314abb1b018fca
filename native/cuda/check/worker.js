#!/usr/bin/env node
/**
 * One worker of the sharing benchmark: trains the given runs one after another on the cuda engine
 * (or SI_ENGINE), each `epochs` epochs of the paper's MNIST net over a fixed random order (as a
 * batch construction is: one fixed visiting order), recording β every step and evaluating the
 * train and test sets after every epoch as the trainer does. Prints one JSON line per run.
 *
 *   node native/cuda/check/worker.js <epochs> <run ids, comma-separated>
 * Data: MNIST's paper split from SI_DATA_DIR when present, else random data of the same shape.
 */
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..', '..');
const { loadEngine, newEpochRecord } = require(path.join(root, 'dist/engine/index'));
const { initParams } = require(path.join(root, 'dist/model/init'));
const { mlpSpec } = require(path.join(root, 'dist/model/spec'));
const { Rng } = require(path.join(root, 'dist/util/rng'));

function mnistOrRandom() {
  try {
    const { loadRunData } = require(path.join(root, 'dist/run/run-data'));
    const { resolveRunConfig } = require(path.join(root, 'dist/run/config'));
    const d = loadRunData(resolveRunConfig({ dataset: 'mnist' }));
    return { train: d.train, test: d.test, source: 'mnist' };
  } catch (err) {
    const rng = new Rng(1);
    const make = (n) => ({
      x: Float32Array.from({ length: n * 784 }, () => rng.uniform()),
      y: Int32Array.from({ length: n }, () => rng.int(10)),
      n,
      inputSize: 784,
    });
    return { train: make(50000), test: make(10000), source: `random (${err.message.split('\n')[0]})` };
  }
}

async function main() {
  const epochs = Number(process.argv[2]);
  const runs = process.argv[3].split(',').filter(Boolean).map(Number);
  const engine = await loadEngine(process.env.SI_ENGINE || 'cuda');
  const { train, test, source } = mnistOrRandom();
  const spec = mlpSpec(784, [512, 512, 512], 10);
  const hyper = { lr: 0.1, weightDecay: 1e-5, batchSize: 100, importance: true };
  for (const run of runs) {
    const t0 = Date.now();
    const model = engine.createModel(spec, initParams(spec, run, 'glorot'));
    const order = new Rng(1000 + run).permutation(train.n);
    let last;
    for (let e = 0; e < epochs; e++) {
      const record = newEpochRecord(train.n, 4);
      model.trainBatches(train, order, hyper, record);
      last = { train: model.evaluate(train), test: model.evaluate(test) };
    }
    model.dispose();
    console.log(
      JSON.stringify({
        run,
        pid: process.pid,
        seconds: (Date.now() - t0) / 1000,
        trainError: last.train.error,
        testError: last.test.error,
        data: source,
        engine: engine.backend,
      }),
    );
  }
}

main().catch((err) => {
  console.error(err.stack || err.message);
  process.exit(2);
});
