// tensorHash layout: sha256(dtype ‖ 0x00 ‖ u32le rank ‖ u32le dims ‖ little-endian elements), NaNs canonical.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { tensorHash, tensorHashHex } from '../tensor-hash.ts';
import { tensorF32, tensorI32 } from '../tensor.ts';
import { f32 } from '../f32.ts';
import { bytesToHex } from '../../crypto/hash.ts';

function manual(dtype: string, shape: number[], elems: number[]): string {
  const h = createHash('sha256');
  h.update(Buffer.from(dtype, 'utf8'));
  h.update(Buffer.from([0]));
  const hdr = Buffer.alloc(4 * (1 + shape.length));
  hdr.writeUInt32LE(shape.length, 0);
  shape.forEach((d, i) => hdr.writeUInt32LE(d, 4 + 4 * i));
  h.update(hdr);
  const body = Buffer.alloc(4 * elems.length);
  elems.forEach((b, i) => body.writeUInt32LE(b >>> 0, 4 * i));
  h.update(body);
  return `0x${h.digest('hex')}`;
}

describe('tensorHash', () => {
  it('hashes the documented byte layout', () => {
    expect(tensorHashHex(tensorF32([2, 2], [1, -0, 0.5, -2]))).toBe(manual('f32', [2, 2], [0x3f800000, 0x80000000, 0x3f000000, 0xc0000000]));
    expect(tensorHashHex(tensorI32([3], [-1, 0, 7]))).toBe(manual('i32', [3], [0xffffffff, 0, 7]));
    expect(tensorHashHex(tensorF32([], [1]))).toBe(manual('f32', [], [0x3f800000]));
  });

  it('canonicalises every NaN and leaves the tensor untouched', () => {
    const t = tensorF32([3], [f32(0xffc00000), f32(0x7f800001), 1]);
    expect(tensorHashHex(t)).toBe(manual('f32', [3], [0x7fc00000, 0x7fc00000, 0x3f800000]));
    expect(new Uint32Array(t.data.buffer)[0]).toBe(0xffc00000);
  });

  it('separates dtype, shape and the sign of zero', () => {
    const hashes = [
      tensorHash(tensorF32([4], [0, 0, 0, 0])),
      tensorHash(tensorI32([4], [0, 0, 0, 0])),
      tensorHash(tensorF32([2, 2], [0, 0, 0, 0])),
      tensorHash(tensorF32([4], [-0, 0, 0, 0])),
    ].map(bytesToHex);
    expect(new Set(hashes).size).toBe(4);
  });

  it('hashes views of a larger buffer by their own elements', () => {
    const big = new Float32Array([9, 1, 2, 9]);
    expect(tensorHashHex(tensorF32([2], big.subarray(1, 3)))).toBe(tensorHashHex(tensorF32([2], [1, 2])));
  });
});
