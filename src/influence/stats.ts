/**
 * Pearson and Spearman correlation (ranks with ties averaged), in float64, for the influence
 * validation. Kept here so that src/influence depends on nothing outside the engine contract.
 *
 * @example
 *   spearman([1, 2, 3], [30, 20, 10]);   // -1
 */
export type Numbers = ArrayLike<number>;

export function pearson(x: Numbers, y: Numbers): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`correlation needs equal lengths, got ${n} and ${y.length}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** 1-based ranks; tied values share the mean of the ranks they span. */
export function ranks(values: Numbers): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    for (let k = start; k < end; k++) out[order[k]] = (start + 1 + end) / 2;
    start = end;
  }
  return out;
}

export function spearman(x: Numbers, y: Numbers): number {
  return pearson(ranks(x), ranks(y));
}
