// The native kernels against the TypeScript reference, bit for bit, on random inputs full of IEEE
// corner cases, over many shapes, with 1 and 2 threads. Skips (with a message) when the addon is
// not built.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tsKernels } from '../ts-kernels.ts';
import type { Kernels, KernelName } from '../kernels.ts';
import { getNativeThreads, loadNativeKernels, nativeKernelNames, nativeLoadError, setNativeThreads } from './load.ts';
import { CASES, Rng, cloneArgs, firstDifference, type KernelArg } from './test/cases.ts';
import { selfCheck } from './self-check.ts';

const native = loadNativeKernels();
if (native === null) console.warn(`[repops native] tests skipped: ${nativeLoadError() ?? 'addon unavailable'}`);

type AnyKernel = (...args: KernelArg[]) => void;

function call(table: Partial<Kernels>, name: KernelName, args: KernelArg[]): void {
  (table[name] as unknown as AnyKernel)(...args);
}

function seedOf(name: string, threads: number): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h ^ threads) >>> 0;
}

function describeArgs(args: readonly KernelArg[]): string {
  return args.map((a) => (typeof a === 'object' ? `${a.constructor.name}(${a.length})` : String(a))).join(', ');
}

/** Runs one case on both backends and returns a message for the first difference, or null. */
function compareCase(name: KernelName, args: KernelArg[]): string | null {
  const mine = cloneArgs(args);
  call(tsKernels, name, args);
  call(native ?? {}, name, mine);
  for (let i = 0; i < args.length; i++) {
    const a = args[i], b = mine[i];
    if (typeof a !== 'object' || typeof b !== 'object') continue;
    const at = firstDifference(a, b);
    if (at >= 0) return `${name}(${describeArgs(args)}): argument ${i} differs at ${at}: ts ${a[at]} native ${b[at]}`;
  }
  return null;
}

const SMALL_CASES = 40;
const LARGE_CASES = 2;

describe.skipIf(native === null)('native RepOps kernels', () => {
  const threadsBefore = getNativeThreads();
  afterAll(() => {
    setNativeThreads(threadsBefore);
  });

  it('exports only kernels of the Kernels interface, each with a test generator', () => {
    const names = nativeKernelNames();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      expect(Object.keys(tsKernels)).toContain(n);
      expect(Object.keys(CASES)).toContain(n);
    }
  });

  for (const threads of [1, 2]) {
    describe(`${threads} thread(s)`, () => {
      for (const name of nativeKernelNames()) {
        it(`${name} is bit-identical to the TypeScript kernel`, () => {
          expect(setNativeThreads(threads)).toBe(threads);
          const r = new Rng(seedOf(name, threads));
          for (let t = 0; t < SMALL_CASES + LARGE_CASES; t++) {
            const problem = compareCase(name, CASES[name](r, t >= SMALL_CASES));
            expect(problem).toBeNull();
          }
        });
      }
    });
  }

  it('matmul agrees on arbitrary shapes and values (property)', () => {
    setNativeThreads(2);
    const shape = fc.record({ M: fc.integer({ min: 1, max: 40 }), K: fc.integer({ min: 0, max: 70 }), N: fc.integer({ min: 1, max: 90 }), ta: fc.boolean(), tb: fc.boolean() });
    fc.assert(
      fc.property(shape, fc.integer(), ({ M, K, N, ta, tb }, seed) => {
        const r = new Rng(seed);
        const f = (n: number): Float32Array => Float32Array.from({ length: n }, () => new Float32Array(new Uint32Array([r.u32()]).buffer)[0]);
        return compareCase('matmul', [f(M * K), f(K * N), new Float32Array(M * N), M, K, N, ta, tb]) === null;
      }),
      { numRuns: 60 },
    );
  });

  it('transcendentals agree over float32 bit patterns spread across the whole range', () => {
    setNativeThreads(2);
    const n = 1 << 15;
    const x = new Float32Array(n);
    const bits = new Uint32Array(x.buffer);
    for (let i = 0; i < n; i++) bits[i] = Math.imul(i, 131071) + 0x2545f491;
    const dy = new Float32Array(n).fill(0.75);
    for (const name of ['exp', 'log', 'tanh', 'sigmoid', 'sin', 'cos', 'gelu'] as const) {
      if (native?.[name] === undefined) continue;
      expect(compareCase(name, [x, new Float32Array(n)])).toBeNull();
    }
    for (const name of ['sinBackward', 'cosBackward', 'geluBackward'] as const) {
      if (native?.[name] === undefined) continue;
      expect(compareCase(name, [x, dy, new Float32Array(n)])).toBeNull();
    }
  });

  it('the load-time self-check passes, and rejects a kernel one ulp off', () => {
    expect(native).not.toBeNull();
    if (native === null) return;
    expect(selfCheck(native)).toBeNull();
    const realExp = native.exp;
    expect(realExp).toBeTypeOf('function');
    if (realExp === undefined) return;
    const offByOneUlp: Kernels['exp'] = (x, out) => {
      realExp(x, out);
      new Uint32Array(out.buffer, out.byteOffset, out.length)[out.length - 1] += 1;
    };
    expect(selfCheck({ ...native, exp: offByOneUlp })).toMatch(/exp disagrees/);
  });

  it('keeps denormals on every thread (no flush-to-zero)', () => {
    setNativeThreads(2);
    const n = 200_000;
    const tiny = new Float32Array(n).fill(new Float32Array(new Uint32Array([1]).buffer)[0]); // 2^-149
    const out = new Float32Array(n);
    native?.add?.(tiny, tiny, out);
    expect(new Uint32Array(out.buffer).every((b) => b === 2)).toBe(true);
    expect(2 ** -1070 * 0.5).toBe(2 ** -1071); // the main thread's double math too
  });

  it('rejects hostile arguments with errors instead of touching memory out of bounds', () => {
    const mm = native?.matmul;
    expect(mm).toBeTypeOf('function');
    if (mm === undefined) return;
    const f = new Float32Array(4);
    expect(() => mm(f, f, f, 3, 3, 3, false, false)).toThrow(RangeError);
    expect(() => mm(new Int32Array(4) as unknown as Float32Array, f, f, 2, 2, 2, false, false)).toThrow(TypeError);
    expect(() => mm(f, f, f, -1, 2, 2, false, false)).toThrow(RangeError);
    expect(() => mm(f, f, f, 2.5, 2, 2, false, false)).toThrow(RangeError);
    expect(() => (mm as unknown as AnyKernel)(f, f)).toThrow(TypeError);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 9 }), fc.double(), fc.boolean()), { minLength: 11, maxLength: 11 }), fc.nat(40), (dims, len) => {
        for (const name of nativeKernelNames()) {
          const args: KernelArg[] = [new Float32Array(len), new Float32Array(len), new Float32Array(len), ...dims];
          try {
            call(native ?? {}, name, args);
          } catch (e) {
            if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
