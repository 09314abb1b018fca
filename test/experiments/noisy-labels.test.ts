import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frameRows } from '../../src/analysis/frames';
import { flipLabels } from '../../src/data/label-noise';
import { loadEngine } from '../../src/engine';
import { noisyLabelBenchmark, noisyLabelsMarkdown, precisionAtK, rocAuc } from '../../src/experiments/noisy-labels';
import { resolveRunConfig } from '../../src/run/config';
import { openRun } from '../../src/run/open-run';
import { SYNTHETIC_PROFILE, syntheticRunData } from '../support/synthetic-runs';
import { tempDir } from '../support/tmp';

const f64 = (v: number[]) => Float64Array.from(v);
const u8 = (v: number[]) => Uint8Array.from(v);

describe('label noise', () => {
  it('flips exactly round(f · n) labels, each to another class, seeded', () => {
    const y = Int32Array.from({ length: 1000 }, (_, i) => i % 10);
    const { y: noisy, flipped } = flipLabels(y, 10, 0.3, 4);
    assert.equal(flipped.length, 300);
    assert.ok(flipped.every((p, k) => k === 0 || p > flipped[k - 1]!));
    const changed = [...y.keys()].filter((i) => noisy[i] !== y[i]);
    assert.deepEqual(changed, [...flipped]);
    const newClasses = new Set([...flipped].map((p) => (noisy[p]! - y[p]! + 10) % 10));
    assert.deepEqual([...newClasses].sort(), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'every other class is drawn');
    assert.deepEqual(flipLabels(y, 10, 0.3, 4).y, noisy);
    assert.notDeepEqual(flipLabels(y, 10, 0.3, 5).y, noisy);
    assert.throws(() => flipLabels(y, 10, 1, 1), /must lie in \[0, 1\), got 1/);
  });

  it('a config takes a noise fraction in (0, 1), and not with a subset', () => {
    const base = { dataset: 'mnist' as const, trainSize: 100 };
    assert.throws(() => resolveRunConfig({ ...base, labelNoise: { fraction: 0, seed: 1 } }), /labelNoise\.fraction/);
    assert.throws(
      () =>
        resolveRunConfig({
          ...base,
          labelNoise: { fraction: 0.1, seed: 1 },
          subset: { name: 's', hash: '0123456789abcdef', size: 10 },
        }),
      /labelNoise or a subset, not both/,
    );
  });
});

describe('detection measures', () => {
  it('ROC-AUC: hand-computed, with ties counting one half', () => {
    // positives 0.35, 0.8 against negatives 0.1, 0.4: 3 of 4 pairs ordered
    assert.equal(rocAuc(f64([0.1, 0.4, 0.35, 0.8]), u8([0, 0, 1, 1])), 0.75);
    assert.equal(rocAuc(f64([1, 1, 1, 1]), u8([1, 0, 0, 1])), 0.5);
    assert.equal(rocAuc(f64([Infinity, 0, 2, 1]), u8([1, 0, 1, 0])), 1);
    assert.ok(Number.isNaN(rocAuc(f64([1, 2]), u8([0, 0]))));
  });
  it('precision at k: the top k, a tie at the cut counting its expected share', () => {
    assert.equal(precisionAtK(f64([5, 4, 3, 2, 1]), u8([1, 0, 1, 0, 0])), 0.5);
    assert.equal(precisionAtK(f64([1, 1, 1, 1]), u8([1, 0, 0, 0])), 0.25);
    // k = 2: 9 is in; one of the three 5s (one of them flipped) fills the second place: (1 + 1/3) / 2
    assert.ok(Math.abs(precisionAtK(f64([9, 5, 5, 5, 0]), u8([1, 1, 0, 0, 0])) - 2 / 3) < 1e-12);
  });
});

describe('noisy-label benchmark on synthetic data', () => {
  it('trains one run per noise level, saves the flipped positions, scores every epoch; cached on a rerun', async () => {
    const engine = await loadEngine('auto');
    const runsDir = tempDir();
    const opts = { engine, runsDir, data: syntheticRunData(), fractions: [0.1, 0.3] };
    const frames = await noisyLabelBenchmark(SYNTHETIC_PROFILE, 'mnist', opts);
    const runs = frameRows(frames.runs!);
    assert.deepEqual(
      runs.map((r) => [r.noise, r.flipped, r.status]),
      [
        [0.1, 40, 'complete'],
        [0.3, 120, 'complete'],
      ],
    );
    const run = openRun(path.join(runsDir, runs[0]!.key as string));
    assert.ok(fs.existsSync(path.join(run.dir, 'flipped.npy')));
    assert.deepEqual([...run.flipped!], [...flipLabels(syntheticRunData().train.y, 10, 0.1, 1).flipped]);
    const curves = frameRows(frames.curves!);
    const scoresPerEpoch = new Set(curves.map((r) => r.score)).size;
    assert.ok(scoresPerEpoch >= 10 && !curves.some((r) => r.score === 'final_nll'));
    assert.equal(curves.length, 2 * SYNTHETIC_PROFILE.epochs * scoresPerEpoch);
    assert.ok(curves.every((r) => (r.auc as number) >= 0 && (r.auc as number) <= 1));
    assert.equal(frameRows(frames.dataMap!).length, 2 * 400);
    assert.match(noisyLabelsMarkdown(frames), /10\.00% of labels flipped \(40 samples; complete after 6 epochs/);

    const again: string[] = [];
    await noisyLabelBenchmark(SYNTHETIC_PROFILE, 'mnist', { ...opts, log: (l) => again.push(l) });
    assert.deepEqual(again, [], 'a rerun trains nothing');
    await assert.rejects(
      noisyLabelBenchmark(SYNTHETIC_PROFILE, 'mnist', { ...opts, fractions: [0.001] }),
      /0\.10% of 400 training samples flips no label/,
    );
  });
});
