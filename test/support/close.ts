/** Element-wise closeness for engine conformance tests (test/engine/conformance, test/engine/hvp). */
import assert from 'node:assert/strict';

/**
 * Fails naming the first element off by more than rtol·max_k|expected_k| (so values near zero are
 * held to the array's largest magnitude, not their own). `nonZero`: also fail when `expected` is all
 * zero, where the comparison would check nothing.
 *
 * @example
 *   assertClose(model.getParams(), expectedParams, 1e-4, 'params');
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  what: string,
  { nonZero = false }: { nonZero?: boolean } = {},
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]!));
  if (nonZero) assert.ok(scale > 0, `${what}: expected is all zero, the test checks nothing`);
  for (let k = 0; k < expected.length; k++) {
    const allowed = rtol * scale;
    const error = Math.abs(actual[k]! - expected[k]!);
    if (!(error <= allowed))
      assert.fail(`${what}[${k}]: got ${actual[k]}, expected ${expected[k]} (|error| ${error} > ${allowed})`);
  }
}
