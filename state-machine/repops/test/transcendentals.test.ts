// Transcendentals: within 1 ulp of the correctly rounded value (double-precision reference rounded to
// float32) on a large sample plus the special values, and bit-identical on every available backend.
import { describe, expect, it } from 'vitest';
import { expf, logf, tanhf, sigmoidf, sinf, cosf, geluf } from '../transcendentals.ts';
import { f32, bitsOf, ulpDistance, CANONICAL_NAN_BITS } from '../f32.ts';
import { availableBackends } from '../backend.ts';
import { tsKernels } from '../ts-kernels.ts';
import { PhiloxStream } from '../rng.ts';
import type { Kernels } from '../kernels.ts';

const SPECIAL_BITS = [
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000, 0x3f800000,
  0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7f7fffff, 0xff7fffff, 0x42b17217,
  0x42b17218, 0xc2aeac4f, 0xc2aeac50, 0xc2cff1b4, 0xc2cff1b5, 0xc2d00000, 0x3f0ccccd, 0x3f0ccccc, 0x41100000,
  0x40490fdb, 0xc0490fdb, 0x3fc90fdb, 0x40c90fdb, 0x45800000, 0x457fffff, 0x49742400, 0x5a000000, 0x3f3504f3,
  0x3f3504f4, 0x3fb504f3, 0x33800000, 0x39800000, 0xb3800000, 0x3effffff, 0x3f000001,
];

const N = 200_000;

/** Sample: half random bit patterns (every binade, denormals, huge), half uniform in the busy range. */
function sample(lo: number, hi: number, stream: number): Float32Array {
  const rs = new PhiloxStream(7, stream);
  const out = new Float32Array(N + SPECIAL_BITS.length);
  for (let i = 0; i < N; i++) {
    out[i] = i % 2 === 0 ? f32(rs.nextU32()) : Math.fround(lo + (hi - lo) * rs.nextUniform());
  }
  SPECIAL_BITS.forEach((b, j) => (out[N + j] = f32(b)));
  return out;
}

interface Fn {
  name: string;
  kernel: 'exp' | 'log' | 'tanh' | 'sigmoid' | 'sin' | 'cos';
  f: (x: number) => number;
  ref: (x: number) => number;
  lo: number;
  hi: number;
}

const FNS: Fn[] = [
  { name: 'exp', kernel: 'exp', f: expf, ref: Math.exp, lo: -104, hi: 89 },
  { name: 'log', kernel: 'log', f: logf, ref: Math.log, lo: 0, hi: 4 },
  { name: 'tanh', kernel: 'tanh', f: tanhf, ref: Math.tanh, lo: -10, hi: 10 },
  { name: 'sigmoid', kernel: 'sigmoid', f: sigmoidf, ref: (x) => 1 / (1 + Math.exp(-x)), lo: -110, hi: 20 },
  { name: 'sin', kernel: 'sin', f: sinf, ref: Math.sin, lo: -8, hi: 8 },
  { name: 'cos', kernel: 'cos', f: cosf, ref: Math.cos, lo: -8, hi: 8 },
];

describe('transcendentals', () => {
  FNS.forEach((fn, s) => {
    it(`${fn.name} is within 1 ulp of the correctly rounded value`, () => {
      const xs = sample(fn.lo, fn.hi, s);
      let worst = 0;
      let worstX = 0;
      for (const x of xs) {
        const d = ulpDistance(fn.f(x), Math.fround(fn.ref(x)));
        if (d > worst) {
          worst = d;
          worstX = x;
        }
      }
      expect(worst, `worst case at x = ${worstX}`).toBeLessThanOrEqual(1);
    });
  });

  it('follow the documented special cases', () => {
    expect(expf(-Infinity)).toBe(0);
    expect(expf(Infinity)).toBe(Infinity);
    expect(expf(f32(0x42b17218))).toBe(Infinity);
    expect(Number.isFinite(expf(f32(0x42b17217)))).toBe(true);
    expect(Object.is(expf(f32(0xc2d00000) - 1), 0)).toBe(true);
    expect(expf(f32(0xc2cff1b4))).toBeGreaterThan(0); // denormal results are kept
    expect(logf(0)).toBe(-Infinity);
    expect(logf(-0)).toBe(-Infinity);
    expect(bitsOf(logf(-1))).toBe(CANONICAL_NAN_BITS);
    expect(logf(1)).toBe(0);
    expect(logf(f32(1))).toBeCloseTo(-103.279, 2);
    expect(Object.is(tanhf(-0), -0)).toBe(true);
    expect(tanhf(-Infinity)).toBe(-1);
    expect(sigmoidf(-Infinity)).toBe(0);
    expect(sigmoidf(Infinity)).toBe(1);
    expect(Object.is(sinf(-0), -0)).toBe(true);
    expect(bitsOf(sinf(Infinity))).toBe(CANONICAL_NAN_BITS);
    expect(bitsOf(cosf(-Infinity))).toBe(CANONICAL_NAN_BITS);
    for (const f of [expf, logf, tanhf, sigmoidf, sinf, cosf, geluf]) expect(bitsOf(f(f32(0xffc00001)))).toBe(CANONICAL_NAN_BITS);
  });

  it('gelu (x·sigmoid(2u)) stays close to the double-precision tanh formula', () => {
    const xs = sample(-10, 10, 99);
    let worstRel = 0;
    for (const x of xs) {
      if (!Number.isFinite(x) || x < -9 || x > 1e3) continue;
      const u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
      const ref = x / (1 + Math.exp(-2 * u));
      if (Math.abs(ref) < 1e-30) continue;
      worstRel = Math.max(worstRel, Math.abs(geluf(x) - ref) / Math.abs(ref));
    }
    // the argument u is rounded a few times before sigmoid amplifies it in the far negative tail
    expect(worstRel).toBeLessThan(2e-5);
  });

  const others = availableBackends().filter((b) => b.name !== 'ts');
  for (const be of others) {
    it(`give identical bits on the ${be.name} backend`, () => {
      const kernels: (keyof Kernels)[] = ['exp', 'log', 'tanh', 'sigmoid', 'sin', 'cos', 'gelu'];
      const diffs: string[] = [];
      kernels.forEach((k, s) => {
        const xs = sample(-20, 20, 50 + s);
        const a = new Float32Array(xs.length), b = new Float32Array(xs.length);
        (tsKernels[k] as Kernels['exp'])(xs, a);
        (be.kernels[k] as Kernels['exp'])(xs, b);
        for (let i = 0; i < xs.length; i++) {
          const ba = Number.isNaN(a[i]) ? CANONICAL_NAN_BITS : bitsOf(a[i]);
          const bb = Number.isNaN(b[i]) ? CANONICAL_NAN_BITS : bitsOf(b[i]);
          if (ba !== bb) {
            diffs.push(`${k}(0x${bitsOf(xs[i]).toString(16)})`);
            break;
          }
        }
      });
      expect(diffs).toEqual([]);
    });
  }
});
