import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { newEpochRecord } from '../../src/engine/types';
import { importanceAt } from '../../src/run/importance-at';
import { alphaStability } from '../../src/analysis/seed-stability';
import { frameRows } from '../../src/analysis/frames';
import { fig01, FIG01_DEFAULT_READING, renderSvg } from '../../src/figures';
import { initParams } from '../../src/model/init';
import { mlpSpec } from '../../src/model/spec';
import { resolveRunConfig } from '../../src/run/config';
import { openRun } from '../../src/run/open-run';
import { trainRun } from '../../src/run/train';
import { checkpointEpochs, measureSnapshotImportance } from '../../src/experiments/snapshot-importance';
import { snapshotImportanceFile } from '../../src/run/record';
import { sumLayers } from '../../src/run/open-run';
import { blobs } from '../support/synthetic';
import { tempDir } from '../support/tmp';
import { fakeRun } from './fake-run';

const hyper = { lr: 0.2, weightDecay: 1e-4, batchSize: 10 };

test('importanceAt gives each batch the β of a step from θ, and leaves θ as it was', async () => {
  const engine = await loadEngine('auto');
  const spec = mlpSpec(6, [5, 4], 3);
  const theta = initParams(spec, 7, 'glorot');
  const data = blobs(30, 6, 3, 3);
  const model = engine.createModel(spec, theta);
  const at = importanceAt(model, data, theta, hyper);
  assert.deepEqual(model.getParams(), theta);
  for (const from of [0, 10, 20]) {
    // A fresh step from θ on that batch alone: its β must equal importanceAt's rows.
    const rec = newEpochRecord(30, 3);
    model.setParams(theta);
    model.trainBatches(
      data,
      Int32Array.from({ length: 10 }, (_, k) => from + k),
      { ...hyper, importance: true },
      rec,
    );
    for (let k = from * 3; k < (from + 10) * 3; k++) assert.equal(at.importance[k], rec.importance[k]);
  }
  for (let i = 0; i < 30; i++) assert.ok(at.importance[3 * i + 2]! > 0, `sample ${i} moves the output layer`);
  model.dispose();
});

test(
  'snapshot β is measured once per checkpoint by the runner, cached in the run record, ' + 'and read back by the run',
  async () => {
    const engine = await loadEngine('auto');
    const train = blobs(40, 6, 3, 1);
    const cfg = resolveRunConfig({
      dataset: 'mnist',
      trainSize: 40,
      testSize: 20,
      hidden: [5],
      batchSize: 10,
      epochs: 4,
      lr: 0.2,
      snapshotEvery: 2,
    });
    const out = await trainRun(cfg, { engine, train, test: blobs(20, 6, 3, 2), classes: 3, runsDir: tempDir() });
    const run = openRun(out.dir);
    const data = {
      train: { ...train, shape: [1, 6, 1] as const, origin: 'synthetic' },
      test: train,
      classes: 3,
      classNames: ['a', 'b', 'c'],
    };
    assert.throws(
      () => run.snapshotImportance(4),
      /no β measured at snapshot 4 .*si experiments/,
      'reading never measures',
    );
    assert.equal(measureSnapshotImportance(run, engine, data as never, 2), 2);
    assert.deepEqual(checkpointEpochs(run, 2), [2, 4]);
    const cached = fs.statSync(snapshotImportanceFile(run.dir, 4)).mtimeMs;
    const model = engine.createModel(mlpSpec(6, [5], 3), run.params(4));
    const direct = importanceAt(model, train, run.params(4), cfg);
    model.dispose();
    const alpha = sumLayers(run.snapshotImportance(4), run.n, run.layers);
    for (let i = 0; i < 40; i++) {
      const a = alpha[i]!;
      assert.ok(Math.abs(a - (direct.importance[2 * i]! + direct.importance[2 * i + 1]!)) <= 1e-6 * a);
    }
    assert.equal(measureSnapshotImportance(run, engine, data as never, 2), 0);
    assert.equal(fs.statSync(snapshotImportanceFile(run.dir, 4)).mtimeMs, cached, 'not measured again');
  },
);

test(
  'Figure 1 takes protocol variants, after the default reading, as the minimum over pairs per epoch, ' +
    'and draws and summarises them',
  async () => {
    const series = (label: string, alphas: Record<number, number[]>) => ({
      label,
      trainIndices: Int32Array.from([0, 1, 2, 3]),
      epochs: Object.keys(alphas).map(Number),
      alpha: (e: number) => Float32Array.from(alphas[e]!),
    });
    const a = series('seed 1', { 5: [1, 2, 3, 4], 10: [1, 2, 3, 4] });
    const b = series('seed 2', { 5: [1, 2, 3, 4], 10: [4, 3, 2, 1] });
    const c = series('seed 3', { 5: [1, 2, 4, 3], 10: [1, 2, 3, 4] });
    assert.deepEqual(
      frameRows(alphaStability([a, b, c])).map((r) => [r.epoch, r.pair, r.spearman]),
      [
        [5, 'seed 1 vs seed 2', 1],
        [5, 'seed 1 vs seed 3', 0.8],
        [5, 'seed 2 vs seed 3', 0.8],
        [10, 'seed 1 vs seed 2', -1],
        [10, 'seed 1 vs seed 3', 1],
        [10, 'seed 2 vs seed 3', -1],
      ],
    );
    const runs = [1, 2].map((seed) => fakeRun({ seed, beta: Array.from({ length: 5 }, () => [[1], [2], [3], [4]]) }));
    const frames = fig01.compute({
      dataset: 'mnist',
      classNames: [],
      trainLabels: new Int32Array(4),
      seedRuns: runs,
      constructionRuns: {},
      stabilityVariants: [{ name: 'at checkpoints', series: [a, b, c] }],
    });
    const variants = frames.variants;
    assert.ok(variants, 'no variants frame');
    assert.deepEqual(
      frameRows(variants),
      [
        { variant: FIG01_DEFAULT_READING, epoch: 5, spearman: 1 },
        { variant: 'at checkpoints', epoch: 5, spearman: 0.8 },
        { variant: 'at checkpoints', epoch: 10, spearman: -1 },
      ],
      'the default reading comes from the stability frame, the others from their series',
    );
    assert.match(fig01.summarize(frames), /at checkpoints: minimum -1 \(epoch 10\)/);
    assert.ok((await renderSvg(fig01.spec(frames, { dataset: 'mnist' }))).includes('minimum over pairs'));
  },
);
