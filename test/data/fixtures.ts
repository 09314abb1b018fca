/**
 * Small generated dataset files for the data tests: IDX and CIFAR-10 byte layouts, tar archives,
 * synthetic dataset specs, temp folders and a local HTTP server, so that every check runs offline.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { TestContext } from 'node:test';
import type { DatasetFile, DatasetSpec, OfficialPart } from '../../src/data';

/** A fresh folder under os.tmpdir(), removed when the test ends. */
export function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'si-data-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function idxBytes(dims: readonly number[], data: Uint8Array, type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => {
    header.writeUInt32BE(d, 4 + 4 * i);
  });
  return Buffer.concat([header, data]);
}

/** n images of rows×cols whose pixel j of image i is (i * 7 + j) mod 256. */
export function idxImageBytes(n: number, rows: number, cols: number): Buffer {
  const data = new Uint8Array(n * rows * cols).map(
    (_, k) => (Math.floor(k / (rows * cols)) * 7 + (k % (rows * cols))) % 256,
  );
  return idxBytes([n, rows, cols], data);
}

export function idxLabelBytes(labels: readonly number[]): Buffer {
  return idxBytes([labels.length], Uint8Array.from(labels));
}

/** CIFAR-10 records: label byte, then 3,072 pixel bytes, pixel j of record i being (i + j) mod 256. */
export function cifarBytes(labels: readonly number[]): Buffer {
  const out = Buffer.alloc(labels.length * 3073);
  labels.forEach((label, i) => {
    out[i * 3073] = label;
    for (let j = 0; j < 3072; j++) out[i * 3073 + 1 + j] = (i + j) % 256;
  });
  return out;
}

export interface TarInput {
  readonly name: string;
  readonly data?: Uint8Array;
  readonly type?: '0' | '5' | 'L';
}

/** A ustar archive of the entries, with the two zero blocks that end it. */
export function tarBytes(entries: readonly TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? new Uint8Array(0));
    const header = Buffer.alloc(512);
    header.write(e.name.slice(0, 100), 0, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write(e.type ?? '0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function digests(bytes: Uint8Array): { md5: string; sha256: string } {
  return {
    md5: crypto.createHash('md5').update(bytes).digest('hex'),
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}

/** A registry entry for generated files, with their real checksums. */
export function fileEntry(
  name: string,
  part: OfficialPart,
  role: DatasetFile['role'],
  bytes: Buffer,
  content?: Buffer,
): DatasetFile {
  return {
    name,
    part,
    role,
    published: { bytes: bytes.length, ...digests(bytes) },
    content: content && digests(content),
  };
}

/**
 * A tiny IDX dataset ('tiny-idx': 2×3 images, 3 classes, 8 train / 4 test, paper split 5 / 4),
 * its files gzipped as published, plus the spec describing them.
 */
export function tinyIdxDataset(): { spec: DatasetSpec; files: Record<string, Buffer> } {
  const trainLabels = [0, 1, 2, 0, 1, 2, 2, 1];
  const testLabels = [2, 1, 0, 0];
  const raw: Record<string, Buffer> = {
    'train-images-idx3-ubyte': idxImageBytes(8, 2, 3),
    'train-labels-idx1-ubyte': idxLabelBytes(trainLabels),
    't10k-images-idx3-ubyte': idxImageBytes(4, 2, 3),
    't10k-labels-idx1-ubyte': idxLabelBytes(testLabels),
  };
  const files: Record<string, Buffer> = {};
  const entries: DatasetFile[] = [];
  for (const [name, content] of Object.entries(raw)) {
    const gz = zlib.gzipSync(content);
    files[`${name}.gz`] = gz;
    const part = name.startsWith('train') ? 'train' : 'test';
    entries.push(fileEntry(`${name}.gz`, part, name.includes('images') ? 'images' : 'labels', gz, content));
  }
  const spec: DatasetSpec = {
    name: 'tiny-idx',
    title: 'Tiny IDX',
    folder: 'tiny-idx',
    format: 'idx',
    classNames: ['a', 'b', 'c'],
    shape: [2, 3, 1],
    officialCounts: { train: 8, test: 4 },
    splits: { official: { train: 8, test: 4 }, paper: { train: 5, test: 4 } },
    files: entries,
    source: { kind: 'files', mirrors: ['http://127.0.0.1:1/'] },
    fallbackFolders: [],
    licence: 'test data',
  };
  return { spec, files };
}

/**
 * A tiny CIFAR-10-format dataset: two train batches of 3 records and a test batch of 2, and the
 * tar.gz that publishes them under tiny-cifar-bin/ (as cifar-10-binary.tar.gz does).
 */
export function tinyCifarDataset(): { spec: DatasetSpec; files: Record<string, Buffer>; archive: Buffer } {
  const files: Record<string, Buffer> = {
    'data_batch_1.bin': cifarBytes([6, 9, 9]),
    'data_batch_2.bin': cifarBytes([4, 1, 2]),
    'test_batch.bin': cifarBytes([3, 8]),
  };
  const archive = zlib.gzipSync(
    tarBytes([
      { name: 'tiny-cifar-bin/', type: '5' },
      { name: 'tiny-cifar-bin/batches.meta.txt', data: Buffer.from('airplane\n') },
      ...Object.entries(files).map(([name, data]) => ({ name: `tiny-cifar-bin/${name}`, data })),
    ]),
  );
  const spec: DatasetSpec = {
    name: 'tiny-cifar',
    title: 'Tiny CIFAR',
    folder: 'tiny-cifar-bin',
    format: 'cifar10',
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
    shape: [32, 32, 3],
    officialCounts: { train: 6, test: 2 },
    splits: { official: { train: 6, test: 2 }, paper: { train: 6, test: 2 } },
    files: Object.entries(files).map(([name, bytes]) =>
      fileEntry(name, name.startsWith('test') ? 'test' : 'train', 'records', bytes),
    ),
    source: {
      kind: 'archive',
      urls: ['http://127.0.0.1:1/tiny.tar.gz'],
      fileName: 'tiny-cifar-binary.tar.gz',
      published: { bytes: archive.length, ...digests(archive) },
      memberFolder: 'tiny-cifar-bin',
    },
    fallbackFolders: [],
    licence: 'test data',
  };
  return { spec, files, archive };
}

export function writeFiles(folder: string, files: Record<string, Buffer>): void {
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), bytes);
}

/** An HTTP server on 127.0.0.1 (ephemeral port) closed when the test ends; resolves with its base URL. */
export async function serve(t: TestContext, handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Where the real datasets are for the real-data tests: SI_DATA_DIR, else shared/data beside the project. */
export function realDataDir(projectRoot: string): string {
  return process.env.SI_DATA_DIR
    ? path.resolve(process.env.SI_DATA_DIR)
    : path.join(projectRoot, '..', 'shared', 'data');
}
