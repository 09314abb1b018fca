/**
 * Reads chosen members out of a .tar.gz (the official CIFAR-10 archive): gunzipped in one piece,
 * then read by tar-stream, keeping only the wanted members; nothing touches disk, so a hostile
 * archive cannot write outside the data folder. A corrupt, truncated or foreign archive is a
 * DatasetFileError naming it. Not streamed through zlib: a damaged gzip stream fed to
 * zlib.createGunzip raised its error a second time, outside any listener, as an uncaught exception
 * (the archive fuzz test found it); the one-piece gunzip throws once, where it is caught.
 *
 * @example
 *   const members = await readTarGzMembers('cifar-10-binary.tar.gz', ['cifar-10-batches-bin/test_batch.bin']);
 *   members.get('cifar-10-batches-bin/test_batch.bin')?.length;   // 30730000
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { DatasetFileError } from './errors';
import { gunzipNamed, readFileNamed } from './read';

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
    await pipeline(Readable.from([gunzipNamed(readFileNamed(archive), archive)]), extract);
  } catch (err) {
    if (err instanceof DatasetFileError) throw err;
    throw new DatasetFileError(archive, `not a readable tar.gz archive (${(err as Error).message})`);
  }
  return found;
}
