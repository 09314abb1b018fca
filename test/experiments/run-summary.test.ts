import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getProfile } from '../../src/experiments/profiles';
import { isProfileRun, seedRunConfig } from '../../src/experiments/plan';
import { readRunMetas, runGroup, summarizeRuns } from '../../src/experiments/run-summary';
import { resolveRunConfig, runKey, type RunConfig, type RunConfigInput } from '../../src/run/config';
import type { RunMeta, RunStatus } from '../../src/run/record';
import { adHocRunsMarkdown, runsMarkdown } from '../../src/report/runs-table';
import { tempDir } from '../support/tmp';

/** A run.json with two epochs: test errors `testErrors[1..2]`, 10 s of training each. */
function meta(cfg: RunConfig, status: RunStatus, testErrors: [number, number], trainError = 0.01): RunMeta {
  const row = (epoch: number, testError: number) => ({
    epoch,
    trainLoss: 0.1,
    trainError,
    testLoss: 0.2,
    testError,
    trainSeconds: epoch === 0 ? 0 : 10,
  });
  return {
    schemaVersion: 1,
    key: runKey(cfg),
    status,
    config: cfg,
    engine: { name: 'native', backend: 'cpu', package: 'x', node: 'v20' },
    layers: [],
    paramCount: 0,
    epochsCompleted: status === 'diverged' ? 1 : 2,
    metrics: [row(0, 0.9), row(1, testErrors[0]), ...(status === 'diverged' ? [] : [row(2, testErrors[1])])],
    snapshots: [],
    divergence: status === 'diverged' ? { epoch: 2, samplesSeen: 100, message: 'x' } : null,
    createdAt: '',
    updatedAt: '',
  };
}

const base: RunConfigInput = { dataset: 'mnist', trainSize: 200, testSize: 50, hidden: [8], batchSize: 20, epochs: 2 };
const fixed = (name: string, seed: number) =>
  resolveRunConfig({ ...base, seed, order: { kind: 'fixed', name, hash: 'h' } });

test('runs are grouped as shared-order seeds, own-order seeds and constructions', () => {
  assert.equal(runGroup(meta(resolveRunConfig({ ...base, seed: 2 }), 'complete', [0.1, 0.1])), 'seeds (shared order)');
  // Given the profile's seeds, a benchmark's run of another seed is grouped apart.
  const seed11 = meta(resolveRunConfig({ ...base, seed: 11 }), 'complete', [0.1, 0.1]);
  assert.equal(runGroup(seed11, [1, 2, 3]), "other seeds (the benchmarks' full-data runs)");
  assert.equal(runGroup(seed11), 'seeds (shared order)');
  assert.equal(
    runGroup(meta(resolveRunConfig({ ...base, seed: 2, orderSeed: 2 }), 'complete', [0.1, 0.1])),
    'seeds (own order)',
  );
  assert.equal(
    runGroup(meta(resolveRunConfig({ ...base, seed: 2, orderSeed: 7 }), 'complete', [0.1, 0.1])),
    'order seed 7',
  );
  assert.equal(runGroup(meta(fixed('NLO', 3), 'complete', [0.1, 0.1])), 'NLO');
});

test('a group summary: counts, error ranges over complete runs only, best epoch, compute over all runs', () => {
  const metas = [
    meta(fixed('SIO', 1), 'complete', [0.3, 0.2]),
    meta(fixed('SIO', 2), 'complete', [0.1, 0.25], 0.05),
    meta(fixed('SIO', 3), 'diverged', [0.5, 0]),
    meta(fixed('Rand', 1), 'complete', [0.4, 0.3]),
    meta(resolveRunConfig({ ...base, dataset: 'cifar10' }), 'complete', [0.6, 0.5]),
    meta(resolveRunConfig({ ...base, seed: 1 }), 'complete', [0.2, 0.2]),
  ];
  const groups = summarizeRuns(metas);
  assert.deepEqual(
    groups.map((g) => `${g.dataset} ${g.group}`),
    ['mnist seeds (shared order)', 'mnist Rand', 'mnist SIO', 'cifar10 seeds (shared order)'],
  );
  const sio = groups[2];
  assert.ok(sio, 'no SIO group');
  assert.deepEqual(
    [sio.runs, sio.complete, sio.diverged, sio.divergedAt, sio.epochs, sio.trainSeconds],
    [3, 2, 1, [2], 5, 50],
  );
  assert.deepEqual(sio.finalTestError, [0.2, 0.25]);
  assert.deepEqual(sio.bestTestError, [0.1, 0.2]);
  assert.deepEqual(sio.finalTrainError, [0.01, 0.05]);

  const md = runsMarkdown(groups);
  assert.match(
    md,
    new RegExp(
      String.raw`\| MNIST \| SIO: 2 complete, 1 diverged \(epoch 2\) \| 22\.50% ± 2\.50 \(20\.00%–25\.00%\) \| ` +
        String.raw`10\.00%–20\.00% \| 1\.00%–5\.00% \| 1–2 of 2 \| 0\.01 h \|`,
    ),
  );
  assert.match(md, /MNIST: 5 runs, 9 epochs, 0\.03 h of training passes; CIFAR-10: 1 runs, 2 epochs/);
  assert.equal(runsMarkdown([]), '_no runs_\n');
});

