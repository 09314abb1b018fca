import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { frameRows } from '../../src/analysis/frames';
import { importanceClusters, representativeClusters } from '../../src/analysis/importance-clusters';
import { Rng } from '../../src/util/rng';
import { fakeRun } from './fake-run';

// 60 samples of class 0 in three groups by magnitude of β (1e-6, 1e-3, 1): easy, medium, hard.
function groupedRun() {
  const rng = new Rng(5);
  const scale = (i: number): number => [1e-6, 1e-3, 1][i % 3]!;
  const beta = Array.from({ length: 4 }, () =>
    Array.from({ length: 60 }, (_, i) => [scale(i) * (1 + 0.1 * rng.uniform()), scale(i) * (1 + 0.1 * rng.uniform())]),
  );
  return fakeRun({ beta, finalNll: Array.from({ length: 60 }, (_, i) => scale(i)) });
}

test('k-means clustering is deterministic for a seed and finds easy, medium and hard groups', () => {
  const labels = new Int32Array(60);
  const a = importanceClusters(groupedRun(), labels, 0, { clusters: 3, minSize: 5, seed: 2 });
  const b = importanceClusters(groupedRun(), labels, 0, { clusters: 3, minSize: 5, seed: 2 });
  assert.deepEqual(frameRows(a.clusters), frameRows(b.clusters));
  assert.deepEqual(frameRows(a.examples), frameRows(b.examples));
  const byDifficulty = Object.fromEntries(
    frameRows(a.clusters)
      .filter((r) => r.difficulty)
      .map((r) => [r.difficulty, r]),
  );
  assert.equal(byDifficulty.easy.size, 20);
  assert.ok(Math.abs(Number(byDifficulty.hard.meanFinalNll) - 1) < 1e-6);
  assert.ok(
    frameRows(a.examples)
      .filter((r) => r.difficulty === 'hard')
      .every((r) => Number(r.position) % 3 === 2),
  );
  assert.equal(frameRows(a.nllBoxes).length, 3 * 4);
  assert.equal(frameRows(a.layerImportance).length, 3 * 4 * 2);
});

test('representatives skip clusters below the minimum size', () => {
  assert.deepEqual(representativeClusters([50, 2, 30, 40, 60], [0.1, 9, 0.5, 0.3, 0.2], 10), {
    easy: 0,
    medium: 4,
    hard: 2,
  });
  assert.throws(() => representativeClusters([50, 2, 3], [0.1, 9, 0.5], 10), /only 1 clusters/);
});
