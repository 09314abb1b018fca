#!/usr/bin/env node
/**
 * Finds oneDNN (Debian's libdnnl-dev: oneapi/dnnl/dnnl.hpp and libdnnl) for the native engine's
 * conv layers and prints what binding.gyp needs, one kind per call; prints nothing where it is
 * absent (or SI_NO_DNNL=1), and the conv layers then unfold and multiply with the BLAS:
 *   node native/find-dnnl.js defines     → SI_HAVE_DNNL
 *   node native/find-dnnl.js libraries   → -ldnnl -lgomp (oneDNN's OpenMP runtime, whose threads the engine sets)
 *   node native/find-dnnl.js describe    → one human line
 *
 * @example
 *   const { findDnnl } = require('./find-dnnl');
 *   findDnnl();   // null, or { include, library }
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// The system library folders the BLAS search looks in.
const { LIB_DIRS } = require('./find-blas');

const INCLUDE_DIRS = ['/usr/include', '/usr/local/include'];

function findDnnl() {
  if (process.env.SI_NO_DNNL === '1') return null;
  const include = INCLUDE_DIRS.find((d) => fs.existsSync(path.join(d, 'oneapi', 'dnnl', 'dnnl.hpp')));
  const library = LIB_DIRS.map((d) => path.join(d, 'libdnnl.so')).find((f) => fs.existsSync(f));
  return include && library ? { include, library } : null;
}

module.exports = { findDnnl };

if (require.main === module) {
  const found = findDnnl();
  const what = process.argv[2];
  if (what === 'describe') {
    console.log(
      found
        ? `oneDNN from ${found.library}: conv layers run on it`
        : 'no oneDNN (apt-get install libdnnl-dev): conv layers unfold and multiply with the BLAS, a slower path',
    );
  } else if (found && what === 'defines') console.log('SI_HAVE_DNNL');
  else if (found && what === 'libraries') console.log('-ldnnl -lgomp');
}
