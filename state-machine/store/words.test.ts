import fc from 'fast-check';
import { decodeAbiParameters, encodeAbiParameters } from 'viem';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../crypto/hash.ts';
import { encodeWords, readWord } from './words.ts';

// every width: the small-value fast paths and the 64-bit limb boundaries
const u256 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.integer({ min: 1, max: 256 }).chain((bits) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n })),
  fc.constantFrom(0n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) - 1n, 1n << 192n, (1n << 256n) - 1n),
);

describe('uint256 words', () => {
  it('encode exactly as abi.encode(uint256, uint256) and read back', () => {
    fc.assert(
      fc.property(u256, u256, (a, b) => {
        const w = encodeWords(a, b);
        expect(bytesToHex(w)).toBe(encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [a, b]));
        expect([readWord(w, 0), readWord(w, 1)]).toEqual([...decodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], bytesToHex(w))]);
        // a word read from a subarray view honours its offset
        expect(readWord(w.subarray(32), 0)).toBe(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses values outside uint256 and reads beyond the value', () => {
    expect(() => encodeWords(-1n)).toThrow(RangeError);
    expect(() => encodeWords(1n << 256n)).toThrow(RangeError);
    expect(() => readWord(encodeWords(1n), 1)).toThrow(RangeError);
  });
});
