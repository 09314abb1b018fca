#!/usr/bin/env node
/**
 * Fails when a source line is longer than the limit. Biome's formatter wraps code at 120 columns
 * but leaves a long string or comment as it is; this names each such line so it can be split.
 *
 * @example
 *   node scripts/check-line-width.js 120 src test
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [limitArg, ...roots] = process.argv.slice(2);
const limit = Number(limitArg);
if (!Number.isInteger(limit) || limit < 1 || roots.length === 0) {
  console.error('usage: check-line-width.js LIMIT DIR...');
  process.exit(2);
}
// Shell scripts are left out: their long lines are commands run on a remote machine, not formatted code.
const SOURCE = /\.(ts|js|cc|h|cu)$/;
const long = [];
for (const root of roots) {
  for (const name of fs.readdirSync(root, { recursive: true })) {
    const file = path.join(root, name);
    if (!SOURCE.test(file) || !fs.statSync(file).isFile()) continue;
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, k) => {
        // Columns as a reader counts them: code points, not UTF-16 units.
        const width = [...line].length;
        if (width > limit) long.push(`${file}:${k + 1}: ${width} columns`);
      });
  }
}
for (const line of long) console.log(line);
console.log(long.length === 0 ? `no line over ${limit} columns` : `${long.length} line(s) over ${limit} columns`);
process.exit(long.length === 0 ? 0 : 1);
