import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags, flagName, type FlagTable } from '../../src/cli/args';

const flags = {
  epochs: { type: 'int', default: 50, min: 1, help: 'epochs' },
  lr: { type: 'number', default: 0.1, help: 'lr' },
  engine: { type: 'string', default: 'auto', choices: ['auto', 'native', 'tfjs'], help: 'engine' },
  hidden: { type: 'int-list', default: [512], help: 'widths' },
  trainSize: { type: 'int', help: 'n' },
} satisfies FlagTable;

test('parses typed flags, kebab-case names and defaults', () => {
  const f = parseFlags(['--epochs', '3', '--lr=0.05', '--hidden', '4,5', '--train-size', '10', 'extra'], flags);
  assert.equal(f.epochs, 3);
  assert.equal(f.lr, 0.05);
  assert.deepEqual(f.hidden, [4, 5]);
  assert.equal(f.trainSize, 10);
  assert.equal(f.engine, 'auto');
  assert.deepEqual(f._, ['extra']);
  assert.equal(flagName('orderSeed'), '--order-seed');
});

test('rejects bad options with the valid values', () => {
  assert.throws(() => parseFlags(['--engine', 'gpu'], flags), /got 'gpu'; valid values: auto, native, tfjs/);
  assert.throws(() => parseFlags(['--epoch', '3'], flags), /unknown option --epoch; valid options: --epochs, --lr/);
  assert.throws(() => parseFlags(['--epochs', '2.5'], flags), /needs an integer, got '2.5'/);
  assert.throws(() => parseFlags(['--epochs', '0'], flags), /must be at least 1/);
  assert.throws(() => parseFlags(['--hidden', '4,x'], flags), /comma-separated positive integers/);
  assert.throws(() => parseFlags(['--epochs'], flags), /needs a value/);
});
