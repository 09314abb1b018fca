import test from 'node:test';
import assert from 'node:assert/strict';
import { initParams } from '../../src/model/init';
import {
  cnnSmall,
  layerText,
  modelNetwork,
  networkLayerNames,
  networkShapes,
  parseLayers,
  type NetworkSpec,
} from '../../src/model/network';
import { layerCount, layerSlices, networkModelSpec, paramCount, specLabel } from '../../src/model/spec';

test('cnn-small: shapes, layer names and parameter count on MNIST and CIFAR-10', () => {
  const mnist = cnnSmall([1, 28, 28], 10);
  assert.deepEqual(
    networkShapes(mnist).map((s) => [s.c, s.h, s.w]),
    [
      [32, 28, 28],
      [32, 28, 28],
      [32, 14, 14],
      [64, 14, 14],
      [64, 14, 14],
      [64, 7, 7],
      [3136, 1, 1],
      [512, 1, 1],
      [512, 1, 1],
      [10, 1, 1],
    ],
  );
  assert.deepEqual(networkLayerNames(mnist), ['conv1', 'conv2', 'fc1', 'out']);
  // conv1 1·25·32 + 32, conv2 32·25·64 + 64, fc1 3136·512 + 512, out 512·10 + 10
  assert.equal(paramCount(networkModelSpec(mnist)), 832 + 51264 + 1606144 + 5130);
  // CIFAR-10: 3 channels, 8×8 after two poolings
  assert.equal(paramCount(networkModelSpec(cnnSmall([3, 32, 32], 10))), 2432 + 51264 + 2097664 + 5130);
  assert.equal(layerCount(networkModelSpec(mnist)), 4);
  assert.equal(
    specLabel(networkModelSpec(mnist)),
    '1x28x28 conv32k5p2 relu pool conv64k5p2 relu pool flatten dense512 relu dense10',
  );
});

test('layerSlices: conv weights [c_out, c_in, k, k] then bias, dense W [in, out] then b', () => {
  const spec = networkModelSpec(cnnSmall([3, 32, 32], 10));
  const [conv1, conv2, fc1, out] = layerSlices(spec);
  assert.deepEqual(
    { ...conv1 },
    { name: 'conv1', kind: 'conv2d', fanIn: 75, fanOut: 32, kernel: 5, wOffset: 0, bOffset: 2400, count: 2432 },
  );
  assert.equal(conv2!.wOffset, 2432);
  assert.equal(conv2!.fanIn, 32 * 25);
  assert.deepEqual([fc1!.fanIn, fc1!.fanOut, fc1!.kernel], [4096, 512, 1]);
  assert.equal(out!.wOffset + out!.count, paramCount(spec));
});

test('initParams: conv Glorot bounds use fan_in = c_in·k², fan_out = c_out·k²; the output layer stays zero', () => {
  const spec = networkModelSpec(cnnSmall([1, 28, 28], 10));
  const params = initParams(spec, 1);
  const [conv1, conv2, fc1, out] = layerSlices(spec);
  const maxAbs = (from: number, to: number) => params.subarray(from, to).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (const [s, fanIn, fanOut] of [
    [conv1!, 25, 32 * 25],
    [conv2!, 32 * 25, 64 * 25],
    [fc1!, 3136, 512],
  ] as const) {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const seen = maxAbs(s.wOffset, s.bOffset);
    // Hundreds of uniform draws or more come within 2% of the bound, and never past it.
    assert.ok(seen <= limit && seen > 0.98 * limit, `${s.name}: largest |w| ${seen}, bound ${limit}`);
    assert.equal(maxAbs(s.bOffset, s.wOffset + s.count), 0, `${s.name} biases`);
  }
  assert.equal(maxAbs(out!.wOffset, out!.wOffset + out!.count), 0);
});

test('networkShapes names the layer that does not fit', () => {
  const net = (layers: NetworkSpec['layers'], inputShape: NetworkSpec['inputShape'] = [1, 4, 4]) => ({
    inputShape,
    layers,
  });
  const dense = { kind: 'dense', units: 2 } as const;
  assert.throws(
    () => networkShapes(net([{ kind: 'conv2d', filters: 2, kernel: 7, padding: 1 }, { kind: 'flatten' }, dense])),
    /layer 0 \(conv2d\): a 7×7 kernel does not fit a 4×4 input padded by 1/,
  );
  assert.throws(
    () => networkShapes(net([{ kind: 'flatten' }, { kind: 'maxpool2' }, dense])),
    /layer 1 \(maxpool2\) needs an image, but the layers before it flattened it/,
  );
  assert.throws(() => networkShapes(net([dense])), /layer 0 \(dense\) follows a 4×4 image: put a flatten layer/);
  assert.throws(() => networkShapes(net([{ kind: 'flatten' }])), /must end in a dense layer/);
  assert.throws(
    () => networkShapes(net([{ kind: 'maxpool2' }, { kind: 'maxpool2' }, { kind: 'maxpool2' }, dense])),
    /layer 2 \(maxpool2\): a 1×1 input does not divide into 2×2 windows/,
  );
  assert.throws(() => networkShapes(net([{ kind: 'flatten' }, dense], [0, 4, 4])), /input channels must be a positive/);
  assert.throws(
    () => networkShapes(net([{ kind: 'maxpool2' }, { kind: 'flatten' }, dense], [2, 6, 7])),
    /layer 0 \(maxpool2\): a 6×7 input does not divide into 2×2 windows; pad the convolution/,
  );
  assert.throws(
    () => networkModelSpec(net([{ kind: 'flatten' }, { kind: 'dense', units: 1 }])),
    /classes must be at least 2/,
  );
});

test('a model is a preset or layer words; the output layer over the classes is added', () => {
  assert.deepEqual(modelNetwork('cnn-small', [3, 32, 32], 10), cnnSmall([3, 32, 32], 10));
  const net = modelNetwork('conv8k3p1, relu  pool', [1, 28, 28], 10);
  assert.equal(net.layers.map(layerText).join(' '), 'conv8k3p1 relu pool flatten dense10');
  assert.equal(
    modelNetwork('conv4k5p2 relu pool flatten dense16 relu', [1, 28, 28], 3).layers.map(layerText).join(' '),
    'conv4k5p2 relu pool flatten dense16 relu dense3',
  );
  assert.throws(() => parseLayers('conv8k3 relu'), /'conv8k3' is not a layer: write conv<filters>k<kernel>p<padding>/);
  assert.throws(() => parseLayers(' '), /at least one layer/);
  assert.throws(() => modelNetwork('mlp', [1, 28, 28], 10), /build it with mlpSpec/);
  // 28 → 14 → 7: a third pooling does not divide.
  assert.throws(() => modelNetwork('pool pool pool', [1, 28, 28], 10), /layer 2 \(maxpool2\): a 7×7 input/);
});
