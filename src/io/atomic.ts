/**
 * Atomic file writes: write a sibling temporary file, fsync it, rename over the target.
 * A reader (or a resumed run) sees the old file or the new one, never half of one.
 *
 * @example
 *   writeFileAtomic('runs/x/run.json', JSON.stringify(meta));
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, target);
}
