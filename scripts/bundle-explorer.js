#!/usr/bin/env node
// Bundles the sample explorer's browser app (src/explorer/browser/app.ts and the libraries it
// uses: regl-scatterplot, d3, vega, fflate) into one minified script, dist/explorer/app.js, which
// src/explorer/page.ts inlines into each explorer page. Type-checking is `make lint`'s job.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const out = path.join(root, 'dist', 'explorer', 'app.js');
const result = esbuild.buildSync({
  entryPoints: [path.join(root, 'src', 'explorer', 'browser', 'app.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  legalComments: 'none',
  outfile: out,
  metafile: true,
  logLevel: 'warning',
});
const bytes = result.metafile.outputs[path.relative(process.cwd(), out)]?.bytes;
console.log(`explorer app: ${path.relative(root, out)}${bytes ? ` (${(bytes / 1024).toFixed(0)} KiB)` : ''}`);
