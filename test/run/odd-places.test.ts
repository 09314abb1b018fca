/**
 * Runs and data in odd places: leftovers of killed writes are cleaned, a runs folder that cannot be
 * made (/proc, under a file, on a read-only mount) is a clear error instead of a hang or ENOENT,
 * and a named pipe in place of a data file is refused instead of blocking forever.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEngine } from '../../src/engine';
import { loadDataset } from '../../src/data';
import { resolveRunConfig, runKey } from '../../src/run/config';
import { trainRun } from '../../src/run/train';
import { tinyIdxDataset, writeFiles } from '../data/fixtures';
import { blobs } from '../support/synthetic';
import { tempDir } from '../support/tmp';

const cfg = resolveRunConfig({ dataset: 'mnist', trainSize: 40, testSize: 20, hidden: [4], epochs: 2, batchSize: 10 });
const data = { train: blobs(40, 5, 3, 1), test: blobs(20, 5, 3, 2), classes: 3 };

async function train(runsDir: string) {
  return trainRun(cfg, { engine: await loadEngine('auto'), ...data, runsDir });
}

test('temporary files left by a process killed mid-write are removed when the run is next opened', async () => {
  const runsDir = tempDir();
  const dir = path.join(runsDir, runKey(cfg));
  fs.mkdirSync(path.join(dir, 'params'), { recursive: true });
  for (const name of ['run.json.4242.tmp', 'nll.npy.4242.tmp', 'params/e001.npy.4242.tmp'])
    fs.writeFileSync(path.join(dir, name), 'half');
  await train(runsDir);
  const left = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(left, []);
});

test('a runs folder that cannot be made is an error naming it, never a hang', async () => {
  await assert.rejects(
    train('/proc/si-test/runs'),
    /cannot create \/proc\/si-test: \/proc does not accept new folders/,
  );
  const file = path.join(tempDir(), 'a-file');
  fs.writeFileSync(file, '');
  await assert.rejects(train(path.join(file, 'runs')), new RegExp(`cannot create .*: ${file} is not a folder`));
});

test('a runs folder on a read-only mount says so', async (t) => {
  const dir = tempDir();
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) {
    t.skip(`cannot mount a read-only tmpfs here (${(mount.stderr || '').trim()})`);
    return;
  }
  try {
    await assert.rejects(
      train(path.join(dir, 'runs')),
      new RegExp(`cannot write ${dir}/runs: ${dir} is on a read-only file system`),
    );
  } finally {
    spawnSync('umount', [dir]);
  }
});

test('a named pipe in place of a data file is refused, not read forever', (t) => {
  const dir = tempDir();
  const { spec, files } = tinyIdxDataset();
  const folder = path.join(dir, spec.folder);
  writeFiles(folder, files);
  const fifo = path.join(folder, 'train-labels-idx1-ubyte.gz');
  fs.rmSync(fifo);
  if (spawnSync('mkfifo', [fifo]).status !== 0) {
    t.skip('mkfifo is not available');
    return;
  }
  assert.throws(() => loadDataset(spec, { dataDir: dir }), new RegExp(`${fifo}: is a named pipe, not a regular file`));
});