test('runs of no profile are listed one by one with their epochs, status and network', () => {
  const running = meta(resolveRunConfig({ ...base, hidden: [16, 16] }), 'complete', [0.3, 0.2]);
  running.status = 'running';
  running.epochsCompleted = 1;
  const md = adHocRunsMarkdown([running, meta(fixed('SIO', 1), 'diverged', [0.5, 0])]);
  assert.match(
    md,
    new RegExp(`\\| MNIST \\| ${running.key} \\| running \\| 1 of 2 \\| 20\\.00% \\| 16×16 \\| 200 / 50 \\|`),
  );
  assert.match(md, /\| diverged \| 1 of 2 \| 50\.00% \| 8 \|/);
  assert.equal(adHocRunsMarkdown([]), '_none_\n');
});

test(
  'readRunMetas reads every run.json of a folder; ' +
    "isProfileRun keeps a profile's runs whatever their seed and order",
  () => {
    const dir = tempDir();
    const smoke = getProfile('smoke');
    const ours = seedRunConfig(smoke, 'cifar10', 3, 3);
    const other = resolveRunConfig(base);
    for (const cfg of [ours, other]) {
      fs.mkdirSync(path.join(dir, runKey(cfg)));
      fs.writeFileSync(path.join(dir, runKey(cfg), 'run.json'), JSON.stringify(meta(cfg, 'complete', [0.1, 0.1])));
    }
    fs.mkdirSync(path.join(dir, 'not-a-run'));
    const metas = readRunMetas(dir);
    assert.equal(metas.length, 2);
    assert.deepEqual(
      metas.filter((m) => isProfileRun(smoke, m.config)).map((m) => m.key),
      [runKey(ours)],
    );
    assert.equal(isProfileRun(getProfile('quick'), ours), false);
    assert.deepEqual(readRunMetas(path.join(dir, 'missing')), []);
  },
);

test('a run.json that cannot be read is skipped with a warning naming it; the other runs are listed', () => {
  const runsDir = tempDir();
  const cfg = resolveRunConfig({ dataset: 'mnist', trainSize: 100, testSize: 50, epochs: 2 });
  fs.mkdirSync(path.join(runsDir, runKey(cfg)));
  fs.writeFileSync(path.join(runsDir, runKey(cfg), 'run.json'), JSON.stringify(meta(cfg, 'complete', [0.5, 0.4])));
  const cases: [string, string, RegExp][] = [
    [
      'mnist-future',
      '{"schemaVersion": 7}',
      /run\.json is a run record of schema version 7; .* reads versions 1 and 2/,
    ],
    ['mnist-truncated', '{"schemaVersion": 1, "key": "mni', /run\.json is not a readable run record \(.*JSON.*\)/],
  ];
  for (const [name, content] of cases) {
    fs.mkdirSync(path.join(runsDir, name));
    fs.writeFileSync(path.join(runsDir, name, 'run.json'), content);
  }
  const warnings: string[] = [];
  assert.deepEqual(
    readRunMetas(runsDir, (w) => warnings.push(w)).map((m) => m.key),
    [runKey(cfg)],
  );
  assert.equal(warnings.length, 2);
  cases.forEach(([name, , problem], k) => {
    assert.ok(
      warnings[k]?.startsWith(`warning: skipping ${name}: ${path.join(runsDir, name, 'run.json')}`),
      warnings[k],
    );
    assert.match(warnings[k] ?? '', problem);
  });
});

test("si runs: each profile's runs apart, then the runs of no profile one by one", () => {
  const dir = tempDir();
  const smokeRun = seedRunConfig(getProfile('smoke'), 'mnist', 1);
  const adHoc = resolveRunConfig(base);
  for (const cfg of [smokeRun, adHoc]) {
    fs.mkdirSync(path.join(dir, runKey(cfg)));
    fs.writeFileSync(path.join(dir, runKey(cfg), 'run.json'), JSON.stringify(meta(cfg, 'complete', [0.1, 0.1])));
  }
  const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
  const res = spawnSync(process.execPath, [main, 'runs', '--out', dir], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const [smoke, none] = res.stdout.split('## Runs of no profile') as [string, string];
  assert.match(smoke, /^## smoke profile\n/);
  assert.match(smoke, /\| MNIST \| seeds \(shared order\): 1 complete \|.*\| 2 of 5 \|/);
  assert.ok(!smoke.includes(runKey(adHoc)) && none.includes(runKey(adHoc)), res.stdout);
  assert.ok(!none.includes(runKey(smokeRun)), 'a profile run is not listed as ad hoc');
  assert.doesNotMatch(res.stdout, /## (quick|paper) profile/);
});

test('si runs --datasets lists only those datasets, and --into names the option in its provenance', () => {
  const dir = tempDir();
  const profile = getProfile('smoke');
  for (const cfg of [seedRunConfig(profile, 'mnist', 1), seedRunConfig(profile, 'cifar10', 1)]) {
    fs.mkdirSync(path.join(dir, runKey(cfg)));
    fs.writeFileSync(path.join(dir, runKey(cfg), 'run.json'), JSON.stringify(meta(cfg, 'complete', [0.1, 0.1])));
  }
  const doc = path.join(tempDir(), 'R.md');
  fs.writeFileSync(doc, '<!-- runs:begin -->\n<!-- runs:end -->\n');
  const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
  const args = ['runs', '--out', dir, '--profile', 'smoke', '--datasets', 'cifar10', '--into', doc];
  const res = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const table = fs.readFileSync(doc, 'utf8');
  assert.match(table, /\| CIFAR-10 \| seeds \(shared order\): 1 complete \|/);
  assert.doesNotMatch(table, /\| MNIST \|/);
  assert.match(table, /si runs --profile smoke --datasets cifar10 --into R\.md/);
  const bad = spawnSync(process.execPath, [main, 'runs', '--out', dir, '--datasets', 'imagenet'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /unknown dataset imagenet; valid datasets: /);
});
