import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PCA } from 'ml-pca';
import { gramMatrix, gramPca } from '../../src/analysis/gram-pca';
import { Rng } from '../../src/util/rng';

// 6 snapshots of 50 parameters, with some structure so the components are well separated.
const rng = new Rng(3);
const rows = Array.from({ length: 6 }, (_, i) =>
  Float32Array.from({ length: 50 }, (_, k) => i * Math.sin(k) + 0.3 * i * i * Math.cos(3 * k) + rng.uniform()),
);

/** rows[j], failing clearly if the code under test asks for a snapshot that does not exist. */
const row = (j: number): Float32Array => {
  const r = rows[j];
  assert.ok(r, `no snapshot ${j}`);
  return r;
};

test('PCA through the Gram matrix equals PCA on the raw matrix (scores up to sign, explained ratios)', () => {
  const raw = new PCA(
    rows.map((r) => Array.from(r)),
    { center: true, scale: false },
  );
  const expected = raw
    .predict(
      rows.map((r) => Array.from(r)),
      { nComponents: 2 },
    )
    .to2DArray();
  const got = gramPca(rows.length, row, { components: 2, blockBytes: 4 * 50 * 4 });
  for (let c = 0; c < 2; c++) {
    const score = (i: number): number => {
      const s = got.scores[i]?.[c];
      assert.ok(s !== undefined, `row ${i} PC${c + 1}: no score`);
      return s;
    };
    const want = (i: number): number => expected[i]![c]!;
    const sign = Math.sign(score(0)) === Math.sign(want(0)) ? 1 : -1;
    rows.forEach((_, i) => {
      assert.ok(Math.abs(sign * score(i) - want(i)) < 1e-6 * (1 + Math.abs(want(i))), `row ${i} PC${c + 1}`);
    });
  }
  raw
    .getExplainedVariance()
    .slice(0, 5)
    .forEach((r, k) => {
      const ratio = got.explained[k];
      assert.ok(ratio !== undefined && Math.abs(r - ratio) < 1e-9, `ratio ${k}`);
    });
});

test('the Gram matrix is the same for any block size, and loads stay bounded', () => {
  let loads = 0;
  const load = (j: number): Float32Array => {
    loads++;
    return row(j);
  };
  const one = gramMatrix(6, load, 1);
  const all = gramMatrix(6, row, 6);
  assert.deepEqual(one, all);
  assert.equal(loads, 6 + 5 + 4 + 3 + 2 + 1);
});
