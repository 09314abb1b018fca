/**
 * Seeded mutation fuzzing of every data format the loaders read: IDX (raw and gzipped), CIFAR-10
 * batches, and the tar.gz archive CIFAR-10 is published as. Each mutation (bit flips, byte
 * overwrites, truncation, insertion, deletion, duplication, a file swapped for another) must end
 * one of two ways: the clean data, exactly, or the project's own error naming the file. With the
 * checksums on, no mutated content is ever accepted; with them off, the parsers alone must still
 * never crash with another error. A hang would fail the test on its timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DatasetFileError, downloadDataset, loadDataset, readTarGzMembers, type DatasetSpec } from '../../src/data';
import { Rng } from '../../src/util/rng';
import { tempDir } from '../support/tmp';
import { serve, tinyCifarDataset, tinyIdxDataset, writeFiles } from './fixtures';

const MUTATIONS = 1000;

/** One seeded mutation of `bytes`; `others` are the dataset's other files, for swaps. */
function mutate(rng: Rng, bytes: Buffer, others: Buffer[]): Buffer {
  const at = () => rng.int(Math.max(1, bytes.length));
  const out = Buffer.from(bytes);
  switch (rng.int(8)) {
    case 0: {
      const k = at();
      out[k] = (out[k] ?? 0) ^ (1 << rng.int(8));
      return out;
    }
    case 1: {
      for (let n = 1 + rng.int(4); n > 0; n--) out[at()] = rng.int(256);
      return out;
    }
    case 2:
      return out.subarray(0, at());
    case 3: {
      const k = at();
      return Buffer.concat([
        out.subarray(0, k),
        Buffer.from(Array.from({ length: 1 + rng.int(16) }, () => rng.int(256))),
        out.subarray(k),
      ]);
    }
    case 4: {
      const k = at();
      return Buffer.concat([out.subarray(0, k), out.subarray(k + 1 + rng.int(32))]);
    }
    case 5: {
      const k = at();
      const piece = out.subarray(k, k + 1 + rng.int(64));
      return Buffer.concat([out.subarray(0, k), piece, out.subarray(k)]);
    }
    case 6:
      return Buffer.concat([out, Buffer.alloc(1 + rng.int(600), rng.int(256))]);
    default:
      return Buffer.from(others[rng.int(others.length)] ?? out);
  }
}

function snapshot(data: ReturnType<typeof loadDataset>): string {
  const parts = [data.train.x, data.train.y, data.test.x, data.test.y];
  return parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')).join('|');
}

interface Tally {
  /** Checksums on: the clean data, or refused. */
  verified: { clean: number; refused: number };
  /** Checksums off: the clean data, other data the parsers accepted, or refused by a parser. */
  unverified: { clean: number; other: number; refused: number };
}

/** Loads `spec` after each mutation of one of its files, with checksums and without; tallies how each load ended. */
function fuzzDataset(spec: DatasetSpec, files: Record<string, Buffer>, seed: number): Tally {
  const dir = tempDir();
  const folder = path.join(dir, spec.folder);
  writeFiles(folder, files);
  const clean = snapshot(loadDataset(spec, { dataDir: dir, split: 'official' }));
  const names = Object.keys(files);
  const rng = new Rng(seed);
  const tally: Tally = { verified: { clean: 0, refused: 0 }, unverified: { clean: 0, other: 0, refused: 0 } };
  for (let m = 0; m < MUTATIONS; m++) {
    const name = names[rng.int(names.length)]!;
    const file = path.join(folder, name);
    const mutated = mutate(
      rng,
      files[name]!,
      names.filter((n) => n !== name).map((n) => files[n]!),
    );
    fs.writeFileSync(file, mutated);
    const what = `mutation ${m} of ${name} (${mutated.length} bytes)`;
    for (const verify of ['always', 'never'] as const) {
      try {
        const loaded = snapshot(loadDataset(spec, { dataDir: dir, split: 'official', verify }));
        if (verify === 'always') {
          assert.equal(loaded, clean, `${what}: corrupt data accepted with the checksums on`);
          tally.verified.clean++;
        } else if (loaded === clean) tally.unverified.clean++;
        else tally.unverified.other++;
      } catch (err) {
        assert.ok(err instanceof DatasetFileError, `${what}, verify ${verify}: ${(err as Error).stack}`);
        assert.ok(err.message.includes(folder), `${what}: the error names no file of the dataset: ${err.message}`);
        if (verify === 'always') tally.verified.refused++;
        else tally.unverified.refused++;
      }
    }
    fs.writeFileSync(file, files[name]!);
  }
  return tally;
}

