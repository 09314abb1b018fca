/**
 * Reading a dataset file's bytes, with errors that name the file. Compression is decided by the
 * first two bytes (the gzip magic 1f 8b), not by the name: Debian, mirrors and users rename
 * files freely, and some keep them decompressed.
 *
 * @example
 *   const bytes = readMaybeGzipped('/work/shared/data/mnist/t10k-labels-idx1-ubyte.gz');
 *   console.log(bytes.length); // 10008
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { DatasetFileError } from './errors';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip data, turning zlib's terse errors into one that names the file. */
export function gunzipNamed(bytes: Uint8Array, file: string): Buffer {
  try {
    return zlib.gunzipSync(bytes);
  } catch (err) {
    throw new DatasetFileError(file, `corrupt or truncated gzip data (${(err as Error).message})`);
  }
}

/**
 * Refuses anything but a regular file before it is read: reading a FIFO in place of a data file
 * blocks forever, a folder or a device is not data either.
 */
export function requireRegularFile(file: string): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) throw new DatasetFileError(file, 'file not found');
  if (!stat.isFile()) {
    const kind = stat.isDirectory()
      ? 'a folder'
      : stat.isFIFO()
        ? 'a named pipe'
        : stat.isSocket()
          ? 'a socket'
          : 'a device';
    throw new DatasetFileError(file, `is ${kind}, not a regular file`);
  }
}

/** The file's bytes as stored; a missing, unreadable or irregular file gives an error naming it. */
export function readFileNamed(file: string): Buffer {
  requireRegularFile(file);
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetFileError(file, code === 'ENOENT' ? 'file not found' : `cannot read (${(err as Error).message})`);
  }
}

/** The file's content, decompressed if it is gzip. */
export function readMaybeGzipped(file: string): Buffer {
  const bytes = readFileNamed(file);
  return isGzip(bytes) ? gunzipNamed(bytes, file) : bytes;
}
