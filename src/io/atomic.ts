/**
 * Writes that never leave a half-written file under a good file's name. A whole file goes to a
 * sibling temporary file, every byte of it (a write to a filling disk may take only part of the
 * bytes, and the rest then fails), is fsynced, and only then renamed over the target; on any
 * failure the temporary file is removed and the target keeps its previous content. Errors name the
 * file and, for a full disk, say so in words.
 *
 * @example
 *   writeFileAtomic('runs/x/run.json', JSON.stringify(meta));
 *   writeAllSync(fd, bytes, 0, 'runs/x/nll.npy');   // in place, at an offset (per-epoch rows)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a write failed, in words, naming the file: a full disk or a read-only folder is not a bug. */
export function describeWriteError(err: unknown, file: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const where = path.dirname(path.resolve(file));
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new Error(`no space left on the device holding ${where} while writing ${file}; free space and run again`);
  }
  if (code === 'EROFS') return new Error(`cannot write ${file}: ${where} is on a read-only file system`);
  if (code === 'EACCES' || code === 'EPERM') return new Error(`cannot write ${file}: permission denied in ${where}`);
  if (err instanceof Error && err.message.includes(file)) return err;
  return new Error(`cannot write ${file}: ${(err as Error).message}`);
}

/** Writes all of `bytes` at `position` (or the file's current offset when null), however many calls it takes. */
export function writeAllSync(fd: number, bytes: Uint8Array, position: number | null, file: string): void {
  let done = 0;
  while (done < bytes.length) {
    const written = fs.writeSync(fd, bytes, done, bytes.length - done, position === null ? null : position + done);
    // A write that takes no bytes at all means the device is full; looping would never end.
    if (written === 0) throw Object.assign(new Error(`no bytes written to ${file}`), { code: 'ENOSPC' });
    done += written;
  }
}

/** The path's status, or undefined when it does not exist (or a file stands where a folder would). */
function statOrMissing(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Creates `dir` and its missing parents, one level at a time. Not fs.mkdirSync's recursive mode,
 * which never returns under /proc; an ancestor that is a file, a folder that cannot hold new
 * entries (a read-only mount, /proc) or a missing permission is an error naming the folder.
 */
export function makeDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const stat = statOrMissing(at);
    if (stat) {
      if (!stat.isDirectory()) throw new Error(`cannot create ${dir}: ${at} is not a folder`);
      break;
    }
    missing.unshift(at);
    at = path.dirname(at);
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && fs.statSync(level).isDirectory()) continue;
      // Its parent exists: what Linux answers for a folder that takes no new entries (/proc/…).
      if (code === 'ENOENT')
        throw new Error(`cannot create ${level}: ${path.dirname(level)} does not accept new folders`);
      throw describeWriteError(err, level);
    }
  }
}

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  makeDir(path.dirname(target));
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      writeAllSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, null, tmp);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw describeWriteError(err, target);
  }
}
