#!/usr/bin/env node
/**
 * Compares two trees of per-figure data (figures/data/<profile>/…), as a refactor's check that the
 * figures did not change: each file is byte-identical, or equal once PNG data URLs (example
 * images) are decoded to their pixels, or it differs, and the first difference is printed.
 *
 * @example
 *   node scripts/compare-figure-data.js /tmp/before/quick figures/data/quick
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { decode } = require('fast-png');

function files(root) {
  return fs
    .readdirSync(root, { recursive: true })
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** The value with every PNG data URL replaced by its decoded size, channels and pixels. */
function decoded(value) {
  if (typeof value === 'string' && value.startsWith('data:image/png;base64,')) {
    const png = decode(Buffer.from(value.slice(value.indexOf(',') + 1), 'base64'));
    return { png: [png.width, png.height, png.channels, png.depth], pixels: Buffer.from(png.data).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(decoded);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decoded(v)]));
  return value;
}

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: compare-figure-data.js TREE_A TREE_B');
  process.exit(2);
}
const [left, right] = [files(a), files(b)];
let different = 0;
for (const name of [...new Set([...left, ...right])].sort()) {
  if (!left.includes(name) || !right.includes(name)) {
    console.log(`only in ${left.includes(name) ? a : b}: ${name}`);
    different++;
    continue;
  }
  const [x, y] = [fs.readFileSync(path.join(a, name)), fs.readFileSync(path.join(b, name))];
  if (x.equals(y)) {
    console.log(`identical            ${name}`);
  } else if (JSON.stringify(decoded(JSON.parse(x))) === JSON.stringify(decoded(JSON.parse(y)))) {
    console.log(`same pixels, PNG bytes differ  ${name}`);
  } else {
    console.log(`DIFFERENT            ${name}`);
    different++;
  }
}
console.log(`${different} file(s) differ in content`);
process.exit(different > 0 ? 1 : 0);
