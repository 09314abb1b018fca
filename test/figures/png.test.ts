import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'zlib';
import { crc32, encodePng, imageDataUrl, interleaveBytes } from '../../src/figures/png';

/** Chunks of a PNG: type and data, checking each CRC. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('ascii');
    const data = png.subarray(at + 8, at + 8 + len);
    assert.equal(png.readUInt32BE(at + 8 + len), crc32(png.subarray(at + 4, at + 8 + len)), `${type} CRC`);
    out.push({ type, data });
    at += 12 + len;
  }
  return out;
}

test('CRC-32 of "IEND" is the PNG constant', () => {
  assert.equal(crc32(Buffer.from('IEND')), 0xae426082);
});

test('grey PNG: signature, IHDR size and type, IDAT inflates to filtered rows of the original bytes', () => {
  const pixels = Uint8Array.from({ length: 3 * 2 }, (_, k) => k * 40);
  const png = encodePng(3, 2, 1, pixels);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const [ihdr, idat, iend] = chunks(png);
  assert.equal(ihdr.type, 'IHDR');
  assert.deepEqual([ihdr.data.readUInt32BE(0), ihdr.data.readUInt32BE(4), ihdr.data[8], ihdr.data[9]], [3, 2, 8, 0]);
  assert.equal(idat.type, 'IDAT');
  assert.deepEqual([...zlib.inflateSync(idat.data)], [0, 0, 40, 80, 0, 120, 160, 200]);
  assert.equal(iend.type, 'IEND');
});

test('RGB from planar floats: channels interleaved, colour type 2', () => {
  // 1×2 image, planes R = [1, 0], G = [0, 1], B = [0.5, 0].
  const planar = Float32Array.from([1, 0, 0, 1, 0.5, 0]);
  assert.deepEqual([...interleaveBytes([1, 2, 3], planar)], [255, 0, 128, 0, 255, 0]);
  const url = imageDataUrl([1, 2, 3], planar);
  assert.match(url, /^data:image\/png;base64,/);
  const [ihdr, idat] = chunks(Buffer.from(url.split(',')[1], 'base64'));
  assert.equal(ihdr.data[9], 2);
  assert.deepEqual([...zlib.inflateSync(idat.data)], [0, 255, 0, 128, 0, 255, 0]);
});
