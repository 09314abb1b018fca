#!/usr/bin/env node
/**
 * CUDA vs CPU on the paper's networks at full size (scripts/gpu-check.sh runs it): one epoch of
 * 2000 random samples (20 steps of 100, η=0.1, λ=1e-5, importance on) on the cuda engine and on a
 * CPU engine (native when it loads, else tfjs), and the first 2 steps against the float64
 * reference of test/support/reference.ts. Prints, per comparison, the worst error relative to the
 * largest magnitude of each array, and one JSON line per comparison to $OUT/compare.jsonl.
 * Needs dist/ and dist-test/ (tsc). Exit 1 when an error exceeds SI_COMPARE_RTOL (default 1e-3).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..', '..');
const { probeEngines, newEpochRecord } = require(path.join(root, 'dist/engine/index'));
const { initParams } = require(path.join(root, 'dist/model/init'));
const { mlpSpec, layerSlices } = require(path.join(root, 'dist/model/spec'));
const { Rng } = require(path.join(root, 'dist/util/rng'));
const { referenceTrain } = require(path.join(root, 'dist-test/test/support/reference'));

const RTOL = Number(process.env.SI_COMPARE_RTOL || 1e-3);
const out = process.env.OUT ? path.join(process.env.OUT, 'compare.jsonl') : null;
let failed = false;

function worst(actual, expected) {
  let scale = 0,
    err = 0;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]));
  for (let k = 0; k < expected.length; k++) err = Math.max(err, Math.abs(actual[k] - expected[k]));
  return scale > 0 ? err / scale : err;
}

function report(what, a, b, extra = {}) {
  const depth = a.record.importance.length / a.record.nll.length;
  const betaByLayer = [];
  for (let d = 0; d < depth; d++) {
    const pick = (imp) => imp.filter((_, k) => k % depth === d);
    betaByLayer.push(worst(pick(a.record.importance), pick(b.record.importance)));
  }
  let mismatched = 0;
  for (let i = 0; i < a.record.correct.length; i++) mismatched += a.record.correct[i] !== b.record.correct[i] ? 1 : 0;
  const row = {
    what,
    beta: betaByLayer,
    nll: worst(a.record.nll, b.record.nll),
    margin: worst(a.record.margin, b.record.margin),
    el2n: worst(a.record.el2n, b.record.el2n),
    params: worst(a.params, b.params),
    correctMismatches: mismatched,
    ...extra,
  };
  const bad = Math.max(...betaByLayer, row.nll, row.margin, row.el2n, row.params) > RTOL;
  failed ||= bad;
  console.log(
    `${bad ? 'FAIL' : 'ok  '} ${what}: β ${betaByLayer.map((e) => e.toExponential(1)).join(' ')} | ` +
      `nll ${row.nll.toExponential(1)} | margin ${row.margin.toExponential(1)} | el2n ${row.el2n.toExponential(1)} | ` +
      `params ${row.params.toExponential(1)} | correct differs on ${mismatched}`,
  );
  if (out) fs.appendFileSync(out, `${JSON.stringify(row)}\n`);
}

function train(engine, spec, params, data, order, hyper) {
  const model = engine.createModel(spec, params);
  try {
    const record = newEpochRecord(data.n, layerSlices(spec).length);
    model.trainBatches(data, order, hyper, record);
    return { record, params: model.getParams() };
  } finally {
    model.dispose();
  }
}

async function main() {
  const probed = await probeEngines();
  const cuda = probed.find((p) => p.name === 'cuda');
  if (!cuda.engine) throw new Error(`cuda does not load: ${cuda.reason}`);
  const cpu = probed.find((p) => p.name === 'native' && p.engine) || probed.find((p) => p.name === 'tfjs' && p.engine);
  console.log(`cuda: ${cuda.engine.backend}; CPU peer: ${cpu ? `${cpu.name} (${cpu.engine.backend})` : 'none loads'}`);
  const hyper = { lr: 0.1, weightDecay: 1e-5, batchSize: 100, importance: true };
  for (const [name, inputSize] of [
    ['mnist', 784],
    ['cifar10', 3072],
  ]) {
    const spec = mlpSpec(inputSize, [512, 512, 512], 10);
    const rng = new Rng(inputSize);
    const n = 2000;
    const data = {
      x: Float32Array.from({ length: n * inputSize }, () => rng.uniform()),
      y: Int32Array.from({ length: n }, () => rng.int(10)),
      n,
      inputSize,
    };
    const order = rng.permutation(n);
    const params = initParams(spec, 1, 'glorot');
    const onGpu = train(cuda.engine, spec, params, data, order, hyper);
    if (cpu)
      report(`${name} cuda vs ${cpu.name}, 20 steps`, onGpu, train(cpu.engine, spec, params, data, order, hyper));
    const short = order.subarray(0, 200);
    const gpuShort = train(cuda.engine, spec, params, data, short, hyper);
    const t0 = Date.now();
    const ref = referenceTrain(spec, params, data, short, hyper);
    report(
      `${name} cuda vs float64 reference, 2 steps`,
      gpuShort,
      { record: ref.record, params: ref.params },
      { referenceSeconds: (Date.now() - t0) / 1000 },
    );
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err.stack || err.message);
  process.exit(2);
});
