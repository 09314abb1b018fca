import test from 'node:test';
import assert from 'node:assert/strict';
import { frameFromRows } from '../../src/analysis/frames';
import {
  divergedByBudget,
  divergenceRow,
  smallerStepEpochs,
  stepDivergenceMarkdown,
} from '../../src/experiments/step-divergence';
import { resolveRunConfig } from '../../src/run/config';
import type { RunMeta } from '../../src/run/record';

/** A run.json trained at `lr` for `lossByEpoch.length - 1` epochs, diverging in `divergedIn` when given. */
function meta(lr: number, lossByEpoch: number[], divergedIn?: number, epochs = 10): RunMeta {
  return {
    schemaVersion: 2,
    key: 'k',
    status: divergedIn ? 'diverged' : 'complete',
    config: resolveRunConfig({ dataset: 'cifar10', epochs, lr }),
    metrics: lossByEpoch.map((trainLoss, epoch) => ({
      epoch,
      trainLoss,
      trainError: 0.5,
      testLoss: 2,
      testError: (40 + epoch) / 100,
      trainSeconds: 1,
    })),
    divergence: divergedIn ? { epoch: divergedIn, samplesSeen: 0, message: 'NaN' } : null,
  } as unknown as RunMeta;
}

test('divergenceRow: the last epoch reached, and the highest training loss from epoch 5 on', () => {
  const row = divergenceRow('RSIO', 2, meta(0.1, [2.3, 9, 1, 1, 1, 3.5, 2.5, 4], 8));
  assert.deepEqual(row, {
    construction: 'RSIO',
    lr: 0.1,
    run: 2,
    status: 'diverged',
    divergedIn: 8,
    epochs: 7,
    plannedEpochs: 10,
    testError: 0.47,
    // Epoch 1's 9 nats come before epoch 5 and do not count.
    maxTrainLoss: 4,
  });
});

test('divergedByBudget counts a run by η·t, not by epoch', () => {
  const rows = [
    divergenceRow('RNLO', 1, meta(0.1, [2.3, 2], 4)), // η·t = 0.4
    divergenceRow('RNLO', 2, meta(0.1, [2.3, 2], 6)), // η·t = 0.6
    divergenceRow('RNLO', 1, meta(0.05, [2.3, 2], 10)), // η·t = 0.5
    divergenceRow('RNLO', 3, meta(0.1, [2.3, 2])),
  ];
  assert.equal(divergedByBudget(rows, 0.5), 2);
  assert.equal(divergedByBudget(rows, 0.4), 1);
  assert.equal(divergedByBudget(rows, 1), 3);
});

test('stepDivergenceMarkdown: one row per construction and step, divergences with their η·t', () => {
  const rows = [
    divergenceRow('RNLO', 1, meta(0.05, [2.3, 2, 2, 2, 2, 1.5], undefined, 16)),
    divergenceRow('RNLO', 1, meta(0.1, [2.3, 2, 2, 2, 2, 3], 8)),
    divergenceRow('RNLO', 2, meta(0.1, [2.3, 2, 2, 2, 2, 2.5])),
    divergenceRow('RNLO', 3, meta(0.1, [2.3, 2, 2, 2, 2, 2.5], 9)),
  ];
  const text = stepDivergenceMarkdown({ runs: frameFromRows(rows, Object.keys(rows[0]!)) });
  const lines = text.split('\n');
  // The smaller step's budget, 0.05 × 16 = 0.8: epoch 8 at η = 0.1 is within it, epoch 9 is not.
  assert.match(lines[0]!, /\| diverged by η·t = 0.8 \|/);
  assert.equal(lines[2], '| RNLO | 0.1 | 10 | 3 | 8 (0.8), 9 (0.9) | 1 | 45.00% (1) | 2.50–3.00 nats |');
  assert.equal(lines[3], '| RNLO | 0.05 | 16 | 1 | none | 0 | 45.00% (1) | 1.50–1.50 nats |');
  assert.equal(stepDivergenceMarkdown({ runs: frameFromRows([], ['construction']) }), 'No runs finished yet.\n');
});

test("smallerStepEpochs: 80% of the profile's step budget at η = 0.05", () => {
  assert.equal(smallerStepEpochs({ epochs: 50, lr: 0.1 }), 80);
  assert.equal(smallerStepEpochs({ epochs: 10, lr: 0.05 }), 8);
});
