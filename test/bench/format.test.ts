import test from 'node:test';
import assert from 'node:assert/strict';
import { formatBenchRows } from '../../src/bench/format';
import { benchNetworks, PAPER_NETWORKS } from '../../src/bench/networks';
import type { BenchRow } from '../../src/bench/step-bench';

const row = (engine: string, importance: boolean, scores: boolean, msPerStep: number): BenchRow => ({
  engine,
  backend: engine,
  network: 'cifar10 cnn-small 3x32x32',
  importance,
  scores,
  msPerStep,
});

test('benchNetworks: the paper MLPs, cnn-small with its PyTorch key, layer words without a peer', () => {
  assert.equal(benchNetworks('mlp'), PAPER_NETWORKS);
  assert.deepEqual(
    benchNetworks('cnn-small').map((n) => [n.label, n.sizes]),
    [
      ['mnist cnn-small 1x28x28', 'cnn-small:1x28x28'],
      ['cifar10 cnn-small 3x32x32', 'cnn-small:3x32x32'],
    ],
  );
  assert.equal(benchNetworks('conv4k3p1 relu pool')[0]!.sizes, undefined);
});

test('formatBenchRows: importance overhead against the scores step, a peer against its plain step', () => {
  const text = formatBenchRows([
    row('native', false, false, 200),
    row('native', false, true, 200),
    row('native', true, true, 210),
    row('torch', false, false, 250),
    row('torch', true, false, 2250),
  ]);
  assert.match(text, /importance overhead native cifar10 cnn-small 3x32x32: 5\.0% median/);
  assert.match(text, /importance overhead torch cifar10 cnn-small 3x32x32: 800\.0% median/);
  assert.match(text, /native\/torch cifar10 cnn-small 3x32x32: 0\.80 \(below 1 is faster\)/);
});
