#!/usr/bin/env node
/**
 * Which OpenBLAS kernel trains fastest on this CPU? OpenBLAS picks one when it loads, and may pick
 * a slower one than the CPU supports. This times the native engine's training step (`si bench`:
 * the paper's MLPs, scores and importance on) under each kernel named, each in its own process,
 * alternating them ROUNDS times so that a noisy machine hurts every kernel alike, and prints each
 * kernel's median ms/step per network and its ratio to the first kernel. Run it on an idle machine
 * after `make build`.
 *
 *   node scripts/bench-blas-kernels.js                    # Haswell against SkylakeX, 3 rounds
 *   ROUNDS=5 THREADS=2 node scripts/bench-blas-kernels.js Zen SkylakeX
 *
 * A kernel the CPU lacks falls back to another: the backend column says which one ran. The kernel
 * sets the rounding, so a run resumes only on the kernel it began with (README, docs/SCORES.md).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const kernels = process.argv.length > 2 ? process.argv.slice(2) : ['Haswell', 'SkylakeX'];
const rounds = Number(process.env.ROUNDS ?? 3);
const threads = process.env.THREADS ?? '1';
const main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');

/** ms/step of the step with scores and importance on, per network, and the backend that ran. */
function bench(kernel) {
  const args = [main, 'bench', '--engines', 'native', '--no-peers', '--threads', threads];
  const res = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_CORETYPE: kernel },
  });
  if (res.status !== 0) throw new Error(`si bench under ${kernel} failed:\n${res.stderr}`);
  // Columns: engine, backend, network, scores, importance, ms/step, best, samples/s (two spaces apart).
  return res.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/))
    .filter((f) => f[0] === 'native' && f[3] === 'on' && f[4] === 'on')
    .map((f) => ({ backend: f[1], network: f[2], ms: Number(f[5]) }));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const times = new Map(); // `${kernel}\t${network}` → { backend, ms: [] }
for (let r = 0; r < rounds; r++) {
  for (const kernel of kernels) {
    for (const { backend, network, ms } of bench(kernel)) {
      const key = `${kernel}\t${network}`;
      if (!times.has(key)) times.set(key, { backend, ms: [] });
      times.get(key).ms.push(ms);
    }
  }
}
const networks = [...new Set([...times.keys()].map((k) => k.split('\t')[1]))];
const rows = [
  ['kernel asked', 'backend that ran', 'network', `ms/step (median of ${rounds})`, `ratio to ${kernels[0]}`],
];
for (const network of networks) {
  const base = median(times.get(`${kernels[0]}\t${network}`).ms);
  for (const kernel of kernels) {
    const { backend, ms } = times.get(`${kernel}\t${network}`);
    rows.push([kernel, backend, network, median(ms).toFixed(2), (median(ms) / base).toFixed(2)]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
for (const row of rows)
  console.log(
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
