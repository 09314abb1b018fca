import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { constructionErrors } from '../../src/analysis/construction-errors';
import { frameRows } from '../../src/analysis/frames';
import { seedStability, stabilityEpochs, summedAlphaSeries } from '../../src/analysis/seed-stability';
import { tauHistogram } from '../../src/analysis/tau-histogram';
import type { EpochMetrics } from '../../src/run/record';
import { fakeRun } from './fake-run';

const metric = (epoch: number, trainError: number, testError: number): EpochMetrics => ({
  epoch,
  trainError,
  testError,
  trainLoss: 0,
  testLoss: 0,
  trainSeconds: 0,
});

test('seed stability: every 5 epochs and the last common epoch; Spearman per pair', () => {
  assert.deepEqual(stabilityEpochs(12, 5), [5, 10, 12]);
  assert.deepEqual(stabilityEpochs(10, 5), [5, 10]);
  const beta = (flip: boolean) =>
    Array.from({ length: 6 }, () => Array.from({ length: 4 }, (_, i) => [flip ? 4 - i : i + 1]));
  const rows = frameRows(
    seedStability([
      fakeRun({ beta: beta(false), seed: 1 }),
      fakeRun({ beta: beta(false), seed: 2 }),
      fakeRun({ beta: beta(true), seed: 3 }),
    ]),
  );
  assert.deepEqual(
    rows.map((r) => [r.epoch, r.pair, r.spearman]),
    [
      [5, 'seed 1 vs seed 2', 1],
      [5, 'seed 1 vs seed 3', -1],
      [5, 'seed 2 vs seed 3', -1],
      [6, 'seed 1 vs seed 2', 1],
      [6, 'seed 1 vs seed 3', -1],
      [6, 'seed 2 vs seed 3', -1],
    ],
  );
});

test('construction errors: mean ± SE per epoch; a diverged run counts only before its divergence epoch', () => {
  const beta = [[[1]]];
  const ok1 = fakeRun({ beta, seed: 1, metrics: [metric(0, 0.9, 0.9), metric(1, 0.2, 0.3), metric(2, 0.1, 0.2)] });
  const ok2 = fakeRun({ beta, seed: 2, metrics: [metric(0, 0.9, 0.9), metric(1, 0.4, 0.5), metric(2, 0.3, 0.4)] });
  const bad = fakeRun({
    beta,
    seed: 3,
    status: 'diverged',
    divergenceEpoch: 2,
    metrics: [metric(0, 0.9, 0.9), metric(1, 0.6, 0.7), metric(2, 0.9, 0.9)],
  });
  const { errors, divergences } = constructionErrors({ NLO: [ok1, ok2, bad] });
  const test1 = frameRows(errors).find((r) => r.epoch === 1 && r.split === 'test')!;
  assert.equal(test1.runs, 3);
  assert.ok(Math.abs(Number(test1.mean) - 0.5) < 1e-12);
  assert.ok(Math.abs(Number(test1.se) - 0.2 / Math.sqrt(3)) < 1e-12);
  const train2 = frameRows(errors).find((r) => r.epoch === 2 && r.split === 'train')!;
  assert.equal(train2.runs, 2);
  assert.ok(Math.abs(Number(train2.mean) - 0.2) < 1e-12);
  assert.deepEqual(frameRows(divergences), [{ construction: 'NLO', run: 'fake-3', seed: 3, epoch: 2 }]);
});

test('τ histogram: log-spaced bins over whole decades, every sample counted once', () => {
  const { bins, summary } = tauHistogram([1e-6, 2e-6, 1e-3, 0.5, 0], { binsPerDecade: 1 });
  const rows = frameRows(bins);
  assert.equal(rows.length, 6); // decades 1e-6 … 1e0
  assert.ok(Math.abs(Number(rows[0]?.lower) - 1e-6) < 1e-18);
  assert.deepEqual(
    rows.map((r) => r.count),
    [2, 0, 0, 1, 0, 1],
  );
  assert.equal(frameRows(summary)[0]?.zeros, 1);
});

test('summed α series add the window of epochs up to each epoch (Infinity: all so far)', () => {
  // Two samples, one layer, epochs 1..4 with α = epoch number × (1, 2).
  const run = fakeRun({ beta: [1, 2, 3, 4].map((e) => [[e], [2 * e]]) });
  const block = summedAlphaSeries(run, 2);
  assert.deepEqual(block.epochs, [2, 3, 4]);
  assert.deepEqual([...block.alpha(4)], [7, 14]);
  const toDate = summedAlphaSeries(run, Infinity);
  assert.deepEqual(toDate.epochs, [1, 2, 3, 4]);
  assert.deepEqual([...toDate.alpha(3)], [6, 12]);
});
