#!/usr/bin/env node
/**
 * How much do the pruning subsets two scoring runs choose have in common? For two runs of one
 * config trained on different BLAS kernels (their rounding differs), or different seeds: per score
 * and strategy, the share of one run's kept samples the other keeps too, at each kept fraction.
 * Reads the built library (dist/).
 *
 * @example
 *   # the paper grid's MNIST scoring run, and the same run retrained on another kernel elsewhere
 *   # (OPENBLAS_CORETYPE=Haswell SI_RUNS_DIR=/tmp/other npx si prune --profile paper --datasets mnist,
 *   # stopped once the scoring run is done)
 *   node scripts/subset-overlap.js runs/mnist-f73e0e4aad44 /tmp/other/mnist-f73e0e4aad44
 */
'use strict';
const { openRun } = require('../dist/run/open-run');
const { sampleScores } = require('../dist/scores/sample-scores');
const { selectSubset } = require('../dist/scores/subset-selection');

const dirs = process.argv.slice(2);
if (dirs.length !== 2) {
  console.error('usage: node scripts/subset-overlap.js RUN_DIR OTHER_RUN_DIR');
  process.exit(2);
}
const runs = dirs.map(openRun);
const epoch = Math.min(...runs.map((r) => r.epochs));
const names = ['tau', 'el2n', 'forgetting', 'aum'];
const [a, b] = runs.map((run) => sampleScores(run, { epoch, scores: names }));
for (const run of runs)
  console.log(`${run.dir}: ${run.meta.engine.backend}, test error ${run.meta.metrics.at(-1).testError}`);
const fractions = [0.9, 0.7, 0.5, 0.3, 0.2, 0.1];
console.log(`kept samples in common (scores from epochs 1 … ${epoch})`);
console.log(['score', 'strategy', ...fractions.map((f) => `kept ${f}`)].join('\t'));
for (const score of names) {
  for (const strategy of ['hard', 'stratified']) {
    const shares = fractions.map((fraction) => {
      const opts = { score, strategy, fraction, seed: 1 };
      const other = new Set(selectSubset(b[score], opts));
      const kept = selectSubset(a[score], opts);
      const common = kept.reduce((n, p) => n + (other.has(p) ? 1 : 0), 0);
      return `${((100 * common) / kept.length).toFixed(1)}%`;
    });
    console.log([score, strategy, ...shares].join('\t'));
  }
}
