/**
 * Runs of the smoke profile's size (1,000 / 300 samples of 784 features, a 3×32 network, batches of
 * 20, 5 epochs, every epoch's parameters kept), killed at seeded points (SIGKILL mostly, SIGINT and
 * SIGTERM too) and resumed until complete, end with records byte-identical to a run never
 * interrupted: every array, every parameter snapshot, and the final NLL. Training happens in child
 * processes on one BLAS thread each, as a sweep's workers do, so each process computes the same
 * float32 bits.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunMeta } from '../../src/run/record';
import { Rng } from '../../src/util/rng';
import { tempDir } from '../support/tmp';

const KILL_POINTS = 12;
const DIST = path.join(__dirname, '..', '..');

/** Trains (or resumes) the run in the runs folder argv[1]; prints 'training' once it trains, then 'done <ms>'. */
const TRAINER = `
const { loadEngine } = require(${JSON.stringify(path.join(DIST, 'src', 'engine', 'index.js'))});
const { resolveRunConfig } = require(${JSON.stringify(path.join(DIST, 'src', 'run', 'config.js'))});
const { trainRun } = require(${JSON.stringify(path.join(DIST, 'src', 'run', 'train.js'))});
const { blobs } = require(${JSON.stringify(path.join(DIST, 'test', 'support', 'synthetic.js'))});
(async () => {
  const engine = await loadEngine('auto');
  const cfg = resolveRunConfig({
    dataset: 'mnist', trainSize: 1000, testSize: 300, hidden: [32, 32, 32], epochs: 5, batchSize: 20, snapshotEvery: 1,
  });
  let began;
  const onProgress = () => { if (began === undefined) { began = Date.now(); console.log('training'); } };
  const [train, test] = [blobs(1000, 784, 10, 1), blobs(300, 784, 10, 2)];
  await trainRun(cfg, { engine, train, test, classes: 10, runsDir: process.argv[1], chunkSamples: 100, onProgress });
  console.log('done', Date.now() - began);
})().catch((err) => { console.error(err.stack); process.exit(1); });
`;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/** Runs the trainer; with `kill`, sends it `kill.signal` `kill.afterMs` after it starts training. */
function trainer(runsDir: string, kill?: { signal: NodeJS.Signals; afterMs: number }): Promise<Outcome> {
  const child = spawn(process.execPath, ['-e', TRAINER, runsDir], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  let out = '';
  child.stderr.on('data', (b) => {
    out += b;
  });
  child.stdout.on('data', (b) => {
    out += b;
    if (kill && String(b).includes('training')) setTimeout(() => child.kill(kill.signal), kill.afterMs);
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
}

/** Every file of a run folder with its bytes, run.json aside (it holds times). */
function recordFiles(dir: string): Map<string, Buffer> {
  const files = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f !== 'run.json' && fs.statSync(path.join(dir, f)).isFile())
    .sort();
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

test(`${KILL_POINTS} runs killed at seeded points and resumed end byte-identical to an uninterrupted run`, {
  timeout: 240_000,
}, async () => {
  const referenceDir = tempDir();
  const whole = await trainer(referenceDir);
  assert.equal(whole.code, 0, whole.out);
  const [key] = fs.readdirSync(referenceDir);
  assert.ok(key);
  const reference = recordFiles(path.join(referenceDir, key));
  const referenceMeta = readRunMeta(path.join(referenceDir, key));
  assert.ok(referenceMeta);
  const trainingMs = Number(/done (\d+)/.exec(whole.out)?.[1]);
  assert.ok(trainingMs > 0, whole.out);

  const rng = new Rng(20261201);
  let interrupted = 0;
  let signals = 0;
  // Until KILL_POINTS runs were each stopped mid-run at least once (a signal can arrive after a
  // short run has finished; such an attempt does not count).
  for (let point = 0; interrupted < KILL_POINTS; point++) {
    assert.ok(point < 3 * KILL_POINTS, `only ${interrupted} of ${point} runs were stopped mid-run`);
    const runsDir = tempDir();
    const signal = (['SIGKILL', 'SIGKILL', 'SIGINT', 'SIGTERM'] as const)[point % 4]!;
    // Kill once or twice, each time at a seeded point of the time a whole run trains for.
    let stopped = false;
    for (let k = 0, kills = 1 + rng.int(2); k < kills; k++) {
      const killed = await trainer(runsDir, { signal, afterMs: Math.floor(rng.uniform() * trainingMs) });
      if (killed.signal === signal) {
        stopped = true;
        signals++;
      } else assert.equal(killed.code, 0, `point ${point}: ${killed.out}`); // finished before the signal
    }
    if (!stopped) continue;
    interrupted++;
    const resumed = await trainer(runsDir);
    assert.equal(resumed.code, 0, `point ${point}: ${resumed.out}`);
    const dir = path.join(runsDir, key);
    const files = recordFiles(dir);
    assert.deepEqual([...files.keys()], [...reference.keys()], `point ${point}: the same files`);
    for (const [name, bytes] of files) assert.ok(bytes.equals(reference.get(name)!), `point ${point}: ${name} differs`);
    const meta = readRunMeta(dir);
    assert.equal(meta?.status, 'complete');
    assert.deepEqual(meta?.snapshots, referenceMeta.snapshots);
    assert.deepEqual(
      meta?.metrics.map(({ trainSeconds: _t, ...m }) => m),
      referenceMeta.metrics.map(({ trainSeconds: _t, ...m }) => m),
    );
    assert.ok(!fs.existsSync(path.join(dir, 'lock')), `point ${point}: no lock left`);
  }
  console.log(
    `${interrupted} runs stopped mid-run by ${signals} signals and resumed (a run trains for ${trainingMs} ms)`,
  );
});