/** The tiny IDX dataset with its files stored decompressed (the loaders tell by content, not name). */
function rawIdxDataset(): { spec: DatasetSpec; files: Record<string, Buffer> } {
  const { spec, files } = tinyIdxDataset();
  return { spec, files: Object.fromEntries(Object.entries(files).map(([name, gz]) => [name, zlib.gunzipSync(gz)])) };
}

for (const [format, dataset, seed] of [
  ['IDX, gzipped', tinyIdxDataset(), 11],
  ['IDX, raw', rawIdxDataset(), 12],
  ['CIFAR-10 batches', tinyCifarDataset(), 13],
] as const) {
  test(`${format}: ${MUTATIONS} mutations each load the clean data or are refused naming the file`, {
    timeout: 120_000,
  }, () => {
    const { verified, unverified } = fuzzDataset(dataset.spec, dataset.files, seed);
    console.log(`${format}: ${JSON.stringify({ verified, unverified })}`);
    assert.equal(verified.clean + verified.refused, MUTATIONS);
    assert.equal(unverified.clean + unverified.other + unverified.refused, MUTATIONS);
    assert.ok(verified.refused > MUTATIONS / 2, 'most mutations change the data');
  });
}

test(`the CIFAR-10 tar.gz: ${MUTATIONS} mutations read clean, refused naming the archive, or repaired by download`, {
  timeout: 300_000,
}, async (t) => {
  const { spec, files, archive } = tinyCifarDataset();
  const source = spec.source;
  assert.ok(source.kind === 'archive');
  const members = spec.files.map((f) => `${source.memberFolder}/${f.name}`);
  const rng = new Rng(14);
  const dir = tempDir();
  const file = path.join(dir, source.fileName);
  const base = await serve(t, (_req, res) => res.end(archive));
  const tally = { clean: 0, refused: 0, readOtherwise: 0, repaired: 0 };
  for (let m = 0; m < MUTATIONS; m++) {
    const mutated = mutate(rng, archive, [files['test_batch.bin']!, zlib.gzipSync(Buffer.alloc(512))]);
    fs.writeFileSync(file, mutated);
    const what = `mutation ${m} (${mutated.length} bytes)`;
    try {
      const read = await readTarGzMembers(file, members);
      const same = members.every((name, k) => read.get(name)?.equals(files[spec.files[k]!.name]!));
      if (same) tally.clean++;
      else tally.readOtherwise++;
    } catch (err) {
      assert.ok(
        err instanceof DatasetFileError && err.message.startsWith(`${file}: `),
        `${what}: ${(err as Error).stack}`,
      );
      tally.refused++;
    }
    // With the checksums on (as si download extracts it), a damaged archive is fetched again.
    if (m % 10 === 0) {
      const folder = path.join(dir, spec.folder);
      fs.rmSync(folder, { recursive: true, force: true });
      await downloadDataset(spec, { dataDir: dir, mirrors: [base], attempts: 1 });
      assert.equal(snapshotFiles(folder, files), true, `${what}: si download leaves the published batches`);
      tally.repaired++;
      fs.writeFileSync(file, mutated);
    }
  }
  console.log(`tar.gz: ${JSON.stringify(tally)}`);
  assert.equal(tally.clean + tally.refused + tally.readOtherwise, MUTATIONS);
  assert.ok(tally.refused > MUTATIONS / 2, 'most mutations break the archive');
});

function snapshotFiles(folder: string, files: Record<string, Buffer>): boolean {
  return Object.entries(files).every(([name, bytes]) => fs.readFileSync(path.join(folder, name)).equals(bytes));
}
