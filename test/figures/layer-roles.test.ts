import test from 'node:test';
import assert from 'node:assert/strict';
import { layerRoles, layersIn, lowerLayersVerdict } from '../../src/figures/inputs';

test("layerRoles: the paper's L1, L2, L3 and Out on an MLP and on a CNN", () => {
  assert.deepEqual(layerRoles(['L1', 'L2', 'L3', 'Out']), {
    first: 'L1',
    second: 'L2',
    third: 'L3',
    output: 'Out',
    lower: ['L1', 'L2', 'L3'],
  });
  assert.deepEqual(layerRoles(['conv1', 'conv2', 'fc1', 'out']), {
    first: 'conv1',
    second: 'conv2',
    third: 'fc1',
    output: 'out',
    lower: ['conv1', 'conv2', 'fc1'],
  });
});

test('layersIn: the layers in order of first appearance, without the All row', () => {
  const rows = ['conv1', 'conv2', 'All', 'conv1', 'out'].map((layer) => ({ layer }));
  assert.deepEqual(layersIn(rows), ['conv1', 'conv2', 'out']);
});

test('lowerLayersVerdict: holds when every lower layer passes, partly when the first does', () => {
  const lower = ['conv1', 'conv2', 'fc1'];
  assert.equal(
    lowerLayersVerdict(lower, () => true),
    'holds',
  );
  assert.equal(
    lowerLayersVerdict(lower, (l) => l === 'conv1'),
    'partly holds',
  );
  assert.equal(
    lowerLayersVerdict(lower, (l) => l !== 'conv1'),
    'does not hold',
  );
});
