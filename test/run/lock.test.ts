import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { seedRunConfig } from '../../src/experiments/plan';
import { trainProfileRuns } from '../../src/experiments/train-runs';
import { resolveRunConfig, runKey } from '../../src/run/config';
import {
  acquireRunLock,
  clearRunLockOf,
  clearStaleRunLock,
  runLockFile,
  runLockOwner,
  RunLockedError,
} from '../../src/run/lock';
import { sampleIdentity } from '../../src/run/run-data';
import { trainRun } from '../../src/run/train';
import { blobs } from '../support/synthetic';
import { SYNTHETIC_PROFILE, syntheticRunData } from '../support/synthetic-runs';
import { tempDir } from '../support/tmp';

const otherHost = (dir: string) =>
  fs.writeFileSync(
    runLockFile(dir),
    JSON.stringify({ pid: 1, host: 'another-machine', since: '2026-01-01T00:00:00Z' }),
  );

test('a held lock refuses a second holder and names the owner; release frees it', () => {
  const dir = path.join(tempDir(), 'run');
  const lock = acquireRunLock(dir);
  assert.throws(
    () => acquireRunLock(dir),
    (err: unknown) =>
      err instanceof RunLockedError && err.owner.pid === process.pid && /delete .*lock/.test(err.message),
  );
  lock.release();
  assert.equal(runLockOwner(dir), null);
  acquireRunLock(dir).release();
});

test("a dead process's lock on this host is stale and taken over; another host's is trusted", () => {
  const dir = path.join(tempDir(), 'run');
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(runLockFile(dir), JSON.stringify({ pid: dead, host: os.hostname(), since: 'then' }));
  assert.equal(runLockOwner(dir), null);
  acquireRunLock(dir).release();
  otherHost(dir);
  assert.throws(() => acquireRunLock(dir), RunLockedError);
});

test('trainRun refuses a run another worker holds and writes nothing into it', async () => {
  const runsDir = tempDir();
  const cfg = resolveRunConfig({
    dataset: 'mnist',
    trainSize: 60,
    testSize: 20,
    hidden: [6],
    batchSize: 20,
    epochs: 1,
  });
  const dir = path.join(runsDir, runKey(cfg));
  fs.mkdirSync(dir, { recursive: true });
  otherHost(dir);
  const engine = await loadEngine('auto');
  await assert.rejects(
    trainRun(cfg, { engine, train: blobs(60, 5, 3, 1), test: blobs(20, 5, 3, 2), classes: 3, runsDir }),
    RunLockedError,
  );
  assert.deepEqual(fs.readdirSync(dir), ['lock']);
});

test('a sweep skips a run another worker holds, trains the rest, then picks the run up once it is free', async () => {
  const profile = SYNTHETIC_PROFILE;
  const runsDir = tempDir();
  const data = syntheticRunData();
  const held = path.join(
    runsDir,
    runKey(resolveRunConfig({ ...seedRunConfig(profile, 'mnist', 2), data: sampleIdentity(data) })),
  );
  fs.mkdirSync(held, { recursive: true });
  otherHost(held);
  const ended: string[] = [];
  const busy: string[] = [];
  const runs = await trainProfileRuns(profile, 'mnist', {
    engine: await loadEngine('auto'),
    runsDir,
    data,
    pollMs: 20,
    onRunBusy: (label) => {
      busy.push(label);
      // The other worker gives up its claim while this one waits.
      setTimeout(() => fs.rmSync(runLockFile(held)), 50);
    },
    onRunEnd: (label) => ended.push(label),
  });
  assert.deepEqual(busy, ['mnist seed 2']);
  assert.equal(ended.at(-1), 'mnist seed 2', 'the held run is trained last');
  assert.equal(ended.length, 3 + 2 + 7 * profile.constructionRuns, 'seeds, their own-order variants, constructions');
  assert.equal(runs.seedRuns[1]?.meta.status, 'complete');
  assert.equal(runs.seedRuns[1]?.meta.config.seed, 2);
  assert.deepEqual(
    runs.ownOrderSeedRuns?.map((r) => [r.meta.config.seed, r.meta.config.orderSeed]),
    [
      [1, 1],
      [2, 2],
      [3, 3],
    ],
  );
});

test("a finished run's stale lock (its process killed before releasing it) is cleared; a live one stays", () => {
  const dir = tempDir();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  fs.writeFileSync(runLockFile(dir), JSON.stringify({ pid: dead, host: os.hostname(), since: 'earlier' }));
  clearStaleRunLock(dir);
  assert.ok(!fs.existsSync(runLockFile(dir)), 'the stale lock is gone');
  const live = JSON.stringify({ pid: process.pid, host: os.hostname(), since: 'now' });
  fs.writeFileSync(runLockFile(dir), live);
  clearStaleRunLock(dir);
  assert.equal(fs.readFileSync(runLockFile(dir), 'utf8'), live, 'a live process keeps its lock');
});

test("clearRunLockOf removes a lock only when it names the holder given (a queue's lost job)", () => {
  const dir = tempDir('si-lock-of-');
  const lock = acquireRunLock(dir);
  try {
    const other = { host: `${os.hostname()}-elsewhere`, pid: process.pid };
    assert.equal(clearRunLockOf(dir, other), false, 'another host, same pid: kept');
    assert.equal(clearRunLockOf(dir, { host: os.hostname(), pid: process.pid + 1 }), false, 'another pid: kept');
    assert.ok(fs.existsSync(runLockFile(dir)));
    assert.equal(clearRunLockOf(dir, { host: os.hostname(), pid: process.pid }), true);
    assert.equal(fs.existsSync(runLockFile(dir)), false);
    assert.equal(clearRunLockOf(dir, { host: os.hostname(), pid: process.pid }), false, 'no lock: nothing to remove');
  } finally {
    lock.release();
  }
});
