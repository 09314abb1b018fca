import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { explorerDataset } from '../../src/explorer/explorer-data';
import { explorerPage } from '../../src/explorer/page';
import { unpackArrays } from '../../src/explorer/pack';
import { fromLogCode, pageIds, type PageMeta } from '../../src/explorer/page-meta';
import { projectRoot } from '../../src/paths';
import { openRun } from '../../src/run/open-run';
import { sampleScores } from '../../src/scores/sample-scores';
import { Rng } from '../../src/util/rng';

// 20 MNIST samples, a 784-4-10 network, 2 epochs (test/fixtures/run-sample/README.md).
const dir = path.join(projectRoot(), 'test', 'fixtures', 'run-sample', 'mnist-72b2d407ee56');
const CLASSES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function syntheticInputs(n: number, inputSize: number) {
  const rng = new Rng(5);
  const x = Float32Array.from({ length: n * inputSize }, () => rng.uniform());
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  return { x, labels };
}

/** Softmax of the 784-4-10 ReLU network with parameters laid out W1 [784, 4], b1, W2 [4, 10], b2. */
function referenceProbabilities(params: Float32Array, x: Float32Array, i: number): number[] {
  const [nIn, nHid, nOut] = [784, 4, 10];
  const b1 = nIn * nHid;
  const w2 = b1 + nHid;
  const b2 = w2 + nHid * nOut;
  const h = Array.from({ length: nHid }, (_, j) => {
    let s = params[b1 + j]!;
    for (let k = 0; k < nIn; k++) s += x[i * nIn + k]! * params[k * nHid + j]!;
    return Math.max(0, s);
  });
  const z = Array.from({ length: nOut }, (_, c) => {
    let s = params[b2 + c]!;
    for (let j = 0; j < nHid; j++) s += h[j]! * params[w2 + j * nOut + c]!;
    return s;
  });
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

test("the explorer's data holds every score, β by sample and the final model's probabilities", async () => {
  const run = openRun(dir);
  const { n, epochs: E, layers: D } = run;
  const { x, labels } = syntheticInputs(n, 784);
  const data = await explorerDataset(run, {
    labels,
    classNames: CLASSES,
    images: { x, shape: [28, 28, 1] },
    predict: { engine: await loadEngine('tfjs'), x, inputSize: 784, shape: [28, 28, 1] },
    clusters: 3,
  });
  assert.deepEqual(
    data.scores.map((s) => s.name),
    ['tau', 'final_nll', 'share_L1', 'share_Out', 'confidence', 'variability', 'forgetting', 'aum', 'el2n'],
  );
  const arrays = unpackArrays(data.packed);
  assert.deepEqual(Array.from(arrays.labels!), Array.from(labels));
  assert.deepEqual(Array.from(arrays.officialIndex!), Array.from(run.trainIndices));

  // Scores, score-major: τ and AUM as sampleScores computes them; the layer shares sum to 1.
  const expected = sampleScores(run, { scores: ['tau', 'aum'] });
  const scores = arrays.scores as Float32Array;
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(scores[i]! - expected.tau![i]!) <= 1e-6 * expected.tau![i]!, `τ of ${i}`);
    assert.ok(Math.abs(scores[7 * n + i]! - expected.aum![i]!) < 1e-5, `AUM of ${i}`);
    assert.ok(Math.abs(scores[2 * n + i]! + scores[3 * n + i]! - 1) < 1e-5, `layer shares of ${i}`);
  }

  // β [n, E, D] by sample, read back within the codes' step.
  const step = (data.betaScale.hi - data.betaScale.lo) / 254;
  const beta = arrays.beta as Uint8Array;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < E; t++) {
      for (let d = 0; d < D; d++) {
        const v = run.importance[(t * n + i) * D + d]!;
        const back = fromLogCode(beta[(i * E + t) * D + d]!, data.betaScale);
        if (Math.log10(v) < data.betaScale.lo) assert.equal(back, 0);
        else assert.ok(Math.abs(Math.log10(back) - Math.log10(v)) <= step / 2 + 1e-6, `β ${i} ${t} ${d}`);
      }
    }
  }

  // p_c · 255 from the engine's per-label NLL, against a softmax written out here.
  const params = run.params(E);
  const probs = arrays.probabilities as Uint8Array;
  for (let i = 0; i < n; i++) {
    const p = referenceProbabilities(params, x, i);
    for (let c = 0; c < 10; c++) assert.ok(Math.abs(probs[i * 10 + c]! - p[c]! * 255) <= 0.51, `p ${i} ${c}`);
  }
  assert.ok(Math.max(...arrays.cluster!) < 3);
  assert.equal(data.sheets.length, 1);
  assert.match(data.sheets[0]!.dataUrl, /^data:image\/webp;base64,/);
});

test('the page carries the meta, each dataset and its sheets in separate blocks, and the app', async () => {
  const run = openRun(dir);
  const { x, labels } = syntheticInputs(run.n, 784);
  const data = await explorerDataset(run, {
    labels,
    classNames: CLASSES,
    images: { x, shape: [28, 28, 1] },
  });
  const html = explorerPage('Sample explorer: <test>', 'fixture', [data]);
  const meta = JSON.parse(
    new RegExp(`<script type="application/json" id="${pageIds.meta}">(.*?)</script>`).exec(html)![1]!,
  ) as PageMeta;
  assert.equal(meta.title, 'Sample explorer: <test>');
  assert.equal(meta.datasets[0]!.hasProbabilities, false);
  assert.equal(meta.datasets[0]!.sheetCount, 1);
  assert.ok(html.includes(`id="${pageIds.data(0)}">${data.packed.base64}</script>`));
  assert.ok(html.includes(`id="${pageIds.sheet(0, 0)}">data:image/webp;base64,`));
  assert.ok(html.includes('<title>Sample explorer: &lt;test&gt;</title>'));
  // One </script> per block: the title's markup and the app's code cannot end a block early.
  assert.equal(html.match(/<\/script>/g)!.length, 4);
});

test('labels that do not match the run are refused with the counts', async () => {
  const run = openRun(dir);
  await assert.rejects(
    explorerDataset(run, { labels: new Int32Array(5), classNames: CLASSES }),
    /5 labels were given for the 20 training samples/,
  );
});
