/**
 * The run lock under contention and in odd states: several processes taking over the same stale
 * lock at the same instant never hold it together; a lock of the wrong shape is nobody's; another
 * host's old lock is reported with the command that clears it. (Signals: test/run/stop.test.ts.)
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireRunLock, LOCK_LEASE_HOURS, runLockFile, runLockOwner, RunLockedError } from '../../src/run/lock';
import { tempDir } from '../support/tmp';

const LOCK_MODULE = path.join(__dirname, '..', '..', 'src', 'run', 'lock.js');
const PROCESSES = 6;
const TRIALS = 20;
/** Trials start this far apart; a holder keeps the lock for less than that. */
const SPACING_MS = 150;
const HOLD_MS = 80;

/**
 * One contender: at each trial's start time it tries the trial's run folder, and prints
 * 'trial from to' for each time it held the lock (its clock, in ms), then releases.
 */
const CONTENDER = `
const { acquireRunLock } = require(${JSON.stringify(LOCK_MODULE)});
const [start, spacing, hold, ...dirs] = process.argv.slice(1);
const sleep = (ms) => ms > 0 && Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
dirs.forEach((dir, trial) => {
  sleep(Number(start) + trial * Number(spacing) - Date.now());
  try {
    const lock = acquireRunLock(dir);
    const from = Date.now();
    sleep(Number(hold));
    const to = Date.now();
    lock.release();
    console.log(trial, from, to);
  } catch (err) {
    if (err.name !== 'Error' || !/is being trained by process/.test(err.message)) throw err;
  }
});
`;

function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.ok(pid);
  return pid;
}

test(`${PROCESSES} processes taking over one stale lock at once, ${TRIALS} times: never two holders`, async () => {
  const dirs = Array.from({ length: TRIALS }, (_, k) => {
    const dir = path.join(tempDir(), `run-${k}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(runLockFile(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), since: 'earlier' }));
    return dir;
  });
  const start = Date.now() + 1500; // every contender is up by then
  const outputs = await Promise.all(
    Array.from({ length: PROCESSES }, () => {
      const child = spawn(process.execPath, [
        '-e',
        CONTENDER,
        String(start),
        String(SPACING_MS),
        String(HOLD_MS),
        ...dirs,
      ]);
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => {
        out += b;
      });
      child.stderr.on('data', (b) => {
        err += b;
      });
      return new Promise<string>((resolve, reject) =>
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`contender failed: ${err}`)))),
      );
    }),
  );
  const holds = outputs.flatMap((out) =>
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').map(Number) as [number, number, number]),
  );
  for (let trial = 0; trial < TRIALS; trial++) {
    const intervals = holds.filter(([t]) => t === trial).sort((a, b) => a[1] - b[1]);
    assert.ok(intervals.length >= 1, `trial ${trial}: somebody took the stale lock over`);
    for (let k = 1; k < intervals.length; k++) {
      assert.ok(intervals[k]![1] >= intervals[k - 1]![2], `trial ${trial}: two processes held the lock at once`);
    }
    assert.ok(!fs.existsSync(runLockFile(dirs[trial]!)), `trial ${trial}: released`);
  }
});

test('a lock of the wrong shape ({}, null, empty, not JSON) is nobody’s and is taken over', () => {
  for (const content of ['{}', 'null', '', '{"pid":', '[1, 2]']) {
    const dir = tempDir();
    fs.writeFileSync(runLockFile(dir), content);
    assert.equal(runLockOwner(dir), null, JSON.stringify(content));
    const lock = acquireRunLock(dir);
    assert.equal(runLockOwner(dir)?.pid, process.pid);
    lock.release();
  }
});

test("another host's lock past the lease is refused with the command that clears it", () => {
  const dir = tempDir();
  const since = new Date(Date.now() - (LOCK_LEASE_HOURS + 1) * 3_600_000).toISOString();
  fs.writeFileSync(runLockFile(dir), JSON.stringify({ pid: 7, host: 'elsewhere', since }));
  assert.throws(
    () => acquireRunLock(dir),
    (err: Error) =>
      err instanceof RunLockedError &&
      err.message.includes(`more than ${LOCK_LEASE_HOURS} hours ago`) &&
      err.message.includes(`\`rm ${runLockFile(dir)}\``),
  );
});
