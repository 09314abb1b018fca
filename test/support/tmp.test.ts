import test from 'node:test';
import assert from 'node:assert/strict';
import { withFigureDataDir } from './tmp';

test('withFigureDataDir restores the variable after a synchronous body, a throw and a promise', async () => {
  const saved = process.env.SI_FIGURE_DATA_DIR;
  process.env.SI_FIGURE_DATA_DIR = '/outside';
  try {
    const inside = withFigureDataDir(() => process.env.SI_FIGURE_DATA_DIR);
    assert.notEqual(inside, '/outside');
    assert.equal(process.env.SI_FIGURE_DATA_DIR, '/outside');

    const fails = () => {
      throw new Error('body failed');
    };
    assert.throws(() => withFigureDataDir(fails), /body failed/);
    assert.equal(process.env.SI_FIGURE_DATA_DIR, '/outside');

    let during: string | undefined;
    const pending = withFigureDataDir(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      during = process.env.SI_FIGURE_DATA_DIR;
      throw new Error('async body failed');
    });
    assert.notEqual(process.env.SI_FIGURE_DATA_DIR, '/outside', 'restored before the promise settled');
    await assert.rejects(pending, /async body failed/);
    assert.notEqual(during, '/outside');
    assert.equal(process.env.SI_FIGURE_DATA_DIR, '/outside');
  } finally {
    if (saved === undefined) delete process.env.SI_FIGURE_DATA_DIR;
    else process.env.SI_FIGURE_DATA_DIR = saved;
  }
});
