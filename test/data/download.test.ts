import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DatasetFileError,
  downloadDataset,
  downloadVerified,
  loadDataset,
  type DownloadProgress,
} from '../../src/data';
import { digests, serve, tempDir, tinyCifarDataset, tinyIdxDataset } from './fixtures';

const FAST = { attempts: 3, backoffMs: 1 };
const payload = Buffer.from('the official bytes '.repeat(1000));

/** The folder's entries: a failed download leaves neither the file nor a temporary file. */
const entries = (dir: string): string[] => fs.readdirSync(dir).sort();

test('a good file lands, with progress reported', async (t) => {
  const dir = tempDir(t);
  const base = await serve(t, (_, res) => res.end(payload));
  const dest = path.join(dir, 'file.gz');
  const progress: DownloadProgress[] = [];
  await downloadVerified([`${base}file.gz`], dest, digests(payload), { ...FAST, onProgress: (p) => progress.push(p) });
  assert.ok(fs.readFileSync(dest).equals(payload));
  assert.deepEqual(entries(dir), ['file.gz']);
  const last = progress[progress.length - 1];
  assert.ok(last, 'no progress reported');
  assert.equal(last.file, 'file.gz');
  assert.equal(last.received, payload.length);
  assert.equal(last.total, payload.length);
});

test('a wrong checksum names the file and both checksums, and leaves nothing behind', async (t) => {
  const dir = tempDir(t);
  let requests = 0;
  const base = await serve(t, (_, res) => {
    requests++;
    res.end(Buffer.from('something else'));
  });
  const dest = path.join(dir, 'train-images-idx3-ubyte.gz');
  const expected = digests(payload);
  await assert.rejects(downloadVerified([`${base}x`], dest, { sha256: expected.sha256 }, FAST), (err: unknown) => {
    assert.ok(err instanceof DatasetFileError);
    assert.ok(err.message.includes(dest));
    assert.ok(err.message.includes(expected.sha256), 'names the expected checksum');
    assert.ok(err.message.includes(digests(Buffer.from('something else')).sha256), 'names the actual checksum');
    return true;
  });
  assert.deepEqual(entries(dir), []);
  assert.equal(requests, 1, 'a mirror serving the wrong bytes is not asked again');
});

test('an md5-only checksum is checked too', async (t) => {
  const dir = tempDir(t);
  const base = await serve(t, (_, res) => res.end(payload));
  await assert.rejects(
    downloadVerified([base], path.join(dir, 'f'), { md5: '0'.repeat(32) }, FAST),
    /md5 expected 0{32}, got [0-9a-f]{32}/,
  );
  assert.deepEqual(entries(dir), []);
});

test('a server error is retried, then the file lands', async (t) => {
  const dir = tempDir(t);
  let requests = 0;
  const base = await serve(t, (_, res) => {
    requests++;
    if (requests === 1) {
      res.statusCode = 503;
      res.end('busy');
    } else {
      res.end(payload);
    }
  });
  const dest = path.join(dir, 'f');
  await downloadVerified([base], dest, digests(payload), FAST);
  assert.equal(requests, 2);
  assert.ok(fs.readFileSync(dest).equals(payload));
  assert.deepEqual(entries(dir), ['f']);
});

test('a server that keeps failing gives up after the attempts', async (t) => {
  const dir = tempDir(t);
  let requests = 0;
  const base = await serve(t, (_, res) => {
    requests++;
    res.statusCode = 500;
    res.end();
  });
  await assert.rejects(downloadVerified([base], path.join(dir, 'f'), digests(payload), FAST), /HTTP 500 from/);
  assert.equal(requests, 3);
  assert.deepEqual(entries(dir), []);
});

test('a truncated response is an error', async (t) => {
  const dir = tempDir(t);
  const base = await serve(t, (_, res) => {
    res.writeHead(200, { 'content-length': payload.length });
    res.write(payload.subarray(0, 1000));
    setTimeout(() => res.destroy(), 20);
  });
  const dest = path.join(dir, 'f');
  await assert.rejects(downloadVerified([base], dest, digests(payload), FAST), (err: unknown) => {
    assert.ok(err instanceof DatasetFileError);
    assert.ok(err.message.startsWith(dest));
    assert.match(err.message, /broke off after 1000 bytes|truncated download/);
    return true;
  });
  assert.deepEqual(entries(dir), []);
});

test('redirects are followed, and a 404 moves on to the next mirror', async (t) => {
  const dir = tempDir(t);
  const base = await serve(t, (req, res) => {
    if (req.url === '/old/f') res.writeHead(302, { location: '/new/f' }).end();
    else if (req.url === '/new/f') res.end(payload);
    else res.writeHead(404).end();
  });
  const dest = path.join(dir, 'f');
  await downloadVerified([`${base}missing/f`, `${base}old/f`], dest, digests(payload), FAST);
  assert.ok(fs.readFileSync(dest).equals(payload));
});

