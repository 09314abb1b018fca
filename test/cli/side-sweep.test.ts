/**
 * A side sweep whose figure data lists its runs (si prune): what an earlier call wrote is handed
 * back, and a file another worker wrote while this one trained is read again before saving, so
 * neither worker's runs drop out of it.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { frameFromRows, frameRows, type Frames } from '../../src/analysis/frames';
import { sideSweepCommand, type SweepContext } from '../../src/cli/side-sweep';
import { figureDataFile, loadFigureData, saveFigureData } from '../../src/figures/data-file';
import { withFigureDataDir } from '../support/tmp';

test('side sweep: the recorded figure data is read again when another worker wrote it meanwhile', () =>
  withFigureDataDir(async () => {
    const file = figureDataFile('smoke', 'mnist', 'fig99');
    saveFigureData(file, { runs: frameFromRows([{ key: 'a' }]) });
    const calls: { finishedOnly: boolean; trains: boolean; keys: string[] }[] = [];
    const command = sideSweepCommand({
      name: 'sweep',
      description: 'a test sweep',
      dataId: 'fig99',
      recordsRuns: true,
      load: async () => ({
        run: async (_profile, _dataset, ctx: SweepContext): Promise<Frames> => {
          const keys = ctx.previous ? frameRows(ctx.previous.frames.runs!).map((r) => String(r.key)) : [];
          calls.push({ finishedOnly: ctx.finishedOnly, trains: ctx.engine !== undefined, keys });
          // The first call: another worker saves its runs before this one is done.
          if (calls.length === 1) saveFigureData(file, { runs: frameFromRows([{ key: 'a' }, { key: 'b' }]) });
          return { runs: frameFromRows([...keys, 'c'].map((key) => ({ key }))) };
        },
        markdown: () => '',
      }),
    });
    await command.parseAsync(['--profile', 'smoke', '--datasets', 'mnist', '--engine', 'tfjs'], { from: 'user' });
    // The second call makes the table again from both workers' runs, training nothing.
    assert.deepEqual(calls, [
      { finishedOnly: false, trains: true, keys: ['a'] },
      { finishedOnly: true, trains: false, keys: ['a', 'b'] },
    ]);
    assert.deepEqual(
      frameRows(loadFigureData(file).runs!).map((r) => r.key),
      ['a', 'b', 'c'],
    );
  }));
