// A load-time check that the native kernels still give the TypeScript reference's bits: a stale
// addon (built before a change to the reference) must never be used silently. Runs a few milliseconds
// of deterministic inputs through the kernels whose contracts are most intricate.
import type { Kernels, KernelName } from '../kernels.ts';
import { tsKernels } from '../ts-kernels.ts';
import { f32 } from '../f32.ts';

type Arg = Float32Array | Int32Array | number | boolean;

const SPECIAL_BITS = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x00000001, 0x80000001, 0x007fffff,
  0x00800000, 0x7f7fffff, 0x3f800000, 0xbf800000, 0x42b17217, 0x42b17218, 0xc2d00000, 0xc2cfffff,
  0x3f0ccccd, 0x41100000, 0x45800000, 0x457fffff, 0x4b400000, 0x3fc90fdb, 0x40490fdb, 0x5d5e7e3c,
];

/** n deterministic float32 values: the corner cases, then ±m·2^e over a wide range of exponents. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    if (i < SPECIAL_BITS.length) {
      out[i] = f32(SPECIAL_BITS[i]);
      continue;
    }
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const e = (s >>> 24) % 44 - 30; // 2^-30 .. 2^13 (the fast trig path and a little beyond)
    const m = 1 + (s & 0xffff) / 65536;
    out[i] = (s & 0x800000 ? -1 : 1) * m * 2 ** e;
  }
  return out;
}

function moderate(n: number, seed: number): Float32Array {
  return values(n, seed).map((v) => (Number.isFinite(v) ? Math.max(-8, Math.min(8, v)) : 0.5));
}

interface Check {
  kernel: KernelName;
  args: () => Arg[];
}

const N = 512;
const CHECKS: readonly Check[] = [
  ...(['exp', 'log', 'tanh', 'sigmoid', 'sin', 'cos', 'gelu'] as const).map((kernel) => ({ kernel, args: (): Arg[] => [values(N, 1), new Float32Array(N)] })),
  { kernel: 'geluBackward', args: () => [values(N, 2), moderate(N, 3), new Float32Array(N)] },
  { kernel: 'matmul', args: () => [moderate(7 * 33, 4), moderate(33 * 37, 5), new Float32Array(7 * 37), 7, 33, 37, false, false] },
  { kernel: 'matmul', args: () => [moderate(33 * 7, 6), moderate(37 * 33, 7), new Float32Array(7 * 37), 7, 33, 37, true, true] },
  { kernel: 'softmax', args: () => [moderate(6 * 21, 8), new Float32Array(6 * 21), 6, 21] },
  { kernel: 'crossEntropy', args: () => [moderate(6 * 21, 9), Int32Array.from([0, 5, 20, 3, 3, 19]), new Float32Array(1), 6, 21] },
  { kernel: 'layerNorm', args: () => [moderate(5 * 19, 10), moderate(19, 11), moderate(19, 12), new Float32Array(5 * 19), 5, 19, f32(0x3727c5ac)] },
  { kernel: 'normalFill', args: () => [new Float32Array(N), 12345, 678, 9, 0, f32(0x3dcccccd), f32(0x3f800000)] },
  { kernel: 'adamwParam', args: () => [moderate(N, 13), moderate(N, 14), values(N, 15).map(Math.abs), new Float32Array(N), f32(0x3a83126f), f32(0x322bcc77), f32(0x3c23d70a), f32(0x3dcccccd), f32(0x3a83126f)] },
];

function sameBits(a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    if (a instanceof Float32Array && Number.isNaN(a[i]) && Number.isNaN(b[i])) continue; // hashed as one NaN
    return false;
  }
  return x.length === y.length;
}

type AnyKernel = (...args: Arg[]) => void;

/** Null when every checked native kernel matches the reference, else a description of the first mismatch. */
export function selfCheck(native: Partial<Kernels>): string | null {
  for (const check of CHECKS) {
    const fn = native[check.kernel] as unknown as AnyKernel | undefined;
    if (fn === undefined) continue;
    const ref = check.args(), mine = check.args();
    (tsKernels[check.kernel] as unknown as AnyKernel)(...ref);
    try {
      fn(...mine);
    } catch (e) {
      return `native ${check.kernel} threw: ${(e as Error).message}`;
    }
    for (let i = 0; i < ref.length; i++) {
      const r = ref[i], m = mine[i];
      if ((r instanceof Float32Array || r instanceof Int32Array) && (m instanceof Float32Array || m instanceof Int32Array) && !sameBits(r, m)) {
        return `native ${check.kernel} disagrees with the TypeScript reference (argument ${i})`;
      }
    }
  }
  return null;
}
