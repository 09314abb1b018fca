/**
 * Users' own datasets as .npz files, written here byte by byte (fflate's zip of .npy members), so
 * no numpy is needed: what loads, how it is laid out, and every refusal naming the key and problem.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { loadNpzDataset } from '../../src/data/npz';
import { openRun } from '../../src/run/open-run';
import { npyHeader, type NpyDtype } from '../../src/io/npy';
import { tempDir } from '../support/tmp';

type Member = { descr: string; shape: number[]; data: ArrayBufferView };

function npz(members: Record<string, Member>): string {
  const file = path.join(tempDir(), 'data.npz');
  const entries = Object.fromEntries(
    Object.entries(members).map(([key, m]) => {
      const body = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      return [`${key}.npy`, new Uint8Array(Buffer.concat([npyHeader(m.descr as NpyDtype, m.shape), body]))];
    }),
  );
  fs.writeFileSync(file, zipSync(entries));
  return file;
}

const int64 = (values: number[]) => BigInt64Array.from(values.map(BigInt));
const images = (n: number) => Uint8Array.from({ length: n * 16 }, (_, k) => (k * 7) % 256);
const labels = (n: number) => int64(Array.from({ length: n }, (_, i) => i % 3));

describe('.npz datasets', () => {
  it('uint8 images with int64 labels: scaled to [0, 1], a seeded 10% held out as the test part', () => {
    const file = npz({
      x: { descr: '|u1', shape: [20, 4, 4], data: images(20) },
      y: { descr: '<i8', shape: [20], data: labels(20) },
    });
    const ds = loadNpzDataset(file);
    assert.equal(ds.dataset, `npz:${file}`);
    assert.deepEqual([ds.train.n, ds.test.n], [18, 2]);
    assert.deepEqual(ds.train.shape, [4, 4, 1]);
    assert.equal(ds.train.inputSize, 16);
    // Every row lands in one part once, with its own pixels and label, under its row number.
    assert.deepEqual(
      [...ds.train.indices, ...ds.test.indices].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
    );
    for (const p of [ds.train, ds.test]) {
      p.indices.forEach((row, k) => {
        assert.equal(p.y[k], row % 3);
        assert.equal(p.x[k * 16 + 1], Math.fround((((row * 16 + 1) * 7) % 256) / 255));
      });
    }
    assert.notDeepEqual([...ds.test.indices], [18, 19], 'a draw, not the last rows');
    assert.deepEqual([...loadNpzDataset(file).test.indices], [...ds.test.indices], 'the same draw every time');
    assert.deepEqual(ds.classNames, ['0', '1', '2']);
  });

  it('float32 channels-last images with a test part: stored as channel planes', () => {
    // one 2×2 RGB sample: pixel p has channels (10p, 10p+1, 10p+2)
    const x = Float32Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]);
    const file = npz({
      x: { descr: '<f4', shape: [1, 2, 2, 3], data: x },
      y: { descr: '<i4', shape: [1], data: Int32Array.from([1]) },
      x_test: { descr: '<f4', shape: [1, 2, 2, 3], data: x },
      y_test: { descr: '|u1', shape: [1], data: Uint8Array.from([0]) },
    });
    const ds = loadNpzDataset(file);
    assert.deepEqual(ds.train.shape, [2, 2, 3]);
    assert.deepEqual([...ds.train.x], [0, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, 32]);
    assert.deepEqual([ds.train.n, ds.test.n, ds.classNames.length], [1, 1, 2]);
  });

  const x20 = { descr: '|u1', shape: [20, 4, 4], data: images(20) };
  const y20 = { descr: '<i8', shape: [20], data: labels(20) };
  const REFUSALS: [string, () => string, RegExp][] = [
    [
      'not a zip',
      () => {
        const file = path.join(tempDir(), 'bad.npz');
        fs.writeFileSync(file, 'hello');
        return file;
      },
      /is not a readable \.npz file/,
    ],
    ['no y', () => npz({ x: x20 }), /needs arrays x and y \(it has x\.npy\)/],
    [
      'float64 x',
      () => npz({ x: { descr: '<f8', shape: [2, 2], data: new Float64Array(4) }, y: y20 }),
      /x has dtype <f8; it must be float32 or uint8/,
    ],
    [
      'labels of another length',
      () => npz({ x: x20, y: { descr: '<i8', shape: [19], data: labels(19) } }),
      /y has shape \[19\]; it must be \[20\]/,
    ],
    [
      'a negative label',
      () => npz({ x: x20, y: { descr: '<i8', shape: [20], data: int64([-1, ...Array(19).fill(0)]) } }),
      /y holds label -1 at position 0/,
    ],
    [
      'float labels',
      () => npz({ x: x20, y: { descr: '<f4', shape: [20], data: new Float32Array(20) } }),
      /y has dtype <f4; labels must be integers/,
    ],
    [
      'NaN features',
      () =>
        npz({
          x: { descr: '<f4', shape: [2, 2], data: Float32Array.from([0, NaN, 1, 1]) },
          y: { descr: '<i4', shape: [2], data: Int32Array.from([0, 1]) },
        }),
      /x holds a non-finite value \(NaN\) at flat index 1/,
    ],
    ['x_test alone', () => npz({ x: x20, y: y20, x_test: x20 }), /one of x_test and y_test without the other/],
    [
      'no samples',
      () =>
        npz({
          x: { descr: '<f4', shape: [0, 3], data: new Float32Array(0) },
          y: { descr: '<i4', shape: [0], data: new Int32Array(0) },
        }),
      /x is empty/,
    ],
    [
      'one class',
      () => npz({ x: x20, y: { descr: '<i8', shape: [20], data: int64(Array(20).fill(0)) } }),
      /a single class in y/,
    ],
    [
      'a 5-channel image',
      () =>
        npz({
          x: { descr: '|u1', shape: [1, 1, 1, 5], data: new Uint8Array(5) },
          y: { descr: '<i4', shape: [1], data: Int32Array.from([0]) },
        }),
      /channels last with at most 4 channels/,
    ],
  ];
  for (const [what, make, message] of REFUSALS) {
    it(`refuses ${what}, naming the file and the problem`, () => {
      const file = make();
      assert.throws(
        () => loadNpzDataset(file),
        (err: Error) => err.message.startsWith(`${file}: `) && message.test(err.message),
      );
    });
  }
});

describe('si train and si scores on a .npz file', () => {
  const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
  const si = (args: string[], runs: string) =>
    spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, SI_RUNS_DIR: runs } });

  it('trains under a key that names the file and its content, and scores it with its own labels', () => {
    const runs = tempDir();
    const file = npz({
      x: { descr: '|u1', shape: [60, 4, 4], data: images(60) },
      y: { descr: '<i8', shape: [60], data: labels(60) },
    });
    const trained = si(
      ['train', '--dataset', `npz:${file}`, '--epochs', '2', '--hidden', '4', '--batch-size', '10'],
      runs,
    );
    assert.equal(trained.status, 0, trained.stderr);
    const [runDir] = fs.readdirSync(runs);
    const meta = JSON.parse(fs.readFileSync(path.join(runs, runDir!, 'run.json'), 'utf8'));
    assert.deepEqual([meta.config.dataset, meta.config.trainSize, meta.config.testSize], [`npz:${file}`, 54, 6]);
    assert.match(meta.config.data, /^sha256:[0-9a-f]{16}$/);

    const out = path.join(tempDir(), 'scores.csv');
    const scored = si(['scores', '--run', path.join(runs, runDir!), '--out', out], runs);
    assert.equal(scored.status, 0, scored.stderr);
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1);
    assert.equal(rows.length, 54);
    // index (the row in the file) and label (row % 3 by construction) agree on every row
    for (const r of rows) {
      const [, index, label] = r.split(',').map(Number);
      assert.equal(label, index! % 3);
    }

    // The file changed under the run: its labels are no longer the run's.
    fs.writeFileSync(
      file,
      fs.readFileSync(
        npz({
          x: { descr: '|u1', shape: [60, 4, 4], data: images(60).reverse() },
          y: { descr: '<i8', shape: [60], data: labels(60) },
        }),
      ),
    );
    const stale = si(['scores', '--run', path.join(runs, runDir!), '--out', out], runs);
    assert.equal(stale.status, 2);
    assert.match(stale.stderr, /has changed since .* was trained on it/);

    // The benchmarks on the same file, with the smoke profile's protocol cut to its 54 / 6 samples.
    const own = npz({
      x: { descr: '|u1', shape: [60, 4, 4], data: images(60) },
      y: { descr: '<i8', shape: [60], data: labels(60) },
    });
    const figureData = tempDir();
    const bench = (args: string[]) =>
      spawnSync(process.execPath, [MAIN, ...args], {
        encoding: 'utf8',
        env: { ...process.env, SI_RUNS_DIR: runs, SI_FIGURE_DATA_DIR: figureData },
      });
    const pruned = bench([
      'prune',
      '--profile',
      'smoke',
      '--datasets',
      `npz:${own}`,
      '--scores',
      'tau',
      '--strategies',
      'hard',
      '--fractions',
      '0.5',
      '--seeds',
      '2',
    ]);
    assert.equal(pruned.status, 0, pruned.stderr);
    assert.match(pruned.stdout, /\| tau \| hard \| {2}\| \d+\.\d\d% \|/);
    assert.ok(fs.existsSync(path.join(figureData, 'smoke', 'npz-data', 'fig11.json')));
    const noisy = bench(['noisy', '--profile', 'smoke', '--datasets', `npz:${own}`, '--fractions', '0.1']);
    assert.equal(noisy.status, 0, noisy.stderr);
    assert.match(noisy.stdout, /10\.00% of labels flipped \(5 samples; complete after 5 epochs/);
    // Its noisy run scores with the labels it trained on (flipped ones included), not refused as changed.
    const noisyRun = fs
      .readdirSync(runs)
      .find((d) => JSON.parse(fs.readFileSync(path.join(runs, d, 'run.json'), 'utf8')).config.labelNoise);
    const noisyScores = si(['scores', '--run', path.join(runs, noisyRun!), '--out', out], runs);
    assert.equal(noisyScores.status, 0, noisyScores.stderr);
    const flipped = openRun(path.join(runs, noisyRun!)).flipped!;
    const noisyRows = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(',').map(Number));
    assert.equal(flipped.length, 5);
    for (const p of flipped)
      assert.notEqual(noisyRows[p]![2], noisyRows[p]![1]! % 3, `position ${p} carries its flipped label`);
    const ablations = bench(['ablations', '--datasets', `npz:${own}`]);
    assert.equal(ablations.status, 2);
    assert.match(ablations.stderr, /unknown dataset npz:/);

    const missing = si(['train', '--dataset', 'npz:no/such.npz'], runs);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /argument 'npz:no\/such\.npz' is invalid\. no such file: .*no\/such\.npz/);
  });
});
