#!/usr/bin/env node
/**
 * Finds a CBLAS for the native engine and prints what binding.gyp needs, one kind per call:
 *   node native/find-blas.js include     → include directories
 *   node native/find-blas.js libraries   → link flags (with an rpath where the library is not on the system path)
 *   node native/find-blas.js defines     → SI_BLAS_* macros for native/cblas_shim.h
 *   node native/find-blas.js describe    → one human line (or nothing found)
 *
 * Search order:
 *  1. SI_CBLAS_INCLUDE (folder holding cblas.h) and SI_CBLAS_LIB (the library file), optional SI_CBLAS_NAME;
 *  2. a system OpenBLAS: `pkg-config openblas`, else /usr/include{,/*}/cblas.h beside a libopenblas;
 *  3. the project's .venv with the PyPI scipy-openblas32 (symbols prefixed scipy_).
 *
 * @example
 *   const { findBlas } = require('./find-blas');
 *   const blas = findBlas();   // null when none, else { name, source, include, libraries, defines }
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const projectRoot = path.resolve(__dirname, '..');
const LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Macros telling cblas_shim.h which symbol names and extensions the header declares. */
function definesFor(name, header) {
  const text = fs.existsSync(header) ? fs.readFileSync(header, 'utf8') : '';
  const defines = [`SI_BLAS_NAME=${name}`];
  if (text.includes('scipy_cblas_sgemm')) defines.push('SI_BLAS_SCIPY_OPENBLAS');
  else if (text.includes('openblas_get_config')) defines.push('SI_BLAS_OPENBLAS');
  return defines;
}

function fromEnv() {
  const include = process.env.SI_CBLAS_INCLUDE;
  const lib = process.env.SI_CBLAS_LIB;
  if (!include || !lib) return null;
  const header = path.join(include, 'cblas.h');
  if (!fs.existsSync(header) || !fs.existsSync(lib)) {
    throw new Error(`SI_CBLAS_INCLUDE/SI_CBLAS_LIB do not point at ${header} and a library file`);
  }
  const name = (process.env.SI_CBLAS_NAME || 'cblas').replace(/[^A-Za-z0-9._-]/g, '_');
  const libDir = path.dirname(path.resolve(lib));
  return {
    name,
    source: 'SI_CBLAS_*',
    include: [include],
    libraries: [path.resolve(lib), `-Wl,-rpath,${libDir}`],
    defines: definesFor(name, header),
  };
}

function fromPkgConfig() {
  const cflags = run('pkg-config', ['--cflags-only-I', 'openblas']);
  const libs = run('pkg-config', ['--libs', 'openblas']);
  if (cflags === null || libs === null) return null;
  const include = cflags
    .split(/\s+/)
    .filter(Boolean)
    .map((f) => f.replace(/^-I/, ''));
  const header =
    include.map((dir) => path.join(dir, 'cblas.h')).find((h) => fs.existsSync(h)) || '/usr/include/cblas.h';
  if (!fs.existsSync(header)) return null;
  return {
    name: 'openblas',
    source: 'pkg-config',
    include,
    libraries: libs.split(/\s+/).filter(Boolean),
    defines: definesFor('openblas', header),
  };
}

function fromSystemPaths() {
  const lib = LIB_DIRS.find((dir) => fs.existsSync(path.join(dir, 'libopenblas.so')));
  if (!lib) return null;
  const candidates = ['/usr/include', '/usr/local/include'];
  for (const base of ['/usr/include']) {
    for (const sub of fs.readdirSync(base, { withFileTypes: true })) {
      if (!sub.isDirectory()) continue;
      const dir = path.join(base, sub.name);
      candidates.push(dir);
      // Debian keeps OpenBLAS's own header under <triplet>/openblas-pthread/.
      for (const variant of ['openblas-pthread', 'openblas-openmp', 'openblas'])
        candidates.push(path.join(dir, variant));
    }
  }
  const headers = candidates.map((dir) => path.join(dir, 'cblas.h')).filter((h) => fs.existsSync(h));
  // Prefer OpenBLAS's header (declares openblas_get_config) over a reference CBLAS one.
  const header = headers.find((h) => fs.readFileSync(h, 'utf8').includes('openblas_get_config')) || headers[0];
  if (!header) return null;
  return {
    name: 'openblas',
    source: 'system',
    include: [path.dirname(header)],
    libraries: [`-L${lib}`, '-lopenblas'],
    defines: definesFor('openblas', header),
  };
}

function fromVenv() {
  const python = path.join(projectRoot, '.venv', 'bin', 'python');
  if (!fs.existsSync(python)) return null;
  const out = run(python, ['-c', 'import scipy_openblas32 as s; print(s.get_include_dir()); print(s.get_lib_dir())']);
  if (!out) return null;
  const [include, libDir] = out.split('\n').map((l) => l.trim());
  const lib = path.join(libDir, 'libscipy_openblas.so');
  if (!fs.existsSync(path.join(include, 'cblas.h')) || !fs.existsSync(lib)) return null;
  return {
    name: 'openblas',
    source: '.venv scipy-openblas32',
    include: [include],
    libraries: [lib, `-Wl,-rpath,${libDir}`],
    defines: definesFor('openblas', path.join(include, 'cblas.h')),
  };
}

function findBlas() {
  return fromEnv() || fromPkgConfig() || fromSystemPaths() || fromVenv();
}

module.exports = { findBlas, LIB_DIRS };

if (require.main === module) {
  const what = process.argv[2];
  const blas = findBlas();
  if (what === 'describe') {
    console.log(blas ? `${blas.name} from ${blas.source} (${blas.include.join(' ')})` : 'no CBLAS found');
  } else if (what === 'include' || what === 'libraries' || what === 'defines') {
    if (!blas) {
      console.error('find-blas: no CBLAS found (see native/find-blas.js for where it looks)');
      process.exit(1);
    }
    console.log(blas[what].join(' '));
  } else {
    console.error('usage: node native/find-blas.js include|libraries|defines|describe');
    process.exit(2);
  }
}
