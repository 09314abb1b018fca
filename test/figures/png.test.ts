import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decode } from 'fast-png';
import { imageDataUrl, interleaveBytes } from '../../src/figures/png';

const decodeUrl = (url: string) => decode(Buffer.from(url.split(',')[1] ?? '', 'base64'));

test('grey image: a PNG data URL that decodes to the pixels scaled to 0–255', () => {
  const url = imageDataUrl(
    [2, 3, 1],
    Float32Array.from({ length: 6 }, (_, k) => (k * 40) / 255),
  );
  assert.match(url, /^data:image\/png;base64,/);
  const png = decodeUrl(url);
  assert.deepEqual([png.width, png.height, png.channels, png.depth], [3, 2, 1, 8]);
  assert.deepEqual([...png.data], [0, 40, 80, 120, 160, 200]);
});

test('RGB from planar floats: channels interleaved, clamped to [0, 1]', () => {
  // 1×2 image, planes R = [1, 0], G = [0, 1.5], B = [0.5, -1].
  const planar = Float32Array.from([1, 0, 0, 1.5, 0.5, -1]);
  assert.deepEqual([...interleaveBytes([1, 2, 3], planar)], [255, 0, 128, 0, 255, 0]);
  const png = decodeUrl(imageDataUrl([1, 2, 3], planar));
  assert.deepEqual([png.width, png.height, png.channels], [2, 1, 3]);
  assert.deepEqual([...png.data], [255, 0, 128, 0, 255, 0]);
  assert.throws(() => imageDataUrl([1, 1, 2], new Float32Array(2)), /1 or 3 channels, got 2/);
});