test('downloadDataset fetches each file from a mirror, and skips verified files', async (t) => {
  const dir = tempDir(t);
  const { spec, files } = tinyIdxDataset();
  const requested: string[] = [];
  const base = await serve(t, (req, res) => {
    const name = (req.url ?? '').replace(/^\/mirror\//, '');
    requested.push(name);
    if (files[name]) res.end(files[name]);
    else res.writeHead(404).end();
  });
  const first = await downloadDataset(spec, { ...FAST, dataDir: dir, mirrors: [`${base}mirror`] });
  assert.deepEqual(
    first.map((r) => r.action),
    ['downloaded', 'downloaded', 'downloaded', 'downloaded'],
  );
  assert.equal(requested.length, 4);
  assert.deepEqual(Array.from(loadDataset(spec, { dataDir: dir }).test.y), [2, 1, 0, 0]);
  fs.writeFileSync(path.join(dir, spec.folder, 't10k-labels-idx1-ubyte.gz'), 'damaged');
  const second = await downloadDataset(spec, { ...FAST, dataDir: dir, mirrors: [`${base}mirror/`] });
  assert.deepEqual(
    second.map((r) => r.action),
    ['present', 'present', 'present', 'downloaded'],
  );
  assert.deepEqual(requested.slice(4), ['t10k-labels-idx1-ubyte.gz']);
  // A truncated .gz (its gzip stream cut short) is fetched again too, not a reason to stop.
  const gz = files['train-images-idx3-ubyte.gz']!;
  fs.writeFileSync(path.join(dir, spec.folder, 'train-images-idx3-ubyte.gz'), gz.subarray(0, gz.length >> 1));
  const third = await downloadDataset(spec, { ...FAST, dataDir: dir, mirrors: [`${base}mirror/`] });
  assert.deepEqual(
    third.map((r) => r.action),
    ['present', 'present', 'present', 'downloaded'],
  );
  assert.deepEqual(requested.slice(5), ['train-images-idx3-ubyte.gz']);
  assert.equal(loadDataset(spec, { dataDir: dir }).train.n, 5);
});

test('downloadDataset extracts an archive (tar.gz) and removes it', async (t) => {
  const dir = tempDir(t);
  const { spec, files, archive } = tinyCifarDataset();
  const requested: string[] = [];
  const base = await serve(t, (req, res) => {
    requested.push(req.url ?? '');
    res.end(archive);
  });
  const result = await downloadDataset(spec, { ...FAST, dataDir: dir, mirrors: [base] });
  assert.deepEqual(requested, ['/tiny-cifar-binary.tar.gz']);
  assert.deepEqual(
    result.map((r) => [path.basename(r.path), r.action]),
    [
      ['data_batch_1.bin', 'extracted'],
      ['data_batch_2.bin', 'extracted'],
      ['test_batch.bin', 'extracted'],
    ],
  );
  assert.deepEqual(entries(dir), [spec.folder]);
  assert.deepEqual(entries(path.join(dir, spec.folder)), Object.keys(files).sort());
  assert.deepEqual(Array.from(loadDataset(spec, { dataDir: dir }).train.y), [6, 9, 9, 4, 1, 2]);
});

test('an archive member with the wrong checksum is refused', async (t) => {
  const dir = tempDir(t);
  const { spec: base, archive } = tinyCifarDataset();
  const spec = {
    ...base,
    files: base.files.map((f, i) => (i === 1 ? { ...f, published: { ...f.published, sha256: 'f'.repeat(64) } } : f)),
  };
  const url = await serve(t, (_, res) => res.end(archive));
  await assert.rejects(
    downloadDataset(spec, { ...FAST, dataDir: dir, mirrors: [url] }),
    /tiny-cifar-bin\/data_batch_2\.bin: checksum mismatch: sha256 expected f{64}, got/,
  );
  assert.ok(!fs.existsSync(path.join(dir, spec.folder, 'data_batch_2.bin')));
});

test('an archive already in the data directory is extracted without a download', async (t) => {
  const dir = tempDir(t);
  const { spec, archive } = tinyCifarDataset();
  if (spec.source.kind !== 'archive') throw new Error('tiny CIFAR is published as an archive');
  fs.writeFileSync(path.join(dir, spec.source.fileName), archive);
  const result = await downloadDataset(spec, { ...FAST, dataDir: dir, mirrors: ['http://127.0.0.1:1/unreachable'] });
  assert.deepEqual(
    result.map((r) => r.action),
    ['extracted', 'extracted', 'extracted'],
  );
  assert.deepEqual(entries(dir), [spec.folder]);
});
