#!/usr/bin/env node
/**
 * ms/step of the cuda engine (and the native one when it loads) on the paper's networks, over one
 * whole epoch of 50,000 random samples per trainBatches call as the trainer makes them, with
 * importance on and off and with the CUDA graph on and off (SI_CUDA_GRAPH). Also the upload time
 * and evaluate() over 10,000 samples. Prints a table and writes $OUT/bench.json.
 *
 *   node native/cuda/check/bench.js [samples=50000]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..', '..');
const { probeEngines, newEpochRecord } = require(path.join(root, 'dist/engine/index'));
const { initParams } = require(path.join(root, 'dist/model/init'));
const { mlpSpec } = require(path.join(root, 'dist/model/spec'));
const { Rng } = require(path.join(root, 'dist/util/rng'));

const n = Number(process.argv[2] || 50000);
const rows = [];

function time(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function main() {
  const probed = await probeEngines();
  const engines = probed.filter((p) => p.engine && (p.name === 'cuda' || p.name === 'native'));
  for (const [name, inputSize] of [
    ['mnist', 784],
    ['cifar10', 3072],
  ]) {
    const spec = mlpSpec(inputSize, [512, 512, 512], 10);
    const rng = new Rng(7);
    const x = new Float32Array(n * inputSize);
    for (let k = 0; k < x.length; k++) x[k] = rng.uniform();
    const data = { x, y: Int32Array.from({ length: n }, () => rng.int(10)), n, inputSize };
    const test = { x: x.subarray(0, 10000 * inputSize), y: data.y.subarray(0, 10000), n: 10000, inputSize };
    const order = rng.permutation(n);
    for (const { name: engineName, engine } of engines) {
      const configs =
        engineName === 'cuda'
          ? [
              [true, '1'],
              [false, '1'],
              [true, '0'],
              [false, '0'],
            ]
          : [
              [true, '1'],
              [false, '1'],
            ];
      if (engineName === 'cuda') {
        rows.push({ engine: 'cuda', network: name, what: 'upload', ms: time(() => engine.uploadData(spec, data)) });
      }
      for (const [importance, graph] of configs) {
        process.env.SI_CUDA_GRAPH = graph;
        const model = engine.createModel(spec, initParams(spec, 1, 'glorot'));
        const hyper = { lr: 0.01, weightDecay: 1e-5, batchSize: 100, importance };
        const record = newEpochRecord(n, 4);
        // Native is slow on big nets: time it on a tenth of the epoch.
        const use = engineName === 'cuda' ? order : order.subarray(0, Math.min(n, 5000));
        model.trainBatches(data, use.subarray(0, 1000), hyper, record); // warm-up (and graph capture)
        const ms = time(() => model.trainBatches(data, use, hyper, record));
        const steps = Math.ceil(use.length / 100);
        rows.push({
          engine: engineName,
          backend: engine.backend,
          network: name,
          what: `train importance=${importance}${engineName === 'cuda' ? ` graph=${graph}` : ''}`,
          msPerStep: ms / steps,
          samplesPerSec: (use.length * 1000) / ms,
        });
        if (importance && graph === '1')
          rows.push({
            engine: engineName,
            network: name,
            what: 'evaluate 10000',
            ms: time(() => model.evaluate(test)),
          });
        model.dispose();
      }
      if (engineName === 'cuda') engine.releaseData(data);
    }
  }
  process.env.SI_CUDA_GRAPH = '1';
  for (const r of rows) {
    const v =
      r.msPerStep !== undefined
        ? `${r.msPerStep.toFixed(4)} ms/step  ${Math.round(r.samplesPerSec)} samples/s`
        : `${r.ms.toFixed(1)} ms`;
    console.log(`${r.engine.padEnd(7)} ${r.network.padEnd(8)} ${r.what.padEnd(32)} ${v}`);
  }
  if (process.env.OUT) fs.writeFileSync(path.join(process.env.OUT, 'bench.json'), JSON.stringify(rows, null, 1));
}

main().catch((err) => {
  console.error(err.stack || err.message);
  process.exit(2);
});
