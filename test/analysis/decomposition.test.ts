import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { importanceDecomposition } from '../../src/analysis/decomposition';
import { frameRows } from '../../src/analysis/frames';
import { topShare } from '../../src/analysis/top-share';
import { fakeRun } from './fake-run';

const close = (a: unknown, b: number): void => assert.ok(Math.abs(Number(a) - b) < 1e-9, `${a} ≠ ${b}`);

test('A^t is the sum of B_d^t, per-parameter divides by the layer size, classes partition A^t', () => {
  // E = 2, n = 3, D = 2 (L1 with 4 parameters, Out with 2); labels 0, 1, 0.
  const run = fakeRun({
    beta: [
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [0.5, 0],
        [0, 0.25],
        [1, 1],
      ],
    ],
    layers: [
      { name: 'L1', params: 4 },
      { name: 'Out', params: 2 },
    ],
  });
  const { total, layers, classes } = importanceDecomposition(run, Int32Array.from([0, 1, 0]), ['a', 'b']);
  assert.deepEqual(frameRows(total), [
    { epoch: 1, importance: 21 },
    { epoch: 2, importance: 2.75 },
  ]);
  const l = frameRows(layers);
  close(l[0]?.importance, 9);
  close(l[0]?.perParameter, 9 / 4);
  close(l[1]?.importance, 12);
  close(l[1]?.perParameter, 6);
  assert.deepEqual(
    frameRows(classes).map((r) => [r.epoch, r.class, r.importance]),
    [
      [1, 'a', 14],
      [1, 'b', 7],
      [2, 'a', 2.5],
      [2, 'b', 0.25],
    ],
  );
});

test('top share on 10 samples: top 10% is one sample, next 10% one, other 80% eight', () => {
  // L1 β = i + 1; Out β = 1, except sample 9 with 11. τ ranks: 9 (21), 8 (10), then the rest.
  const beta = [Array.from({ length: 10 }, (_, i) => [i + 1, i === 9 ? 11 : 1])];
  const rows = frameRows(topShare(fakeRun({ beta })));
  const share = (layer: string, group: string): unknown =>
    rows.find((r) => r.layer === layer && r.group === group)?.share;
  close(share('L1', 'top 10%'), 10 / 55);
  close(share('L1', '10–20%'), 9 / 55);
  close(share('L1', 'other 80%'), 36 / 55);
  close(share('Out', 'top 10%'), 11 / 20);
  close(share('Out', '10–20%'), 1 / 20);
  close(share('All', 'top 10%'), 21 / 75);
  close(share('All', 'other 80%'), 44 / 75);
});
