import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'zlib';
import { gunzipNamed, readTar } from '../../src/data';
import { tarBytes } from './fixtures';

test('reads files and directories from a tar.gz', () => {
  const big = Buffer.alloc(1500, 7); // spans several 512-byte blocks
  const archive = zlib.gzipSync(
    tarBytes([
      { name: 'folder/', type: '5' },
      { name: 'folder/a.bin', data: Buffer.from('hello') },
      { name: 'folder/b.bin', data: big },
      { name: 'folder/empty' },
    ]),
  );
  const entries = readTar(gunzipNamed(archive, 'x.tar.gz'), 'x.tar.gz');
  assert.deepEqual(entries.map((e) => [e.name, e.type, e.data.length]), [
    ['folder/', 'directory', 0],
    ['folder/a.bin', 'file', 5],
    ['folder/b.bin', 'file', 1500],
    ['folder/empty', 'file', 0],
  ]);
  assert.equal(Buffer.from(entries[1].data).toString(), 'hello');
  assert.ok(Buffer.from(entries[2].data).equals(big));
});

test('honours GNU long names', () => {
  const longName = `${'d'.repeat(90)}/${'f'.repeat(40)}.bin`;
  const entries = readTar(
    tarBytes([
      { name: '././@LongLink', type: 'L', data: Buffer.from(`${longName}\0`) },
      { name: longName.slice(0, 100), data: Buffer.from('x') },
    ]),
    'long.tar',
  );
  assert.deepEqual(entries.map((e) => e.name), [longName]);
});

test('a corrupt header is refused', () => {
  const tar = tarBytes([{ name: 'a', data: Buffer.from('abc') }]);
  tar[0] = 'b'.charCodeAt(0);
  assert.throws(() => readTar(tar, 'bad.tar'), /bad\.tar: corrupt tar header at byte 0 \(checksum mismatch\)/);
});

test('a truncated archive is refused', () => {
  const tar = tarBytes([{ name: 'a', data: Buffer.alloc(2000) }]);
  assert.throws(() => readTar(tar.subarray(0, 1024), 'cut.tar'), /cut\.tar: truncated tar archive: entry at byte 0 needs 2000 bytes/);
  assert.throws(() => readTar(tar.subarray(0, 512 * 5), 'noend.tar'), /noend\.tar: truncated tar archive: no end-of-archive marker/);
});
