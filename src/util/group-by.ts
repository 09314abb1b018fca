/**
 * Items grouped by a key, groups and their items in first-seen order.
 *
 * @example
 *   groupBy([{ a: 1 }, { a: 2 }, { a: 1 }], (r) => String(r.a));   // Map { '1' => [{a:1},{a:1}], '2' => [{a:2}] }
 */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
