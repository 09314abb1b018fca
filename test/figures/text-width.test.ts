import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { helveticaWidth } from '../../src/figures/text-width';

test("text is as wide as Helvetica draws it, not Vega's 0.8 em a character", () => {
  // 'epoch' in Helvetica: e 556 + p 556 + o 556 + c 500 + h 556 = 2.724 em; at 12 px, 32.7 px (+5% margin).
  const width = helveticaWidth({ fontSize: 12 }, 'epoch');
  assert.ok(Math.abs(width - 2.724 * 12 * 1.05) < 1e-9, `${width}`);
  assert.ok(width < 0.8 * 5 * 12, 'narrower than the estimate without a canvas');
  assert.ok(helveticaWidth({ fontSize: 12, fontWeight: 'bold' }, 'epoch') > width, 'bold is wider');
  assert.ok(helveticaWidth({ fontSize: 12 }, 'τ α') > helveticaWidth({ fontSize: 12 }, '  '), 'non-ASCII counts');
  assert.equal(helveticaWidth({ fontSize: 12, limit: 20 }, 'a long legend label'), 20, 'a label limit caps it');
  assert.equal(helveticaWidth({ fontSize: 12, text: 'epoch' }), width, "the item's own text by default");
});
