/**
 * The pruning benchmark end to end on synthetic data (a smoke-sized grid, a few seconds): every
 * planned run trained once through the cache, subsets of the right size, the summary's comparison
 * with random.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frameFromRows, frameRows } from '../../src/analysis/frames';
import { loadEngine } from '../../src/engine';
import { pruningBenchmark, pruningMarkdown, pruningSummary, type RunRow } from '../../src/experiments/pruning';
import { SYNTHETIC_PROFILE, syntheticRunData } from '../support/synthetic-runs';
import { tempDir } from '../support/tmp';

test('pruning benchmark: every score × strategy × fraction × seed, random and full, cached on a rerun', async () => {
  const engine = await loadEngine('auto');
  const runsDir = tempDir();
  const grid = {
    scores: ['tau', 'aum'],
    strategies: ['hard', 'stratified'] as const,
    fractions: [0.5, 0.2],
    seeds: [2, 3],
  };
  const opts = { engine, runsDir, data: syntheticRunData(), grid: { ...grid, strategies: [...grid.strategies] } };
  const trained: string[] = [];
  const frames = await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', { ...opts, log: (l) => trained.push(l) });
  const runs = frameRows(frames.runs!);
  // per seed: full + per fraction (random + 2 scores × 2 strategies)
  assert.equal(runs.length, 2 * (1 + 2 * (1 + 4)));
  assert.equal(trained.length, runs.length + 1, 'the scoring run, then every planned run, trained once');
  for (const r of runs)
    assert.equal(r.samples, Math.round((r.fraction as number) * 400), `${r.selection} ${r.fraction}`);
  assert.ok(runs.every((r) => r.status === 'complete' && typeof r.testError === 'number'));
  assert.equal(new Set(runs.map((r) => r.key)).size, runs.length, 'every run has its own key');
  // Trained in order: the full set, then the smallest fraction's cells, every seed, before the next.
  const order = runs.map((r) => `${r.fraction} ${r.seed}`);
  assert.deepEqual([...new Set(order)], ['1 2', '1 3', '0.2 2', '0.2 3', '0.5 2', '0.5 3']);

  const summary = frameRows(frames.summary!);
  const tauHalf = summary.find((r) => r.selection === 'tau' && r.strategy === 'hard' && r.fraction === 0.5)!;
  const tauRuns = runs.filter((r) => r.selection === 'tau' && r.strategy === 'hard' && r.fraction === 0.5);
  const meanError = tauRuns.reduce((s, r) => s + (r.testError as number), 0) / tauRuns.length;
  assert.ok(Math.abs((tauHalf.meanError as number) - meanError) < 1e-12);
  assert.ok(['better', 'worse', 'within 2 SE'].includes(tauHalf.versusRandom as string));
  assert.match(pruningMarkdown(frames), /\| tau \| hard \| {2}\| \d+\.\d\d% ± \d+\.\d\d/);

  const again: string[] = [];
  await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', { ...opts, log: (l) => again.push(l) });
  assert.deepEqual(again, [], 'a rerun trains nothing');

  // A grid larger than what was trained: --finished-only keeps the runs it lacks as 'unfinished'.
  const widerGrid = { ...opts.grid, fractions: [0.5, 0.2, 0.1] };
  const wider = await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', {
    runsDir,
    data: opts.data,
    finishedOnly: true,
    grid: widerGrid,
  });
  const widerRuns = frameRows(wider.runs!);
  const missing = widerRuns.filter((r) => r.status === 'unfinished');
  assert.equal(missing.length, 2 * 5, 'per seed: random and 2 scores × 2 strategies at 0.1');
  assert.ok(missing.every((r) => r.fraction === 0.1 && r.testError === null && r.trainSeconds === 0));
  assert.ok(
    missing.every((r) => r.samples === 40),
    'a tenth of 400',
  );
  const trainedSeconds = widerRuns.reduce((sum, r) => sum + (r.trainSeconds as number), 0);
  assert.ok(trainedSeconds > 0);
  const table = pruningMarkdown(wider);
  assert.match(table, /\| random \| random \|( [^|]* \|){3} not run yet \|/);
  assert.match(table, new RegExp(`Retrained runs: ${runs.length}, \\d+\\.\\d\\d h of training passes\\.`));
  assert.match(table, /10 of the grid's 32 runs are not trained yet, about \d+\.\d\d h \(rerun/);

  // The runs folders lost (another machine): the recorded runs frame stands in, nothing retrains.
  for (const r of runs) fs.rmSync(path.join(runsDir, r.key as string), { recursive: true });
  const scoring = frameRows(frames.scoring!)[0]!;
  assert.match(scoring.engine as string, /^native \(|^tfjs/);
  const elsewhere = 'native (openblas 0.0.0 TestKernel (1 thread))';
  // Recorded beside the grid: a run of another grid; one of a cell the wider grid lacks (tau hard at
  // 0.1, seed 2) under a subset another scoring run of unrecorded provenance chose; and one of that
  // cell chosen at another score epoch (another grid too).
  const foreign = { ...(runs[0] as RunRow), key: 'mnist-000000000000', scoredBy: null, scoringEngine: null };
  const cell = { selection: 'tau', strategy: 'hard', fraction: 0.1 };
  const twin = { ...(runs[0] as RunRow), ...cell, key: 'mnist-111111111111', scoredBy: null, scoringEngine: elsewhere };
  const otherEpoch = { ...twin, key: 'mnist-222222222222', scoredBy: `${scoring.key}@3`, scoringEngine: null };
  const recorded = {
    frames: { ...frames, otherRuns: frameFromRows([foreign, twin, otherEpoch]) },
    source: 'fig11.json',
  };
  const notes: string[] = [];
  const untrained = await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', {
    ...opts,
    recorded,
    log: (l) => notes.push(l),
  });
  assert.deepEqual(frameRows(untrained.runs!), runs, 'the recorded rows, in the planned order');
  assert.deepEqual(
    frameRows(untrained.otherRuns!).map((r) => [r.key, r.scoredBy, r.scoringEngine]),
    [
      [foreign.key, null, null],
      [twin.key, null, elsewhere],
      [otherEpoch.key, otherEpoch.scoredBy, null],
    ],
    'recorded runs outside the grid are kept, with the scoring run and engine that chose them',
  );
  assert.deepEqual(notes, [
    'mnist: 3 finished runs recorded in fig11.json are not in this grid; kept in its otherRuns frame.',
    `mnist: ${runs.length} runs as recorded in fig11.json (not in ${runsDir})`,
  ]);
  // In the wider grid the twin's cell is still to train under this scoring run's subset: the log
  // says so before anything trains.
  const rounding =
    `1 of them are cells this grid has not trained, under other subsets: this scoring run (${scoring.key}, ` +
    `trained on ${scoring.engine}) rounds differently from the one that chose them (trained on ${elsewhere}).`;
  const widerNotes: string[] = [];
  await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', {
    ...opts,
    grid: widerGrid,
    recorded: { frames: untrained, source: 'fig11.json' },
    log: (l) => widerNotes.push(l),
  });
  assert.equal(
    widerNotes[0],
    `mnist: 3 finished runs recorded in fig11.json are not in this grid; kept in its otherRuns frame. ${rounding} ` +
      'Going on trains them again; to continue the recorded grid instead, see docs/SCORES.md, ' +
      '"Continuing a grid on another CPU".',
  );
  assert.ok(widerNotes.includes('mnist tau hard 0.1, seed 2'), 'then the grid trains on, the twin cell too');
  // Without the scoring run, --finished-only shows the recorded frames as they are, or what of them
  // a narrower grid holds (the rest joins otherRuns).
  fs.rmSync(runsDir, { recursive: true });
  const asRecorded = await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', { runsDir, finishedOnly: true, recorded });
  assert.equal(asRecorded, recorded.frames);
  const narrowed = await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', {
    runsDir,
    finishedOnly: true,
    recorded,
    grid: { fractions: [0.5], strategies: ['hard'], seeds: [3] },
  });
  const narrowedRuns = frameRows(narrowed.runs!);
  assert.deepEqual(
    narrowedRuns.map((r) => `${r.selection} ${r.strategy} ${r.fraction} ${r.seed}`),
    ['full full 1 3', 'random random 0.5 3', 'tau hard 0.5 3', 'aum hard 0.5 3'],
  );
  assert.deepEqual(
    new Set(frameRows(narrowed.summary!).map((r) => r.fraction)),
    new Set([1, 0.5]),
    'the summary of the narrowed runs only',
  );
  assert.equal(
    frameRows(narrowed.otherRuns!).length,
    runs.length - narrowedRuns.length + 3,
    'every other recorded run kept, the earlier otherRuns too',
  );
  const widenedAgain = await pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', {
    runsDir,
    finishedOnly: true,
    recorded: { frames: narrowed, source: 'fig11.json' },
  });
  assert.deepEqual(frameRows(widenedAgain.runs!), runs, "the profile's grid again: its runs back, in training order");
  assert.deepEqual(frameRows(widenedAgain.summary!), frameRows(frames.summary!));
  assert.equal(frameRows(widenedAgain.otherRuns!).length, 3, 'only the runs of other grids left beside it');
  await assert.rejects(
    pruningBenchmark(SYNTHETIC_PROFILE, 'mnist', { runsDir, finishedOnly: true }),
    /needs mnist's complete seed-11 run/,
  );
});

test('pruning summary: better or worse than random only beyond 2 standard errors of the difference', () => {
  const run = (selection: string, strategy: string, testError: number | null, seed: number): RunRow => ({
    selection,
    strategy,
    fraction: 0.5,
    seed,
    samples: 200,
    status: testError === null ? 'diverged' : 'complete',
    testError,
    trainSeconds: 60,
    key: `${selection}-${strategy}-${seed}`,
  });
  const rows = [
    ...[0.3, 0.31, 0.29].map((e, k) => run('random', 'random', e, k + 2)),
    ...[0.2, 0.21, 0.19].map((e, k) => run('el2n', 'hard', e, k + 2)),
    ...[0.4, 0.41, 0.39].map((e, k) => run('aum', 'hard', e, k + 2)),
    ...[0.3, 0.35, 0.25].map((e, k) => run('tau', 'hard', e, k + 2)),
    ...[0.2, null, 0.19].map((e, k) => run('forgetting', 'hard', e, k + 2)),
  ];
  const verdict = (selection: string) => pruningSummary(rows).find((r) => r.selection === selection)!;
  assert.equal(verdict('el2n').versusRandom, 'better');
  assert.equal(verdict('aum').versusRandom, 'worse');
  // tau: 0.30 ± 0.029 against 0.30 ± 0.0058: no difference
  assert.equal(verdict('tau').versusRandom, 'within 2 SE');
  assert.deepEqual([verdict('forgetting').runs, verdict('forgetting').diverged], [2, 1]);
  // One finished run has no standard error: no verdict rather than one any difference would give.
  const single = [run('random', 'random', 0.3, 2), run('aum', 'hard', 0.3001, 2)];
  assert.equal(pruningSummary(single).find((r) => r.selection === 'aum')!.versusRandom, 'too few runs');
  assert.equal(pruningSummary([run('aum', 'hard', 0.3, 2)])[0]!.versusRandom, 'no reference');
  assert.ok(Math.abs((verdict('el2n').meanError as number) - 0.2) < 1e-12);
  assert.equal(verdict('random').versusRandom, '');
});

test("pruning table's legend: the hours trained, and those left at the finished runs' pace per kept sample", () => {
  const row = (selection: string, samples: number, status: string, trainSeconds: number): RunRow => ({
    selection,
    strategy: selection,
    fraction: samples / 1000,
    seed: 2,
    samples,
    status,
    testError: status === 'complete' ? 0.1 : null,
    trainSeconds,
    key: `${selection}-${samples}`,
  });
  // 3,600 s for 2,000 kept samples: 1.8 s per sample, so 500 samples left take 900 s.
  const rows = [
    row('full', 1000, 'complete', 1800),
    row('random', 1000, 'diverged', 1800),
    row('random', 500, 'unfinished', 0),
  ];
  const table = pruningMarkdown({ runs: frameFromRows(rows), summary: frameFromRows(pruningSummary(rows)) });
  assert.ok(
    table.endsWith(
      "Retrained runs: 2, 1.00 h of training passes. 1 of the grid's 3 runs are not trained yet, about 0.25 h " +
        '(rerun the command without --finished-only).\n',
    ),
    table,
  );
});
