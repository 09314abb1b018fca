/**
 * The adjusted Rand index of two clusterings of the same items (Hubert & Arabie 1985): 1 for the
 * same partition (whatever the cluster numbers), about 0 for partitions that agree no more than
 * chance would, negative below that. How stable k-means clusters are across seeds.
 *
 * @example
 *   adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]);   // 1
 *   adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]);   // -0.5
 */
const pairs = (k: number): number => (k * (k - 1)) / 2;

export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`clusterings of ${a.length} and ${b.length} items`);
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]} ${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  const sum = (counts: Iterable<number>) => [...counts].reduce((s, k) => s + pairs(k), 0);
  const [index, rowPairs, colPairs, all] = [
    sum(table.values()),
    sum(rows.values()),
    sum(cols.values()),
    pairs(a.length),
  ];
  const expected = all > 0 ? (rowPairs * colPairs) / all : 0;
  const max = (rowPairs + colPairs) / 2;
  // Both partitions trivial (one cluster each, or all singletons): identical, so 1.
  return max === expected ? 1 : (index - expected) / (max - expected);
}
