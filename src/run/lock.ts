/**
 * A run's lock: the file `<run>/lock` names the process training it, so that several workers
 * (processes, or machines sharing a runs folder) can sweep one profile together without two of
 * them writing the same run. A lock whose process is gone on this host is stale and taken over;
 * a lock from another host is trusted until its owner removes it.
 *
 * @example
 *   const lock = acquireRunLock('runs/mnist-4e6abb0dbb77');   // throws RunLockedError if held
 *   try { ... } finally { lock.release(); }
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RECORD_FILES } from './record';

export interface RunLockOwner {
  pid: number;
  host: string;
  since: string;
}

export class RunLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: RunLockOwner,
  ) {
    super(
      `run ${path.basename(dir)} is being trained by process ${owner.pid} on ${owner.host} since ${owner.since}; ` +
        `if that process is gone, delete ${runLockFile(dir)}`,
    );
  }
}

export interface RunLock {
  release(): void;
}

export function runLockFile(dir: string): string {
  return path.join(dir, RECORD_FILES.lock);
}

/** The lock's owner, or null when the run is free (no lock, or a stale one from a dead process here). */
export function runLockOwner(dir: string): RunLockOwner | null {
  let owner: RunLockOwner;
  try {
    owner = JSON.parse(fs.readFileSync(runLockFile(dir), 'utf8')) as RunLockOwner;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Half-written by a process that died between create and write: nobody holds it.
    if (err instanceof SyntaxError) return null;
    throw err;
  }
  return owner.host === os.hostname() && !processAlive(owner.pid) ? null : owner;
}

export function acquireRunLock(dir: string): RunLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = runLockFile(dir);
  const me: RunLockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = runLockOwner(dir);
    if (owner) throw new RunLockedError(dir, owner);
    fs.rmSync(file, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
