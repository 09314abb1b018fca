import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DatasetFileError, readTarGzMembers } from '../../src/data';
import { tempDir } from '../support/tmp';
import { tarBytes } from './fixtures';

function archiveFile(bytes: Uint8Array): string {
  const file = path.join(tempDir(), 'x.tar.gz');
  fs.writeFileSync(file, bytes);
  return file;
}

test('reads the wanted files of a tar.gz, spanning blocks, and leaves the others', async () => {
  const big = Buffer.alloc(1500, 7); // spans several 512-byte blocks
  const file = archiveFile(
    zlib.gzipSync(
      tarBytes([
        { name: 'folder/', type: '5' },
        { name: 'folder/a.bin', data: Buffer.from('hello') },
        { name: 'folder/b.bin', data: big },
        { name: 'folder/empty' },
        { name: './folder/c.bin', data: Buffer.from('dotted') },
      ]),
    ),
  );
  const members = await readTarGzMembers(file, [
    'folder/a.bin',
    'folder/b.bin',
    'folder/empty',
    'folder/c.bin',
    'folder/absent',
    'folder/',
  ]);
  assert.deepEqual(
    [...members.keys()],
    ['folder/a.bin', 'folder/b.bin', 'folder/empty', 'folder/c.bin'],
    'files only, ./ dropped',
  );
  assert.equal(members.get('folder/a.bin')?.toString(), 'hello');
  assert.ok(members.get('folder/b.bin')?.equals(big));
  assert.equal(members.get('folder/empty')?.length, 0);
});

test('honours GNU long names', async () => {
  const longName = `${'d'.repeat(90)}/${'f'.repeat(40)}.bin`;
  const file = archiveFile(
    zlib.gzipSync(
      tarBytes([
        { name: '././@LongLink', type: 'L', data: Buffer.from(`${longName}\0`) },
        { name: longName.slice(0, 100), data: Buffer.from('x') },
      ]),
    ),
  );
  assert.deepEqual([...(await readTarGzMembers(file, [longName])).keys()], [longName]);
});

test('a corrupt header, a truncated archive or bad gzip is refused, naming the archive', async () => {
  const tar = tarBytes([{ name: 'a', data: Buffer.alloc(2000) }]);
  const corrupt = Buffer.from(tar);
  corrupt[0] = 'b'.charCodeAt(0);
  for (const bytes of [zlib.gzipSync(corrupt), zlib.gzipSync(tar).subarray(0, 40), Buffer.from('not gzip at all')]) {
    const file = archiveFile(bytes);
    await assert.rejects(
      readTarGzMembers(file, ['a']),
      (err: Error) =>
        err instanceof DatasetFileError &&
        new RegExp(`^${file}: (not a readable tar\\.gz archive|corrupt or truncated gzip data) \\(`).test(err.message),
    );
  }
});
