/**
 * Stopping a run on request (src/run/stop.ts): SIGINT and SIGTERM stop a training within about a
 * second with its lock released and its complete epochs kept; a process without a handler then
 * stops as the signal says, one that handles SIGINT itself (a Jupyter kernel) lives on and gets
 * TrainingInterrupted; an AbortSignal does the same in-process; and the stopped run resumes to the
 * same record as a run never stopped.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEngine } from '../../src/engine';
import { resolveRunConfig } from '../../src/run/config';
import { runLockFile } from '../../src/run/lock';
import { readRunMeta } from '../../src/run/record';
import { TrainingInterrupted } from '../../src/run/stop';
import { trainRun } from '../../src/run/train';
import { blobs } from '../support/synthetic';
import { tempDir } from '../support/tmp';

const DIST = path.join(__dirname, '..', '..');
const CONFIG = {
  dataset: 'mnist' as const,
  trainSize: 1000,
  testSize: 300,
  hidden: [32, 32, 32],
  epochs: 40,
  batchSize: 20,
};

/**
 * Trains a 40-epoch run in the runs folder argv[1] (minutes; the test stops it). With argv[2] ===
 * 'handles', the process handles SIGINT itself as a Jupyter kernel does. Prints 'epoch N' as epochs
 * complete and, when training ends, 'stopped <TrainingInterrupted message>'.
 */
const TRAINER = `
const { loadEngine } = require(${JSON.stringify(path.join(DIST, 'src', 'engine', 'index.js'))});
const { resolveRunConfig } = require(${JSON.stringify(path.join(DIST, 'src', 'run', 'config.js'))});
const { trainRun } = require(${JSON.stringify(path.join(DIST, 'src', 'run', 'train.js'))});
const { blobs } = require(${JSON.stringify(path.join(DIST, 'test', 'support', 'synthetic.js'))});
if (process.argv[2] === 'handles') process.on('SIGINT', () => console.log('host saw SIGINT'));
(async () => {
  const engine = await loadEngine('auto');
  const cfg = resolveRunConfig(${JSON.stringify(CONFIG)});
  let epoch = 0;
  const onProgress = (p) => { if (p.epoch !== epoch) { epoch = p.epoch; console.log('epoch', p.epoch); } };
  const [train, test] = [blobs(1000, 784, 10, 1), blobs(300, 784, 10, 2)];
  try {
    await trainRun(cfg, { engine, train, test, classes: 10, runsDir: process.argv[1], onProgress });
    console.log('finished');
  } catch (err) {
    console.log(err.name === 'TrainingInterrupted' ? 'stopped ' + err.message : 'failed ' + err.stack);
  }
  setTimeout(() => console.log('alive'), 200);
})();
`;

interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  /** From the signal until the lock was gone, ms. */
  lockGoneMs: number;
  dir: string;
}

/** Starts the trainer, sends `signal` once epoch 3 is under way, and waits for the process to end or say 'alive'. */
function stopTrainer(signal: NodeJS.Signals, mode: 'plain' | 'handles'): Promise<Stopped> {
  const runsDir = tempDir();
  const child = spawn(process.execPath, ['-e', TRAINER, runsDir, mode], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  let out = '';
  let sentAt = 0;
  let lockGoneMs = -1;
  const dir = () => path.join(runsDir, fs.readdirSync(runsDir)[0] ?? 'none');
  const watchLock = setInterval(() => {
    if (sentAt && lockGoneMs < 0 && !fs.existsSync(runLockFile(dir()))) lockGoneMs = Date.now() - sentAt;
  }, 5);
  child.stderr.on('data', (b) => (out += b));
  child.stdout.on('data', (b) => {
    out += b;
    if (!sentAt && out.includes('epoch 3')) {
      assert.ok(fs.existsSync(runLockFile(dir())), 'the run is locked while it trains');
      sentAt = Date.now();
      child.kill(signal);
    }
    if (out.includes('alive')) child.kill('SIGKILL');
  });
  return new Promise((resolve) =>
    child.on('exit', (code, sig) => {
      clearInterval(watchLock);
      resolve({ code, signal: sig, out, lockGoneMs, dir: dir() });
    }),
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} stops a training within a second, keeps its epochs, and the process stops by ${signal}`, async () => {
    const stopped = await stopTrainer(signal, 'plain');
    assert.equal(stopped.signal, signal, stopped.out);
    assert.ok(stopped.lockGoneMs >= 0 && stopped.lockGoneMs < 1500, `lock gone ${stopped.lockGoneMs} ms after`);
    const kept = Number(new RegExp(`training stopped by ${signal} after (\\d+) of 40 epochs`).exec(stopped.out)?.[1]);
    assert.ok(kept >= 2 && kept < 40, stopped.out);
    const meta = readRunMeta(stopped.dir);
    assert.equal(meta?.status, 'running');
    assert.equal(meta?.epochsCompleted, kept);
  });
}

test('a host that handles SIGINT (a Jupyter kernel) lives on; training stops with TrainingInterrupted', async () => {
  const stopped = await stopTrainer('SIGINT', 'handles');
  assert.equal(stopped.signal, 'SIGKILL', `the process lived on until the test ended it: ${stopped.out}`);
  assert.match(stopped.out, /host saw SIGINT/);
  assert.match(stopped.out, /stopped training stopped by SIGINT after \d+ of 40 epochs/);
  assert.ok(stopped.lockGoneMs >= 0 && stopped.lockGoneMs < 1500, `lock gone ${stopped.lockGoneMs} ms after`);
});

test('an AbortSignal stops a run that then resumes to the record of a run never stopped', async () => {
  const engine = await loadEngine('auto');
  const cfg = resolveRunConfig({ ...CONFIG, trainSize: 200, testSize: 50, epochs: 4, snapshotEvery: 1 });
  const [train, test] = [blobs(200, 784, 10, 1), blobs(50, 784, 10, 2)];
  const opts = { engine, train, test, classes: 10, chunkSamples: 40 };
  const whole = await trainRun(cfg, { ...opts, runsDir: tempDir() });

  const runsDir = tempDir();
  const controller = new AbortController();
  const onProgress = (p: { epoch: number; samplesDone: number }) => {
    if (p.epoch === 3 && p.samplesDone > 450) controller.abort('the test');
  };
  await assert.rejects(
    trainRun(cfg, { ...opts, runsDir, signal: controller.signal, onProgress }),
    (err: Error) =>
      err instanceof TrainingInterrupted &&
      err.epochsCompleted === 2 &&
      /stopped by the test after 2 of 4 epochs/.test(err.message),
  );
  const dir = path.join(runsDir, path.basename(whole.dir));
  assert.ok(!fs.existsSync(runLockFile(dir)), 'no lock left');
  const resumed = await trainRun(cfg, { ...opts, runsDir });
  assert.equal(resumed.meta.status, 'complete');
  for (const file of fs.readdirSync(whole.dir).filter((f) => f !== 'run.json')) {
    const [a, b] = [path.join(whole.dir, file), path.join(dir, file)];
    if (fs.statSync(a).isFile()) assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)), `${file} differs`);
  }
});
