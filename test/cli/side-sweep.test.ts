/**
 * A side sweep whose figure data lists its runs (si prune): what an earlier call wrote is handed
 * back, and a file another worker wrote while this one trained is read again before saving, so
 * neither worker's runs drop out of it; options that narrow the sweep narrow the table, not the file.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Option } from '@commander-js/extra-typings';
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

test("side sweep: options that narrow it change the table printed, and the file stays the profile's", (t) =>
  withFigureDataDir(async () => {
    const file = figureDataFile('smoke', 'mnist', 'fig99');
    saveFigureData(file, { runs: frameFromRows([{ key: 'a' }, { key: 'b' }]) });
    const calls: { finishedOnly: boolean; trains: boolean; only: unknown; logs: boolean }[] = [];
    const tables: string[][] = [];
    const command = sideSweepCommand({
      name: 'sweep',
      description: 'a test sweep',
      dataId: 'fig99',
      recordsRuns: true,
      options: [new Option('--only <key>', 'one run only')],
      load: async () => ({
        run: async (_profile, _dataset, ctx: SweepContext, flags): Promise<Frames> => {
          // Like si prune: a narrowed call keeps the recorded runs outside it in otherRuns.
          const { runs: recordedRuns, otherRuns } = ctx.previous!.frames;
          const keys = [...frameRows(recordedRuns!), ...(otherRuns ? frameRows(otherRuns) : [])]
            .map((r) => String(r.key))
            .sort();
          const logs: string[] = [];
          t.mock.method(console, 'error', (line: string) => logs.push(line));
          ctx.log('a note');
          t.mock.restoreAll();
          calls.push({ finishedOnly: ctx.finishedOnly, trains: !!ctx.engine, only: flags.only, logs: logs.length > 0 });
          const inGrid = (key: string) => !flags.only || key === flags.only;
          return {
            runs: frameFromRows(keys.filter(inGrid).map((key) => ({ key }))),
            otherRuns: frameFromRows(keys.filter((key) => !inGrid(key)).map((key) => ({ key }))),
          };
        },
        markdown: (frames) => {
          tables.push(frameRows(frames.runs!).map((r) => String(r.key)));
          return '';
        },
      }),
    });
    await command.parseAsync(['--profile', 'smoke', '--datasets', 'mnist', '--finished-only', '--only', 'b'], {
      from: 'user',
    });
    assert.deepEqual(calls, [
      { finishedOnly: true, trains: false, only: 'b', logs: true },
      { finishedOnly: true, trains: false, only: undefined, logs: false },
    ]);
    assert.deepEqual(tables, [['b']], 'the narrowed table is printed');
    assert.deepEqual(
      frameRows(loadFigureData(file).runs!).map((r) => r.key),
      ['a', 'b'],
      "the profile's figure is saved",
    );
  }));
