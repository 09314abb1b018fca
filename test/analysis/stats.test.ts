import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { boxStats, mean, pearson, ranks, spearman, standardError } from '../../src/analysis/stats';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

test('ranks average ties', () => {
  assert.deepEqual(Array.from(ranks([10, 20, 20, 30])), [1, 2.5, 2.5, 4]);
  assert.deepEqual(Array.from(ranks([5, 5, 5])), [2, 2, 2]);
  assert.deepEqual(Array.from(ranks([3, 1, 2])), [3, 1, 2]);
});

test('Spearman with ties equals the Pearson correlation of averaged ranks (scipy: 0.9486832980505138)', () => {
  close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 4.5 / Math.sqrt(22.5));
  close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 0.9486832980505138);
  close(spearman([1, 2, 3, 4], [10, 100, 1000, 1e6]), 1);
  close(spearman([1, 2, 3], [3, 2, 1]), -1);
});

test('Pearson, mean and standard error on hand-computed values', () => {
  close(pearson([1, 2, 3], [2, 4, 7]), 0.9933992677987828);
  close(mean([1, 2, 3, 6]), 3);
  close(standardError([1, 2, 3, 6]), Math.sqrt(14 / 3 / 4));
  assert.equal(standardError([5]), 0);
});

test('box statistics: numpy quartiles and 1.5 IQR whiskers', () => {
  const b = boxStats([1, 2, 3, 4, 100]);
  assert.deepEqual(b, { q1: 2, median: 3, q3: 4, lower: 1, upper: 4 });
});
