/**
 * A full disk never replaces a good file with a truncated one: every write is complete and synced
 * before its rename, a failed write says "no space left on …" and leaves the previous good state,
 * and a run stopped by a full disk resumes, once space is freed, to the record an uninterrupted run
 * writes. Simulated short writes everywhere; a real full tmpfs where this machine lets us mount one.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
// The module object itself (a namespace import is a copy of getters, which cannot be mocked).
import fsModule from 'node:fs';
import * as path from 'node:path';
import { loadEngine } from '../../src/engine';
import { writeFileAtomic } from '../../src/io/atomic';
import { NpyEpochFile } from '../../src/io/npy-epochs';
import { readNpy, writeNpy } from '../../src/io/npy';
import { resolveRunConfig } from '../../src/run/config';
import { readRunMeta } from '../../src/run/record';
import { trainRun } from '../../src/run/train';
import { blobs } from '../support/synthetic';
import { tempDir } from '../support/tmp';

/** fs.writeSync taking only half of what it is given once, then failing as a full device does. */
function fillDiskAfterHalf(t: TestContext): void {
  const real = fsModule.writeSync;
  let calls = 0;
  t.mock.method(
    fsModule,
    'writeSync',
    (fd: number, buffer: Uint8Array, offset = 0, length = buffer.length, position?: number | null) => {
      calls++;
      if (calls === 1) return real(fd, buffer, offset, Math.max(1, Math.floor(length / 2)), position);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  );
}

const leftovers = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.tmp'));

test('a short write to a filling disk: the old file stays whole, the error says so, no temporary file is left', (t) => {
  const dir = tempDir();
  const target = path.join(dir, 'run.json');
  writeFileAtomic(target, '{"good": true}\n');
  fillDiskAfterHalf(t);
  assert.throws(
    () => writeFileAtomic(target, `{"newer": "${'x'.repeat(10_000)}"}\n`),
    (err: Error) => {
      assert.match(err.message, new RegExp(`^no space left on the device holding ${dir} while writing ${target}`));
      return true;
    },
  );
  t.mock.restoreAll();
  assert.equal(fs.readFileSync(target, 'utf8'), '{"good": true}\n');
  assert.deepEqual(leftovers(dir), []);
});

test('writeNpy and an epoch row fail the same way instead of returning with a truncated file', (t) => {
  const dir = tempDir();
  const file = path.join(dir, 'params.npy');
  writeNpy(file, Float32Array.from([1, 2, 3]), [3]);
  const rows = NpyEpochFile.open(path.join(dir, 'nll.npy'), 'float32', 2, [1000]);
  fillDiskAfterHalf(t);
  assert.throws(() => writeNpy(file, new Float32Array(100_000), [100_000]), /^Error: no space left on the device/);
  t.mock.restoreAll();
  fillDiskAfterHalf(t);
  assert.throws(
    () => rows.writeEpoch(0, new Float32Array(1000)),
    /no space left on the device .* while writing .*nll\.npy/,
  );
  t.mock.restoreAll();
  assert.deepEqual(Array.from(readNpy(file).data), [1, 2, 3]);
  assert.deepEqual(leftovers(dir), []);
});

/** A tmpfs of `megabytes` mounted for the test, or why none can be (not root, no mount). */
function mountTmpfs(megabytes: number): { dir: string; unmount: () => void } | string {
  const dir = tempDir('si-tmpfs-');
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) return `cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || '').trim()})`;
  return { dir, unmount: () => spawnSync('umount', [dir]) };
}

const tmpfs = mountTmpfs(16);
const skip = typeof tmpfs === 'string' ? tmpfs : false;
test.after(() => {
  if (typeof tmpfs !== 'string') tmpfs.unmount();
});

test('a run on a disk that fills up stops with the reason, keeps a readable record, and resumes once space is freed', {
  skip,
}, async () => {
  if (typeof tmpfs === 'string') return;
  const engine = await loadEngine('native').catch(() => loadEngine('auto'));
  const train = blobs(200, 784, 10, 1);
  const test_ = blobs(50, 784, 10, 2);
  // Every epoch's parameters are kept: 40 × 200 kB of snapshots, more than the space left.
  const cfg = resolveRunConfig({
    dataset: 'mnist',
    trainSize: 200,
    testSize: 50,
    hidden: [64],
    epochs: 40,
    batchSize: 20,
    snapshotEvery: 1,
  });
  const opts = { engine, train, test: test_, classes: 10 };
  const reference = await trainRun(cfg, { ...opts, runsDir: tempDir() });

  const runsDir = path.join(tmpfs.dir, 'runs');
  const filler = path.join(tmpfs.dir, 'filler');
  fs.writeFileSync(filler, Buffer.alloc(13 * 2 ** 20));
  await assert.rejects(trainRun(cfg, { ...opts, runsDir }), /^Error: no space left on the device holding .*runs\//);
  const dir = path.join(runsDir, path.basename(reference.dir));
  const meta = readRunMeta(dir);
  assert.ok(meta, 'run.json is readable after the failure');
  assert.equal(meta.status, 'running');
  assert.ok(meta.epochsCompleted > 0 && meta.epochsCompleted < 40, `stopped part-way (epoch ${meta.epochsCompleted})`);
  for (const epoch of meta.snapshots)
    assert.equal(readNpy(path.join(dir, 'params', `e${String(epoch).padStart(3, '0')}.npy`)).data.length, 50890);
  assert.deepEqual(leftovers(dir), []);
  assert.ok(!fs.existsSync(path.join(dir, 'lock')), 'the lock was released');

  fs.rmSync(filler);
  const resumed = await trainRun(cfg, { ...opts, runsDir });
  assert.equal(resumed.meta.status, 'complete');
  for (const name of [
    'importance.npy',
    'nll.npy',
    'correct.npy',
    'order.npy',
    'final_nll.npy',
    'params/e040.npy',
    'params/e017.npy',
  ]) {
    assert.ok(
      fs.readFileSync(path.join(dir, name)).equals(fs.readFileSync(path.join(reference.dir, name))),
      `${name} as uninterrupted`,
    );
  }
});
