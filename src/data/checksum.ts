/**
 * Digests of files and buffers, streamed so that a 170 MB archive is never held twice.
 *
 * @example
 *   const { md5, sha256 } = await fileDigests('/work/shared/data/mnist/t10k-labels-idx1-ubyte.gz');
 *   console.log(md5); // ec29112dd5afa0611ce80d1b7f02629c
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { requireRegularFile } from './read';

/** What a file should hash to; either digest may be absent when it was never published. */
export interface Checksums {
  readonly md5?: string;
  readonly sha256?: string;
}

export interface Digests {
  readonly md5: string;
  readonly sha256: string;
}

export function bufferDigests(bytes: Uint8Array): Digests {
  return {
    md5: crypto.createHash('md5').update(bytes).digest('hex'),
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}

export async function fileDigests(file: string): Promise<Digests> {
  requireRegularFile(file);
  const md5 = crypto.createHash('md5');
  const sha256 = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) {
    md5.update(chunk as Buffer);
    sha256.update(chunk as Buffer);
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}

/**
 * Why `actual` does not match `expected`, naming both values, or undefined when every digest
 * that `expected` gives agrees. `expected` must give at least one.
 */
export function checksumMismatch(expected: Checksums, actual: Digests): string | undefined {
  if (!expected.md5 && !expected.sha256) throw new Error('a checksum needs an md5 or a sha256');
  if (expected.sha256 && expected.sha256.toLowerCase() !== actual.sha256) {
    return `checksum mismatch: sha256 expected ${expected.sha256}, got ${actual.sha256}`;
  }
  if (expected.md5 && expected.md5.toLowerCase() !== actual.md5) {
    return `checksum mismatch: md5 expected ${expected.md5}, got ${actual.md5}`;
  }
  return undefined;
}
