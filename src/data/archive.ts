/**
 * Reads chosen members out of a .tar.gz (the official CIFAR-10 archive) by streaming it through
 * zlib and tar-stream: nothing but the wanted members is held in memory, and nothing touches disk,
 * so a hostile archive cannot write outside the data folder. A corrupt, truncated or foreign
 * archive is a DatasetFileError naming it.
 *
 * @example
 *   const members = await readTarGzMembers('cifar-10-binary.tar.gz', ['cifar-10-batches-bin/test_batch.bin']);
 *   members.get('cifar-10-batches-bin/test_batch.bin')?.length;   // 30730000
 */
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { DatasetFileError } from './errors';

/**
 * The regular-file members of `archive` named in `names` ('./' prefixes ignored), by name; absent
 * ones are left out.
 */
export async function readTarGzMembers(archive: string, names: readonly string[]): Promise<Map<string, Buffer>> {
  const wanted = new Set(names);
  const found = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    const chunks: Buffer[] = [];
    const keep = header.type === 'file' && wanted.has(name);
    stream.on('data', (chunk: unknown) => {
      if (keep) chunks.push(chunk as Buffer);
    });
    stream.on('end', () => {
      if (keep) found.set(name, Buffer.concat(chunks));
      next();
    });
    stream.resume();
  });
  try {
    await pipeline(fs.createReadStream(archive), zlib.createGunzip(), extract);
  } catch (err) {
    throw new DatasetFileError(archive, `not a readable tar.gz archive (${(err as Error).message})`);
  }
  return found;
}
