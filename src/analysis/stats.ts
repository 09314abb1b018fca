/**
 * Small statistics over numeric arrays, in float64: ranks with ties averaged, Spearman and
 * Pearson correlation, mean, standard error, and the five numbers of a box plot.
 *
 * @example
 *   ranks([10, 20, 20, 30]);                 // Float64Array [1, 2.5, 2.5, 4]
 *   spearman([1, 2, 3], [30, 20, 10]);       // -1
 *   boxStats([1, 2, 3, 4, 100]).upper;       // 4: the largest value within 1.5 IQR of q3
 */
export type Numbers = ArrayLike<number>;

/** 1-based ranks; tied values share the mean of the ranks they span. */
export function ranks(values: Numbers): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const shared = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) out[order[k]!] = shared;
    start = end;
  }
  return out;
}

export function pearson(x: Numbers, y: Numbers): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`correlation needs equal lengths, got ${n} and ${y.length}`);
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Pearson correlation of the tie-averaged ranks. */
export function spearman(x: Numbers, y: Numbers): number {
  return pearson(ranks(x), ranks(y));
}

export function mean(values: Numbers): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Sample standard deviation / √n; 0 for a single value (nothing to spread). */
export function standardError(values: Numbers): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1) / n);
}

/** Linear-interpolation quantile (numpy's default) of already sorted values. */
export function quantileSorted(sorted: Numbers, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo];
  const b = sorted[hi];
  if (a === undefined || b === undefined) {
    throw new RangeError(`quantile ${p} of ${sorted.length} values: needs at least one value and p in [0, 1]`);
  }
  return a + (h - lo) * (b - a);
}

export interface BoxStats {
  q1: number;
  median: number;
  q3: number;
  /** Whiskers: the most extreme values within 1.5 IQR of the quartiles. */
  lower: number;
  upper: number;
}

export function boxStats(values: Numbers): BoxStats {
  const sorted = Float64Array.from(values).sort();
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const reach = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - reach && v <= q3 + reach);
  const lower = inside[0];
  const upper = inside[inside.length - 1];
  if (lower === undefined || upper === undefined) {
    throw new RangeError(
      `none of ${sorted.length} values lies within 1.5 IQR of quartiles ${q1} and ${q3}, so no whiskers (NaN or ∞?)`,
    );
  }
  return { q1, median: quantileSorted(sorted, 0.5), q3, lower, upper };
}
