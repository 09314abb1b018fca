/**
 * The paper's protocol on a conv net, at smoke size on real MNIST: every figure's data is computed
 * from conv runs, and the claims are judged with the conv layers in the roles of the paper's
 * (conv1 for its L1, out for its Out), as the `cnn` profile does at full size.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import '../../src/engine/index';
import { loadEngine } from '../../src/engine';
import { datasetAvailable } from '../../src/data/locate';
import { runExperiments } from '../../src/experiments/run-experiments';
import { getProfile } from '../../src/experiments/profiles';
import { readRunMetas } from '../../src/experiments/run-summary';
import { figureDataFile } from '../../src/figures/data-file';
import { evaluateClaims } from '../../src/report/claims-table';
import { tempDir, withFigureDataDir } from '../support/tmp';

test('the smoke protocol on a conv net: conv runs, every figure, claims on conv layers', {
  skip: !datasetAvailable('mnist') && 'MNIST is not in the data directory (set SI_DATA_DIR)',
  timeout: 600_000,
}, async () => {
  await withFigureDataDir(async () => {
    // The smoke profile's protocol and name (claims read figure data by profile), on a small conv net,
    // without the benchmarks, as the cnn profile.
    const profile = {
      ...getProfile('smoke'),
      model: 'conv4k3p1 relu pool conv4k3p1 relu pool flatten dense8 relu',
      benchmarks: false,
    };
    const runs = tempDir();
    const log: string[] = [];
    const summary = await runExperiments(profile, {
      engine: await loadEngine('auto'),
      runsDir: runs,
      datasets: ['mnist'],
      log: (line) => log.push(line),
    });
    assert.deepEqual(summary.datasets, ['mnist']);
    const metas = readRunMetas(runs);
    assert.ok(metas.length > 0 && metas.every((m) => m.layers.map((l) => l.name).join() === 'conv1,conv2,fc1,out'));
    assert.deepEqual(
      metas.filter((m) => m.config.subset || m.config.labelNoise).map((m) => m.key),
      [],
      'a benchmark run was trained',
    );
    for (const id of ['fig11', 'fig12'])
      assert.ok(!fs.existsSync(figureDataFile('smoke', 'mnist', id)), `${id} data was written`);
    assert.ok(
      log.some((l) => /fig11 and fig12: not part of .*si prune --profile smoke/.test(l)),
      log.join('\n'),
    );
    const results = evaluateClaims('smoke').flatMap((row) => {
      const result = row.results.mnist;
      return result && 'verdict' in result ? [{ id: row.claim.id, measured: result.measured }] : [];
    });
    const measured = (id: string) => results.find((r) => r.id === id)?.measured ?? '';
    assert.match(measured('l2-over-l3'), /^conv2 \d+\.\d%, fc1 \d+\.\d%/);
    assert.match(measured('top20-lower-layers'), /conv1 .*conv2 .*fc1 .*out/);
    assert.ok(results.length > 10, `${results.length} claims judged`);
    assert.ok(
      results.every((r) => !/NaN/.test(r.measured)),
      results.map((r) => r.measured).join('\n'),
    );
  });
});
