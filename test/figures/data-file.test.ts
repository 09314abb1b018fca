/** Figure data files: what a damaged or foreign file is told apart by, naming the file. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frameFromRows, frameRows } from '../../src/analysis/frames';
import { loadFigureData, saveFigureData } from '../../src/figures/data-file';
import { tempDir } from '../support/tmp';

test('figure data: saved and read back; a cut-off or foreign file is refused by name', () => {
  const file = path.join(tempDir(), 'fig11.json');
  saveFigureData(file, { runs: frameFromRows([{ key: 'mnist-1', testError: 0.0185 }]) });
  assert.deepEqual(frameRows(loadFigureData(file).runs!), [{ key: 'mnist-1', testError: 0.0185 }]);

  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.slice(0, text.length / 2));
  assert.throws(
    () => loadFigureData(file),
    (err: Error) => err.message.startsWith(`${file} is not a figure data file: `),
  );
  fs.writeFileSync(file, '{"format": "other@1", "frames": {}}');
  assert.throws(() => loadFigureData(file), /is not a figure data file \(format other@1, expected .*figure-data@1\)/);
});
