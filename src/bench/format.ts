/**
 * Renders benchmark rows as a plain-text table, followed by what the rows are for: each engine's
 * overhead of recording margin and el2n (against a plain step) and of importance (against a step
 * with the scores), and the native engine's plain step relative to each peer's.
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
      ['engine', 'backend', 'network', 'scores', 'importance', 'ms/step', 'best', 'samples/s'],
      timed.map((r) => [
        r.engine,
        r.backend,
        r.network,
        r.scores ? 'on' : 'off',
        r.importance ? 'on' : 'off',
        fixed(r.msPerStep, 2),
        fixed(r.bestMsPerStep, 2),
        fixed(r.samplesPerSec, 0),
      ]),
    ),
  ];
  for (const r of rows.filter((row) => row.unavailable)) lines.push(`${r.engine}: unavailable (${r.unavailable})`);

  const find = (engine: string, network: string, importance: boolean, scores: boolean) =>
    timed.find(
      (r) => r.engine === engine && r.network === network && r.importance === importance && r.scores === scores,
    );
  const overhead = (a?: number, b?: number) => (a && b ? `${fixed((100 * a) / b - 100, 1)}%` : '-');
  const notes: string[] = [];
  for (const withScores of timed.filter((r) => r.scores && !r.importance)) {
    const plain = find(withScores.engine, withScores.network, false, false);
    if (plain?.msPerStep)
      notes.push(
        `margin + el2n overhead ${withScores.engine} ${withScores.network}: ` +
          `${overhead(withScores.msPerStep, plain.msPerStep)} median, ` +
          `${overhead(withScores.bestMsPerStep, plain.bestMsPerStep)} best`,
      );
  }
  for (const on of timed.filter((r) => r.importance)) {
    // Against the step with the scores; a peer, which records none, against its plain step.
    const off = find(on.engine, on.network, false, true) ?? find(on.engine, on.network, false, false);
    if (off?.msPerStep)
      notes.push(
        `importance overhead ${on.engine} ${on.network}: ${overhead(on.msPerStep, off.msPerStep)} median, ` +
          `${overhead(on.bestMsPerStep, off.bestMsPerStep)} best`,
      );
  }
  const peers = [...new Set(timed.filter((r) => r.engine !== 'native' && r.engine !== 'tfjs').map((r) => r.engine))];
  for (const native of timed.filter((r) => r.engine === 'native' && !r.importance && !r.scores)) {
    for (const peer of peers) {
      const other = find(peer, native.network, false, false);
      if (other?.msPerStep)
        notes.push(
          `native/${peer} ${native.network}: ${fixed(native.msPerStep! / other.msPerStep, 2)} (below 1 is faster)`,
        );
    }
  }
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
