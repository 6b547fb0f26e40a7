// Philox4x32-10 against the Random123 known-answer vectors, and the derived samplers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { philox4x32, philoxKey, philoxFill, PhiloxStream, permutation, uniformF32, normalF32, streamWords } from '../rng.ts';
import { RepOpsError } from '../errors.ts';

describe('Philox4x32-10', () => {
  it('matches the Random123 known-answer vectors', () => {
    const out = new Uint32Array(4);
    const kat: [number[], number[], number[]][] = [
      [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
      [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
      [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
    ];
    for (const [c, k, want] of kat) {
      philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
      expect([...out]).toEqual(want);
    }
  });

  it('a sequential stream reads the same words as random access', () => {
    const key = philoxKey(123n);
    const [s0, s1] = streamWords(2 ** 40 + 5);
    const words = new Uint32Array(37);
    philoxFill(key, s0, s1, words);
    const rs = new PhiloxStream(123, 2 ** 40 + 5);
    expect(Array.from({ length: 37 }, () => rs.nextU32())).toEqual([...words]);
    expect(rs.position).toBe(37);
  });

  it('seeds: the same 64-bit value in any spelling gives the same key; out of range is rejected', () => {
    expect(philoxKey('0xffffffffffffffff')).toEqual(philoxKey(18446744073709551615n));
    expect(philoxKey(5)).toEqual(philoxKey('5'));
    expect(philoxKey(2 ** 32 + 7)).toEqual({ k0: 7, k1: 1 });
    expect(() => philoxKey(-1)).toThrow(RepOpsError);
    expect(() => philoxKey(1n << 64n)).toThrow(RepOpsError);
    expect(() => philoxKey('zz')).toThrow(RepOpsError);
  });
});

describe('samplers', () => {
  it('uniform values are multiples of 2^-24 in [0, 1) with a plausible mean', () => {
    const u = uniformF32(20000, 1, 0);
    let mean = 0;
    for (const v of u) {
      expect(v >= 0 && v < 1 && Number.isInteger(v * 2 ** 24)).toBe(true);
      mean += v / u.length;
    }
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('normals have mean ≈ 0 and variance ≈ 1 and are finite', () => {
    const z = normalF32(20000, 2, 0);
    let m = 0, v = 0;
    for (const x of z) m += x / z.length;
    for (const x of z) v += (x - m) ** 2 / z.length;
    expect(z.every(Number.isFinite)).toBe(true);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });

  it('randBelow stays in range and rejects values above the largest multiple of n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 }), fc.nat(1000), (n, stream) => {
        const rs = new PhiloxStream(3, stream);
        for (let i = 0; i < 20; i++) {
          const r = rs.randBelow(n);
          expect(Number.isInteger(r) && r >= 0 && r < n).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    // n = 3·2^30: 2^32 mod n = 2^30, so words >= 3·2^30 are rejected and more than one word is drawn sometimes
    const rs = new PhiloxStream(3, 1);
    for (let i = 0; i < 100; i++) rs.randBelow(3 * 2 ** 30);
    expect(rs.position).toBeGreaterThan(100);
  });

  it('permutation is a deterministic permutation of 0..n-1 that depends on seed and stream', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n, seed) => {
        const p = permutation(n, seed, 0);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect([...permutation(n, seed, 0)]).toEqual([...p]);
      }),
      { numRuns: 100 },
    );
    expect([...permutation(50, 1, 0)]).not.toEqual([...permutation(50, 1, 1)]);
    expect([...permutation(50, 1, 0)]).not.toEqual([...permutation(50, 2, 0)]);
  });
});
