/**
 * The package installed as a user installs it: `npm pack`, then `npm install <tarball>` into a new
 * project, `require('sample-importance')` and a tiny training run written to a runs folder. Once
 * with a compiler and a BLAS (the install script builds the native engine, and auto picks it), once
 * with no compiler (the install succeeds, says in one line that the portable engine will be used,
 * and auto picks tfjs). Needs the npm registry (or npm's cache) for the dependencies.
 *
 * The new project carries the `overrides` the README asks users to add (danfojs-node otherwise
 * fetches xlsx from a CDN outside the registry and pulls in tfjs-node, which downloads libtensorflow).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../support/tmp';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const BLAS = path.join(projectRoot(), '.venv', 'lib', 'python3.11', 'site-packages', 'scipy_openblas32');

/** Trains 2 epochs on 8 samples through the installed package and prints what it used. */
const TINY_RUN = `
const si = require('sample-importance');
(async () => {
  const engine = await si.loadEngine('auto');
  const split = (n, seed) => {
    const rng = new si.Rng(seed);
    const x = Float32Array.from({ length: n * 4 }, () => rng.uniform());
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    return { x, y, n, inputSize: 4, indices: Int32Array.from({ length: n }, (_, i) => i) };
  };
  const cfg = si.resolveRunConfig({
    dataset: 'mnist', trainSize: 8, testSize: 4, hidden: [3], epochs: 2, batchSize: 4
  });
  const out = await si.trainRun(cfg, {
    engine, train: split(8, 1), test: split(4, 2), classes: 2, runsDir: process.argv[1]
  });
  const run = si.openRun(out.dir);
  console.log(JSON.stringify({
    engine: engine.name, status: run.meta.status, epochs: run.epochs, tau: Array.from(run.tau())
  }));
})().catch((err) => { console.error(err); process.exit(1); });
`;

let tarball: string | undefined;
function packed(): string {
  tarball ??= (() => {
    const dir = tempDir('si-pack-');
    const name = execFileSync(NPM, ['pack', '--silent', '--pack-destination', dir], {
      cwd: projectRoot(),
      encoding: 'utf8',
    }).trim();
    return path.join(dir, name.split('\n').pop() ?? '');
  })();
  return tarball;
}

/** A new project with the packed package installed under `env`; returns its folder and npm's output. */
function installInto(env: NodeJS.ProcessEnv): { dir: string; log: string } {
  const dir = tempDir('si-user-');
  const { overrides } = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
    overrides: object;
  };
  const manifest = { name: 'user-project', version: '1.0.0', private: true, overrides };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  const res = spawnSync(
    NPM,
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', packed()],
    {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  const log = `${res.stdout}${res.stderr}`;
  assert.equal(res.status, 0, `npm install failed:\n${log.slice(-3000)}`);
  return { dir, log };
}

function tinyRun(
  dir: string,
  env: NodeJS.ProcessEnv = {},
): { engine: string; status: string; epochs: number; tau: number[]; stderr: string } {
  const res = spawnSync(process.execPath, ['-e', TINY_RUN, tempDir('si-user-runs-')], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  assert.equal(res.status, 0, res.stderr);
  return { ...JSON.parse(res.stdout), stderr: res.stderr };
}

const noBlas = fs.existsSync(path.join(BLAS, 'include', 'cblas.h')) ? false : `no OpenBLAS at ${BLAS} (make setup)`;

test('installed with a compiler and a BLAS: the native engine is built and auto trains on it', {
  skip: noBlas,
  timeout: 900_000,
}, () => {
  const env = {
    SI_CBLAS_INCLUDE: path.join(BLAS, 'include'),
    SI_CBLAS_LIB: path.join(BLAS, 'lib', 'libscipy_openblas.so'),
    SI_CBLAS_NAME: 'openblas',
  };
  const { dir, log } = installInto(env);
  assert.ok(
    fs.existsSync(path.join(dir, 'node_modules', 'sample-importance', 'build', 'Release', 'si_native.node')),
    log.slice(-3000),
  );
  const run = tinyRun(dir);
  assert.deepEqual([run.engine, run.status, run.epochs], ['native', 'complete', 2]);
  assert.ok(run.tau.length === 8 && run.tau.every((t) => t > 0), 'every sample moved the parameters');
});

test('installed without build tools: the install succeeds, says so in one line, and auto trains on tfjs', {
  timeout: 900_000,
}, () => {
  const { dir, log } = installInto({ CXX: '/nonexistent/c++' });
  const notice = log.split('\n').filter((l) => l.includes('native engine not built'));
  assert.equal(notice.length, 1, log.slice(-3000));
  assert.match(notice[0] ?? '', /no C\+\+ compiler '\/nonexistent\/c\+\+'.*the portable tfjs engine will be used/);
  assert.ok(!fs.existsSync(path.join(dir, 'node_modules', 'sample-importance', 'build', 'Release', 'si_native.node')));
  const run = tinyRun(dir);
  assert.deepEqual([run.engine, run.status, run.epochs], ['tfjs', 'complete', 2]);
  assert.ok(run.tau.length === 8 && run.tau.every((t) => t > 0));
  assert.match(run.stderr, /native engine.*not built.*tfjs/, 'auto says once why it uses tfjs');
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
});
