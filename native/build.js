#!/usr/bin/env node
/**
 * Builds the native engine (build/Release/si_native.node) when this machine can: a C++ compiler and
 * a CBLAS (native/find-blas.js). Otherwise prints one line saying the portable tfjs engine will be
 * used and how to get the fast one, and exits 0, so a set-up never fails for want of a compiler.
 * Skips the build when the addon is newer than every native source (idempotent set-up).
 *
 * @example
 *   node native/build.js          # what `npm run build:native` runs
 *   SI_NATIVE_FORCE=1 node native/build.js   # rebuild even if up to date
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { findBlas } = require('./find-blas');
const { findDnnl } = require('./find-dnnl');

const root = path.resolve(__dirname, '..');

// The CUDA engine is a separate addon (native/cuda/build.js): built after this one, whichever way
// this script ends (built, up to date, or no CBLAS), or skipped with one line when there is no CUDA toolkit.
process.on('exit', (code) => {
  if (code !== 0 || process.env.SI_CUDA_SKIP === '1') return;
  const cuda = spawnSync(process.execPath, [path.join(__dirname, 'cuda', 'build.js')], { stdio: 'inherit' });
  if (cuda.status !== 0) console.error('the CUDA engine did not build (see above); the CPU engines are unaffected');
});
const addon = path.join(root, 'build', 'Release', 'si_native.node');
const HOW_TO =
  'install a CBLAS (`apt-get install libopenblas-dev`, or `.venv/bin/pip install scipy-openblas32`) ' +
  'and a C++ compiler, then run `make native`';

function fallback(reason) {
  console.log(
    `native engine not built (${reason}); the portable tfjs engine will be used. For the fast one, ${HOW_TO}.`,
  );
  process.exit(0);
}

function sources() {
  const native = fs
    .readdirSync(__dirname)
    .filter((f) => /\.(cc|h|js)$/.test(f))
    .map((f) => path.join(__dirname, f));
  return [...native, path.join(root, 'binding.gyp')];
}

/** What the build found, kept beside the addon: a library installed or removed since means a rebuild. */
const foundFile = path.join(root, 'build', 'Release', 'si_native.found.json');
const found = () => JSON.stringify({ blas: blas.source, dnnl: findDnnl()?.library ?? null });

function upToDate() {
  if (!fs.existsSync(addon) || !fs.existsSync(foundFile) || fs.readFileSync(foundFile, 'utf8') !== found())
    return false;
  const built = fs.statSync(addon).mtimeMs;
  return sources().every((f) => fs.statSync(f).mtimeMs <= built);
}

const compiler = process.env.CXX || 'c++';
if (spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status !== 0) fallback(`no C++ compiler '${compiler}'`);
let blas;
try {
  blas = findBlas();
} catch (err) {
  fallback(err.message);
}
if (!blas) fallback('no CBLAS found');
if (!process.env.SI_NATIVE_FORCE && upToDate()) {
  console.log(`native engine up to date: ${path.relative(root, addon)}`);
  process.exit(0);
}

/**
 * node-gyp: this project's own (a devDependency), else the one npm runs install scripts with
 * (npm_config_node_gyp), which is what a project installing this package as a dependency has.
 */
function nodeGyp() {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  } catch {
    return process.env.npm_config_node_gyp;
  }
}

const gyp = nodeGyp();
if (!gyp) fallback('no node-gyp: install it (`npm install -g node-gyp`) or build through npm');
console.log(`building the native engine with ${blas.name} from ${blas.source}`);
const args = [gyp, 'rebuild', '--jobs', 'max', '--loglevel=warn'];
// With the system's headers node-gyp needs no download (there may be no network).
if (fs.existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr');
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  const why = `native engine build failed (node-gyp exit ${result.status}); the tfjs engine still works.`;
  // Installed as a dependency, a failed build must not fail the user's `npm install`.
  if (process.env.npm_lifecycle_event === 'install') fallback(`node-gyp exit ${result.status}; see the error above`);
  console.error(`${why} Fix the error above and rerun \`make native\`.`);
  process.exit(result.status || 1);
}
fs.writeFileSync(foundFile, found());
console.log(`built ${path.relative(root, addon)}`);
console.log(
  spawnSync(process.execPath, [path.join(__dirname, 'find-dnnl.js'), 'describe'], { encoding: 'utf8' }).stdout.trim(),
);
