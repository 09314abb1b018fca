/**
 * A run's lock: the file `<run>/lock` names the process training it, so that several workers
 * (processes, or machines sharing a runs folder) can sweep one profile together without two of
 * them writing the same run.
 *
 * A lock appears whole (written to a temporary file, then hard-linked into place, which fails if
 * a lock exists), so nobody reads a half-written one. A lock whose process is gone on this host is
 * stale and is taken over by one process only: takeovers are serialised by a second exclusive file,
 * `lock.takeover`, and the stale lock is replaced only if it is still the one found stale. A lock
 * from another host is trusted; past LOCK_LEASE_HOURS its refusal names the command that clears it.
 * A lock is removed on release; trainRun releases it when a signal stops the run (./stop.ts).
 *
 * @example
 *   const lock = acquireRunLock('runs/mnist-4e6abb0dbb77');   // throws RunLockedError if held
 *   try { ... } finally { lock.release(); }
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDir } from '../io/atomic';
import { RECORD_FILES } from './record';

export interface RunLockOwner {
  pid: number;
  host: string;
  since: string;
}

/** After this long, another host's lock is reported with the command that clears it (it may be abandoned). */
export const LOCK_LEASE_HOURS = 24;

export class RunLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: RunLockOwner,
  ) {
    const held =
      `run ${path.basename(dir)} is being trained by process ${owner.pid} on ${owner.host} ` + `since ${owner.since}`;
    const hours = (Date.now() - Date.parse(owner.since)) / 3_600_000;
    const local = owner.host === os.hostname();
    super(
      local || !(hours > LOCK_LEASE_HOURS)
        ? `${held}; if that process is gone, delete ${runLockFile(dir)}`
        : `${held}, more than ${LOCK_LEASE_HOURS} hours ago; if that machine no longer trains it, ` +
            `clear the lock with \`rm ${runLockFile(dir)}\``,
    );
  }
}

export interface RunLock {
  release(): void;
}

export function runLockFile(dir: string): string {
  return path.join(dir, RECORD_FILES.lock);
}

/** A lock's content as an owner, or null when it is not one (empty, half-written by an old version, not JSON). */
function parseOwner(text: string): RunLockOwner | null {
  try {
    const owner = JSON.parse(text) as Partial<RunLockOwner> | null;
    if (owner && Number.isInteger(owner.pid) && typeof owner.host === 'string' && typeof owner.since === 'string') {
      return owner as RunLockOwner;
    }
  } catch {
    // not JSON: nobody can be said to hold it
  }
  return null;
}

function readLock(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** True when the lock's content names a live process, or one on another host (which cannot be checked). */
function held(owner: RunLockOwner | null): owner is RunLockOwner {
  return owner !== null && (owner.host !== os.hostname() || processAlive(owner.pid));
}

/** The lock's owner, or null when the run is free (no lock, or a stale or unreadable one). */
export function runLockOwner(dir: string): RunLockOwner | null {
  const text = readLock(runLockFile(dir));
  const owner = text === null ? null : parseOwner(text);
  return held(owner) ? owner : null;
}

/**
 * Removes a stale lock from a run (one whose process is gone: killed after the run finished but
 * before it released its lock), by taking it over and releasing it; a live holder's lock stays.
 */
export function clearStaleRunLock(dir: string): void {
  if (!fs.existsSync(runLockFile(dir)) || runLockOwner(dir) !== null) return;
  try {
    acquireRunLock(dir).release();
  } catch (err) {
    if (!(err instanceof RunLockedError)) throw err; // taken meanwhile by a live process: its lock
  }
}

/**
 * Removes the run's lock if it names `holder` (host and pid), whoever that is: for a caller that
 * knows the holder lost the run (a job queue that gave its job to another worker). Returns whether
 * a lock was removed.
 */
export function clearRunLockOf(dir: string, holder: { host: string; pid: number }): boolean {
  const text = readLock(runLockFile(dir));
  const owner = text === null ? null : parseOwner(text);
  if (!owner || owner.host !== holder.host || owner.pid !== holder.pid) return false;
  // Only that lock: if another process took the run meanwhile, its lock stays.
  if (readLock(runLockFile(dir)) !== text) return false;
  fs.rmSync(runLockFile(dir), { force: true });
  return true;
}

/** Creates `file` with `content` only if it does not exist, all at once (link fails on an existing name). */
function createWhole(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, content, { flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** A takeover whose process died part-way is given up after this long. */
const TAKEOVER_TIMEOUT_MS = 10_000;

/**
 * Replaces the stale lock `found` (its exact content) with `content`, unless it changed meanwhile;
 * one process at a time, under `lock.takeover`. Returns whether this process now holds the lock.
 */
function takeOver(file: string, found: string, content: string): boolean {
  const mutex = `${file}.takeover`;
  if (!createWhole(mutex, content)) {
    const age = Date.now() - (fs.statSync(mutex, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > TAKEOVER_TIMEOUT_MS) fs.rmSync(mutex, { force: true });
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    return false;
  }
  try {
    if (readLock(file) !== found) return false;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
    return true;
  } finally {
    fs.rmSync(mutex, { force: true });
  }
}

export function acquireRunLock(dir: string): RunLock {
  makeDir(dir);
  const file = runLockFile(dir);
  const me: RunLockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  const content = JSON.stringify(me);
  for (;;) {
    if (createWhole(file, content)) return holdLock(file, content);
    const found = readLock(file);
    if (found === null) continue; // released meanwhile
    const owner = parseOwner(found);
    if (held(owner)) throw new RunLockedError(dir, owner);
    if (takeOver(file, found, content)) return holdLock(file, content);
  }
}

function holdLock(file: string, content: string): RunLock {
  return {
    // Only our own lock: never one another process took over meanwhile.
    release: () => {
      if (readLock(file) === content) fs.rmSync(file, { force: true });
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
