import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keptCount, randomSubset, selectSubset, STRATA } from '../../src/scores/subset-selection';

const isAscendingDistinct = (p: Int32Array) => p.every((v, k) => k === 0 || v > p[k - 1]!);

describe('subset selection', () => {
  it('keeps round(f · n) samples, at least one, and refuses fractions outside (0, 1]', () => {
    assert.equal(keptCount(1000, 0.25), 250);
    assert.equal(keptCount(10, 0.01), 1);
    assert.throws(() => keptCount(10, 0), /kept fraction must lie in \(0, 1\], got 0/);
    assert.throws(() => keptCount(10, 1.5), /got 1\.5/);
  });

  it('random subsets are ascending, distinct, seeded', () => {
    const a = randomSubset(100, 0.3, 7);
    assert.equal(a.length, 30);
    assert.ok(isAscendingDistinct(a));
    assert.deepEqual(a, randomSubset(100, 0.3, 7));
    assert.notDeepEqual(a, randomSubset(100, 0.3, 8));
  });

  it('keep-hard takes the highest scores, and the lowest for AUM and confidence; keep-easy the opposite', () => {
    const scores = Float64Array.from([5, 1, 4, 2, 3]);
    const pick = (score: string, strategy: 'hard' | 'easy') => [
      ...selectSubset(scores, { score, strategy, fraction: 0.4, seed: 1 }),
    ];
    assert.deepEqual(pick('el2n', 'hard'), [0, 2]);
    assert.deepEqual(pick('el2n', 'easy'), [1, 3]);
    assert.deepEqual(pick('aum', 'hard'), [1, 3]);
    assert.deepEqual(pick('confidence', 'easy'), [0, 2]);
    assert.deepEqual(pick('forgetting', 'hard'), [0, 2]);
  });

  it('never-learned samples (forgetting ∞) are the hardest', () => {
    const forgetting = Float64Array.from([0, Infinity, 2, 0, Infinity, 1]);
    assert.deepEqual(
      [...selectSubset(forgetting, { score: 'forgetting', strategy: 'hard', fraction: 0.5, seed: 3 })],
      [1, 2, 4],
    );
  });

  it('ties are broken by a seeded shuffle, not by position', () => {
    const flat = new Float64Array(100);
    const first = [...selectSubset(flat, { score: 'tau', strategy: 'hard', fraction: 0.1, seed: 1 })];
    assert.notDeepEqual(
      first,
      Array.from({ length: 10 }, (_, i) => i),
    );
    assert.deepEqual(first, [...selectSubset(flat, { score: 'tau', strategy: 'hard', fraction: 0.1, seed: 1 })]);
    assert.notDeepEqual(first, [...selectSubset(flat, { score: 'tau', strategy: 'hard', fraction: 0.1, seed: 2 })]);
  });

  it('stratified keeps every sample of strata smaller than their share and spreads the rest evenly', () => {
    // 90 samples at 0, 9 at 0.5, 1 at 1 (three of the 50 strata); keep 30: 1 + 9 + 20.
    const scores = Float64Array.from([...Array(90).fill(0), ...Array(9).fill(0.5), 1]);
    const kept = selectSubset(scores, { score: 'el2n', strategy: 'stratified', fraction: 0.3, seed: 4 });
    assert.equal(kept.length, 30);
    assert.ok(isAscendingDistinct(kept));
    const at = (v: number) => [...kept].filter((i) => scores[i] === v).length;
    assert.deepEqual([at(0), at(0.5), at(1)], [20, 9, 1]);
    assert.equal(STRATA, 50);
  });

  it('stratified gives never-learned samples a stratum of their own', () => {
    const scores = Float64Array.from([...Array(50).fill(0), ...Array(50).fill(1), ...Array(50).fill(Infinity)]);
    const kept = selectSubset(scores, { score: 'forgetting', strategy: 'stratified', fraction: 0.2, seed: 5 });
    const at = (v: number) => [...kept].filter((i) => scores[i] === v).length;
    assert.deepEqual([at(0), at(1), at(Infinity)], [10, 10, 10]);
  });

  it('refuses NaN scores', () => {
    assert.throws(
      () => selectSubset(Float64Array.from([1, NaN]), { score: 'aum', strategy: 'hard', fraction: 0.5, seed: 1 }),
      /the aum scores contain NaN/,
    );
  });
});
