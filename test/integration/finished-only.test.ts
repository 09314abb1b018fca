import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { datasetAvailable } from '../../src/data/locate';
import * as path from 'node:path';
import { frameRows } from '../../src/analysis/frames';
import { figureDataFile, loadFigureData, loadFigureMeta, perSeedDataId } from '../../src/figures/data-file';
import { pruningBenchmark } from '../../src/experiments/pruning';
import { getProfile } from '../../src/experiments/profiles';
import { runExperiments } from '../../src/experiments/run-experiments';
import { trainProfileRuns } from '../../src/experiments/train-runs';
import { tempDir, withFigureDataDir } from '../support/tmp';

const profile = getProfile('smoke');
const noMnist = datasetAvailable('mnist') ? false : 'MNIST is not in the data directory';

test('--finished-only skips a dataset whose seed-1 run is missing, with the command that trains it', {
  skip: noMnist,
}, async () => {
  const summary = await runExperiments(profile, {
    engine: await loadEngine('auto'),
    runsDir: tempDir(),
    datasets: ['mnist'],
    finishedOnly: true,
  });
  assert.deepEqual(summary.datasets, []);
  const skipped = summary.skipped[0];
  assert.ok(skipped, 'mnist was not skipped');
  assert.match(skipped.notice, /seed-1 run is not finished.*si experiments --profile smoke --datasets mnist/);
});

test('--finished-only trains nothing and counts the runs behind each figure', { skip: noMnist }, async () => {
  const engine = await loadEngine('auto');
  const runsDir = tempDir();
  const runs = await trainProfileRuns(profile, 'mnist', { engine, runsDir });
  const second = runs.constructionRuns.NLO[1];
  assert.ok(second, 'no second NLO run');
  const dropped = second.dir;
  fs.rmSync(dropped, { recursive: true });
  await withFigureDataDir(async () => {
    await runExperiments(profile, { engine, runsDir, datasets: ['mnist'], finishedOnly: true });
    assert.ok(!fs.existsSync(dropped), 'the missing run was not trained');
    const meta = loadFigureMeta(figureDataFile('smoke', 'mnist', 'fig07'));
    assert.deepEqual(meta.runs, {
      seeds: 3,
      ownOrderSeeds: 3,
      Rand: 2,
      NLO: 1,
      RNLO: 2,
      NLM: 2,
      SIO: 2,
      RSIO: 2,
      SIM: 2,
    });
    // A seed-1 figure is computed from seeds 2 and 3 too, each from its own run.
    for (const [k, run] of runs.seedRuns.slice(1).entries()) {
      const file = figureDataFile('smoke', 'mnist', perSeedDataId('fig02', k + 2));
      assert.equal(loadFigureMeta(file).seedRun, run.meta.key);
    }
    assert.ok(
      !fs.existsSync(figureDataFile('smoke', 'mnist', perSeedDataId('fig07', 2))),
      'not for construction figures',
    );

    // Figure 11's runs, once recorded in its figure data, stay results when the runs folder loses them.
    await pruningBenchmark(profile, 'mnist', { engine, runsDir });
    await runExperiments(profile, { engine, runsDir, datasets: ['mnist'], finishedOnly: true });
    const fig11 = figureDataFile('smoke', 'mnist', 'fig11');
    const recorded = frameRows(loadFigureData(fig11).runs!);
    assert.ok(recorded.length > 0 && recorded.every((r) => r.status === 'complete'));
    for (const r of recorded) fs.rmSync(path.join(runsDir, r.key as string), { recursive: true });
    await runExperiments(profile, { engine, runsDir, datasets: ['mnist'], finishedOnly: true });
    assert.deepEqual(frameRows(loadFigureData(fig11).runs!), recorded);
  });
});
