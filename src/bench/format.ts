/**
 * Renders benchmark rows as a plain-text table, followed by what the rows are for: each engine's
 * importance overhead and the native engine's time relative to each peer.
 *
 * @example
 *   console.log(formatBenchRows(await runStepBenchmark()));
 */
import type { BenchRow } from './step-bench';

const fixed = (v: number | undefined, digits: number) => (v === undefined ? '-' : v.toFixed(digits));

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  return [header, ...body]
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatBenchRows(rows: readonly BenchRow[]): string {
  const timed = rows.filter((r) => r.msPerStep !== undefined);
  const lines = [
    table(
      ['engine', 'backend', 'network', 'importance', 'ms/step', 'best', 'samples/s'],
      timed.map((r) => [
        r.engine,
        r.backend,
        r.network,
        r.importance ? 'on' : 'off',
        fixed(r.msPerStep, 2),
        fixed(r.bestMsPerStep, 2),
        fixed(r.samplesPerSec, 0),
      ]),
    ),
  ];
  for (const r of rows.filter((row) => row.unavailable)) lines.push(`${r.engine}: unavailable (${r.unavailable})`);

  const find = (engine: string, network: string, importance: boolean) =>
    timed.find((r) => r.engine === engine && r.network === network && r.importance === importance);
  const notes: string[] = [];
  for (const on of timed.filter((r) => r.importance)) {
    const off = find(on.engine, on.network, false);
    if (!off?.msPerStep) continue;
    const overhead = (a?: number, b?: number) => (a && b ? `${fixed((100 * a) / b - 100, 1)}%` : '-');
    notes.push(
      `importance overhead ${on.engine} ${on.network}: ${overhead(on.msPerStep, off.msPerStep)} median, ` +
        `${overhead(on.bestMsPerStep, off.bestMsPerStep)} best`,
    );
  }
  const peers = [...new Set(timed.filter((r) => r.engine !== 'native' && r.engine !== 'tfjs').map((r) => r.engine))];
  for (const native of timed.filter((r) => r.engine === 'native' && !r.importance)) {
    for (const peer of peers) {
      const other = find(peer, native.network, false);
      if (other?.msPerStep)
        notes.push(
          `native/${peer} ${native.network}: ${fixed(native.msPerStep! / other.msPerStep, 2)} (below 1 is faster)`,
        );
    }
  }
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
