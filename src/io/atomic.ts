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

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
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
