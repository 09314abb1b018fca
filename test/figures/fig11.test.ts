import test from 'node:test';
import assert from 'node:assert/strict';
import { frameFromRows } from '../../src/analysis/frames';
import { pruningSummary, type RunRow } from '../../src/experiments/pruning';
import { fig11 } from '../../src/figures';

const row = (
  selection: string,
  strategy: string,
  fraction: number,
  seed: number,
  testError: number | null,
): RunRow => ({
  selection,
  strategy,
  fraction,
  seed,
  samples: Math.round(fraction * 1000),
  status: testError === null ? 'unfinished' : 'complete',
  testError,
  trainSeconds: testError === null ? 0 : 10,
  key: `${selection}-${strategy}-${fraction}-${seed}`,
});

test("Figure 11's summary: where a score beats or loses to random, and the fractions a partial grid lacks", () => {
  const seeds = [2, 3, 4];
  const rows = [
    ...seeds.map((s, k) => row('full', 'full', 1, s, 0.0186 + k * 1e-4)),
    ...seeds.map((s, k) => row('random', 'random', 0.5, s, 0.024 + k * 1e-4)),
    ...seeds.map((s, k) => row('random', 'random', 0.2, s, 0.041 + k * 1e-4)),
    ...seeds.map((s) => row('random', 'random', 0.1, s, null)),
    // tau: better at 50%, worse at 20%, not trained at 10%
    ...seeds.map((s, k) => row('tau', 'hard', 0.5, s, 0.0186 + k * 1e-4)),
    ...seeds.map((s, k) => row('tau', 'hard', 0.2, s, 0.06 + k * 1e-4)),
    ...seeds.map((s) => row('tau', 'hard', 0.1, s, null)),
  ];
  const frames = { summary: frameFromRows(pruningSummary(rows)), runs: frameFromRows(rows) };
  const text = fig11.summarize(frames);
  assert.match(text, /the full set: 1\.87% test error/);
  assert.match(text, /tau \(keep hard\): beats random at 50% kept; loses at 20% \(not yet compared at 10%\)/);
  const m = fig11.measure(frames) as { comparisons: { notCompared: number[] }[] };
  assert.deepEqual(m.comparisons[0]!.notCompared, [0.1]);
});
