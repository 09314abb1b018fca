/**
 * Every score on a hand-made record of 3 samples, 3 epochs, 2 layers, batches of 2 (so one sample
 * per epoch sits in a batch of 1), η = 0.5; the expected values are worked out by hand in the
 * comments.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forgettingEvents, sampleScores, scoreNames, unavailableScores } from '../../src/scores/sample-scores';
import { scoreCsv, scoreFrame, scoreTable, type ScoreTableRun } from '../../src/scores/score-table';
import type { RunMeta } from '../../src/run/record';

const n = 3;
const meta = {
  schemaVersion: 2,
  key: 'mnist-handmade',
  status: 'complete',
  config: { lr: 0.5, batchSize: 2 },
  layers: [{ name: 'L1' }, { name: 'Out' }],
} as unknown as RunMeta;

// β [E][n][D]; α per epoch: t0 .4 .2 1.0 | t1 .4 .2 .4 | t2 .09 .16 .25
const importance = Float32Array.from(
  [
    [0.1, 0.3, 0.0, 0.2, 0.5, 0.5],
    [0.2, 0.2, 0.1, 0.1, 0.0, 0.4],
    [0.04, 0.05, 0.16, 0.0, 0.25, 0.0],
  ].flat(),
);
// Batches: visiting slots 0–1 form a batch of 2, slot 2 a batch of 1.
const order = Int32Array.from([0, 1, 2, 2, 0, 1, 1, 2, 0]);
// p = exp(−nll): t0 .5 .25 .8 | t1 .5 .25 .4 | t2 1 .25 .6
const nll = Float32Array.from([0.5, 0.25, 0.8, 0.5, 0.25, 0.4, 1, 0.25, 0.6].map((p) => -Math.log(p)));
const correct = Uint8Array.from([1, 0, 0, 0, 0, 1, 1, 0, 1]);
const margin = Float32Array.from([1, -2, -1, -0.5, -1, 2, 3, -1, -0.5]);
const el2n = Float32Array.from([0.7, 1.2, 0.9, 0.6, 1.2, 0.5, 0.1, 1.3, 0.8]);

function handmade(over: Partial<ScoreTableRun> = {}): ScoreTableRun {
  return {
    dir: 'runs/mnist-handmade',
    meta,
    epochs: 3,
    n,
    layers: 2,
    importance,
    nll,
    correct,
    order,
    margin,
    el2n,
    finalNll: Float32Array.from([0.1, 2, 0.7]),
    trainIndices: Int32Array.from([10, 11, 12]),
    ...over,
  };
}

const close = (actual: ArrayLike<number>, expected: number[], what: string) => {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((v, i) => {
    const a = actual[i]!;
    assert.ok(v === a || Math.abs(a - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${what}[${i}]: ${a}, expected ${v}`);
  });
};

describe('training-dynamics scores on a hand-made record', () => {
  const scores = sampleScores(handmade());

  it('lists every score, per layer too, in column order', () => {
    assert.deepEqual(scoreNames(handmade()), [
      'tau',
      'tau_L1',
      'tau_Out',
      'grand',
      'el2n',
      'forgetting',
      'aum',
      'confidence',
      'variability',
      'self_influence',
      'final_nll',
    ]);
    assert.deepEqual(Object.keys(scores), scoreNames(handmade()));
  });
  it('tau and tau per layer sum β over the epochs', () => {
    close(scores.tau!, [0.89, 0.56, 1.65], 'tau');
    close(scores.tau_L1!, [0.34, 0.26, 0.75], 'tau_L1');
    close(scores.tau_Out!, [0.55, 0.3, 0.9], 'tau_Out');
  });
  it('grand is √α · m / η at epoch T, with m the size of the batch the sample was in', () => {
    // epoch 3: sample 0 alone in the last batch (m 1): √.09·1/.5; samples 1, 2 in a batch of 2: √.16·2/.5, √.25·2/.5
    close(scores.grand!, [0.6, 1.6, 2.0], 'grand');
    // epoch 1: samples 0, 1 in a batch of 2, sample 2 alone
    close(
      sampleScores(handmade(), { epoch: 1, scores: ['grand'] }).grand!,
      [(Math.sqrt(0.4) * 2) / 0.5, (Math.sqrt(0.2) * 2) / 0.5, Math.sqrt(1.0) / 0.5],
      'grand at epoch 1',
    );
  });
  it('el2n is the recorded value at epoch T', () => {
    close(scores.el2n!, [0.1, 1.3, 0.8], 'el2n');
    close(sampleScores(handmade(), { epoch: 2, scores: ['el2n'] }).el2n!, [0.6, 1.2, 0.5], 'el2n at 2');
  });
  it('forgetting counts correct → wrong transitions; never learned is Infinity', () => {
    // sample 0: 1 0 1 (one event); sample 1: 0 0 0 (never learned); sample 2: 0 1 1 (none)
    close(scores.forgetting!, [1, Infinity, 0], 'forgetting');
    close(forgettingEvents(Uint8Array.from([1, 1, 0, 1, 0]), 1, 5), [2], 'two events');
    close(forgettingEvents(Uint8Array.from([0, 0, 1, 0]), 1, 2), [Infinity], 'learned only after T');
  });
  it('aum is the mean margin over epochs 1 … T', () => {
    close(scores.aum!, [3.5 / 3, -4 / 3, 0.5 / 3], 'aum');
    close(sampleScores(handmade(), { epoch: 2, scores: ['aum'] }).aum!, [0.25, -1.5, 0.5], 'aum to epoch 2');
  });
  it('confidence and variability are the mean and population sd of exp(−nll)', () => {
    close(scores.confidence!, [2 / 3, 0.25, 0.6], 'confidence');
    close(scores.variability!, [Math.sqrt(1 / 18), 0, Math.sqrt(0.08 / 3)], 'variability');
  });
  it('self_influence is Σ_t η‖g‖² = Σ_t α m² / η', () => {
    // t0: .4·4/.5, .2·4/.5, 1·1/.5 | t1: .4·4/.5, .2·1/.5, .4·4/.5 | t2: .09·1/.5, .16·4/.5, .25·4/.5
    close(scores.self_influence!, [6.58, 3.28, 7.2], 'self_influence');
  });
  it('final_nll is the NLL under the trained model', () => {
    close(scores.final_nll!, [0.1, 2, 0.7], 'final_nll');
  });
});

describe('what a record cannot give', () => {
  const v1 = handmade({ margin: undefined, el2n: undefined, meta: { ...meta, schemaVersion: 1 } });
  it('a version-1 record gives every score but aum and el2n, and says why', () => {
    assert.deepEqual(Object.keys(unavailableScores(v1)), ['el2n', 'aum']);
    assert.match(unavailableScores(v1).aum!, /schema-version-1 record, without margin\.npy/);
    assert.ok(!('aum' in sampleScores(v1)) && 'forgetting' in sampleScores(v1));
    assert.throws(
      () => sampleScores(v1, { scores: ['aum'] }),
      /the aum score needs margin\.npy, which runs\/mnist-handmade lacks/,
    );
  });
  it('a running record has no final_nll', () => {
    const running = handmade({ finalNll: undefined, meta: { ...meta, status: 'running' } });
    assert.match(unavailableScores(running).final_nll!, /is running, not complete/);
  });
  it('an unknown score or an epoch outside the record is an error naming it', () => {
    assert.throws(
      () => sampleScores(handmade(), { scores: ['grandd'] }),
      /unknown score 'grandd'; the scores of this record: tau, tau_L1/,
    );
    assert.throws(() => sampleScores(handmade(), { epoch: 4 }), /epoch 4 is not one of the 3 complete epochs/);
    assert.throws(() => sampleScores(handmade(), { epoch: 0 }), /epoch 0 is not one of the 3 complete epochs/);
  });
});

describe('score tables', () => {
  const labels = Int32Array.from([3, 1, 4]);
  it('average each score over runs of the same samples', () => {
    const doubled = handmade({ importance: importance.map((v) => 3 * v), dir: 'runs/b' });
    const table = scoreTable([handmade(), doubled], labels);
    close(table.scores.tau!, [0.89 * 2, 0.56 * 2, 1.65 * 2], 'mean tau of τ and 3τ');
    close(table.scores.aum!, [3.5 / 3, -4 / 3, 0.5 / 3], 'aum');
    assert.equal(table.runs, 2);
    assert.equal(table.epoch, 3);
  });
  it('leave out what one run cannot give, and say so', () => {
    const v1 = handmade({ margin: undefined, el2n: undefined, meta: { ...meta, schemaVersion: 1 }, dir: 'runs/old' });
    const table = scoreTable([handmade(), v1], labels);
    assert.deepEqual(Object.keys(table.skipped), ['el2n', 'aum']);
    assert.ok(!('aum' in table.scores));
  });
  it('refuse runs of other samples and labels of another length', () => {
    const other = handmade({ trainIndices: Int32Array.from([10, 11, 13]), dir: 'runs/other' });
    assert.throws(
      () => scoreTable([handmade(), other], labels),
      /runs\/other trains on other samples than runs\/mnist-handmade/,
    );
    assert.throws(() => scoreTable([handmade()], Int32Array.from([1])), /1 labels for the 3 training samples/);
  });
  it('render as a DataFrame and as CSV with inf for never-learned samples', () => {
    const table = scoreTable([handmade()], labels, { scores: ['tau', 'forgetting'] });
    const frame = scoreFrame(table);
    assert.deepEqual(frame.columns, ['position', 'index', 'label', 'tau', 'forgetting']);
    assert.deepEqual(frame.shape, [3, 5]);
    const csv = scoreCsv(table).trim().split('\n');
    assert.equal(csv[0], 'position,index,label,tau,forgetting');
    assert.match(csv[2]!, /^1,11,1,0\.56\d*,inf$/);
    assert.equal(csv.length, 4);
  });
});
