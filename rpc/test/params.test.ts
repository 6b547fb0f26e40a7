// The `data` parameter parser against the rule it implements: 0x, then hex pairs (either case).
import fc from 'fast-check';
import { hexToBytes as viemHexToBytes, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { data } from '../params.ts';

const RULE = /^0x([0-9a-fA-F]{2})*$/;
const chars = fc.constantFrom(...'0123456789abcdefABCDEFxgG -\u00e9'.split(''));

describe('data parameter', () => {
  it('accepts exactly 0x-prefixed even-length hex, with the right bytes in a buffer of their own', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: chars, maxLength: 40 }).map((s) => `0x${s}`), fc.string({ unit: chars, maxLength: 12 })), (s) => {
        let got: Uint8Array | null = null;
        try {
          got = data(s, 'params[0]');
        } catch (e) {
          expect((e as Error).message).toContain('params[0]');
        }
        expect(got !== null).toBe(RULE.test(s));
        if (got !== null) {
          expect(got).toEqual(viemHexToBytes(s as Hex));
          expect(got.byteOffset).toBe(0);
          expect(got.buffer.byteLength).toBe(got.length);
        }
      }),
      { numRuns: 3000 },
    );
    for (const bad of [null, 7, '0x0', '0xzz', 'ab', '0x0g', '0x00 ']) expect(() => data(bad, 'p')).toThrow();
  });
});
