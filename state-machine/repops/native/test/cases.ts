// Random argument lists for every kernel of the Kernels table, for comparing backends bit for bit.
// Inputs mix ordinary values with the IEEE corner cases (±0, ±Inf, NaN of several payloads,
// denormals, extremes); shapes include 1, odd sizes and sizes that are not a multiple of any vector
// width. `large` cases are big enough to cross the native threading threshold.
import type { KernelName } from '../../kernels.ts';

export type KernelArg = Float32Array | Int32Array | number | boolean;

/** Deterministic xorshift128+ style generator (test inputs only). */
export class Rng {
  private s0: number;
  private s1: number;
  constructor(seed: number) {
    this.s0 = (seed ^ 0x9e3779b9) >>> 0 || 1;
    this.s1 = (seed * 0x85ebca6b) >>> 0 || 2;
  }
  u32(): number {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= x << 23;
    x >>>= 0;
    this.s1 = (x ^ y ^ (x >>> 17) ^ (y >>> 26)) >>> 0;
    return (this.s1 + y) >>> 0;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }
  unit(): number {
    return this.u32() / 4294967296;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.u32() % xs.length];
  }
}

const BITS = new Uint32Array(1);
const FLOAT = new Float32Array(BITS.buffer);
function fromBits(b: number): number {
  BITS[0] = b >>> 0;
  return FLOAT[0];
}

export const SPECIAL_VALUES: readonly number[] = [
  0, -0, Infinity, -Infinity,
  fromBits(0x7fc00000), fromBits(0xffc00000), fromBits(0x7fc00001), fromBits(0x7f800001), // NaNs
  fromBits(0x00000001), fromBits(0x80000001), fromBits(0x007fffff), fromBits(0x00400000), // denormals
  fromBits(0x00800000), fromBits(0x7f7fffff), fromBits(0xff7fffff), 1, -1, 0.5, 2,
];

export type Dist = 'normal' | 'wide' | 'positive' | 'prob';

/** Fills a Float32Array: mostly values of the distribution, a fraction `special` of corner cases. */
export function f32Array(r: Rng, n: number, dist: Dist = 'normal', special = 0.03): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (r.unit() < special) {
      a[i] = r.pick(SPECIAL_VALUES);
      continue;
    }
    switch (dist) {
      case 'normal': a[i] = (r.unit() * 2 - 1) * 4; break;
      case 'positive': a[i] = r.unit() * 3 + 1e-3; break;
      case 'prob': a[i] = r.unit(); break;
      case 'wide': {
        // a third arbitrary bit patterns, a third moderate values, a third near the thresholds
        const k = r.int(0, 2);
        a[i] = k === 0 ? fromBits(r.u32()) : k === 1 ? (r.unit() * 2 - 1) * 30 : (r.unit() * 2 - 1) * 2 ** r.int(-30, 20);
        break;
      }
    }
  }
  return a;
}

function outArray(r: Rng, n: number): Float32Array {
  // pre-filled with junk so an element a kernel fails to write shows up as a difference
  return f32Array(r, n, 'normal', 0);
}

/** A scalar argument: usually a float32 value, sometimes a double that is not one. */
function scalar(r: Rng, lo: number, hi: number): number {
  const v = lo + r.unit() * (hi - lo);
  return r.unit() < 0.7 ? Math.fround(v) : v;
}

function dim(r: Rng, large: boolean, max: number): number {
  if (large) return r.int(max, max * 2);
  return r.pick([1, 1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, r.int(1, max)]);
}

type Gen = (r: Rng, large: boolean) => KernelArg[];

function mm(r: Rng, large: boolean, batched: boolean, bias: boolean): KernelArg[] {
  const M = dim(r, large, 70), K = r.unit() < 0.05 ? 0 : dim(r, large, 90), N = dim(r, large, 150);
  const B = batched ? dim(r, false, 4) : 1;
  const ta = r.unit() < 0.5, tb = r.unit() < 0.5;
  const a = f32Array(r, B * M * K, 'normal', 0.01), b = f32Array(r, B * K * N, 'normal', 0.01);
  if (batched) return [a, b, outArray(r, B * M * N), B, M, K, N, ta, tb];
  if (bias) return [a, b, f32Array(r, N), outArray(r, M * N), M, K, N, ta, tb];
  return [a, b, outArray(r, M * N), M, K, N, ta, tb];
}

function n1(r: Rng, large: boolean): number {
  return large ? r.int(70_000, 140_000) : dim(r, false, 300);
}

const binary = (dist: Dist = 'normal'): Gen => (r, large) => {
  const n = n1(r, large);
  return [f32Array(r, n, dist), f32Array(r, n, dist), outArray(r, n)];
};
const unary = (dist: Dist): Gen => (r, large) => {
  const n = n1(r, large);
  return [f32Array(r, n, dist), outArray(r, n)];
};
const unaryGrad = (dist: Dist): Gen => (r, large) => {
  const n = n1(r, large);
  return [f32Array(r, n, dist), f32Array(r, n), outArray(r, n)];
};
const axis = (withDivisor: boolean): Gen => (r, large) => {
  const outer = dim(r, large, 40), n = dim(r, large, 60), inner = r.unit() < 0.4 ? 1 : dim(r, large, 50);
  const args: KernelArg[] = [f32Array(r, outer * n * inner), outArray(r, outer * inner), outer, n, inner];
  if (!withDivisor) return args;
  return [f32Array(r, outer * inner), outArray(r, outer * n * inner), outer, n, inner, r.pick([1, n, scalar(r, 0.5, 9)])];
};
const rowsCols = (dist: Dist): ((r: Rng, large: boolean) => [number, number, Float32Array]) => (r, large) => {
  const rows = dim(r, large, 60), cols = dim(r, large, 70);
  return [rows, cols, f32Array(r, rows * cols, dist)];
};
const labels = (r: Rng, rows: number, cols: number): Int32Array => Int32Array.from({ length: rows }, () => r.int(0, cols - 1));

function conv(r: Rng, large: boolean): { N: number; C: number; H: number; W: number; kh: number; kw: number; s: number; p: number; P: number; R: number } {
  const N = dim(r, false, 3), C = large ? r.int(8, 16) : dim(r, false, 4);
  const H = large ? r.int(24, 40) : r.int(1, 12), W = large ? r.int(24, 40) : r.int(1, 12);
  const kh = r.int(1, 4), kw = r.int(1, 4), s = r.int(1, 3), p = r.int(0, 2);
  const Ho = Math.floor((H + 2 * p - kh) / s) + 1, Wo = Math.floor((W + 2 * p - kw) / s) + 1;
  return { N, C, H, W, kh, kw, s, p, P: Math.max(0, Ho) * Math.max(0, Wo), R: C * kh * kw };
}

function pool(r: Rng, large: boolean): { planes: number; H: number; W: number; k: number; s: number; O: number } {
  const planes = large ? r.int(40, 80) : dim(r, false, 6);
  const k = r.int(1, 4), s = r.int(1, 3);
  const H = r.int(k, large ? 60 : 14), W = r.int(k, large ? 60 : 14);
  const O = (Math.floor((H - k) / s) + 1) * (Math.floor((W - k) / s) + 1);
  return { planes, H, W, k, s, O };
}

const philoxArgs = (r: Rng): number[] => [r.u32(), r.u32(), r.u32(), r.pick([0, 1, r.u32()])];

/** One generator per kernel. */
export const CASES: Record<KernelName, Gen> = {
  matmul: (r, large) => mm(r, large, false, false),
  bmm: (r, large) => mm(r, large, true, false),
  matmulBias: (r, large) => mm(r, large, false, true),
  add: binary(),
  sub: binary(),
  mul: binary(),
  div: binary('wide'),
  divBackwardB: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n), f32Array(r, n, 'wide'), f32Array(r, n), outArray(r, n)];
  },
  addBias: (r, large) => {
    const rows = dim(r, large, 300), cols = dim(r, large, 200);
    return [f32Array(r, rows * cols), f32Array(r, cols), outArray(r, rows * cols), rows, cols];
  },
  scale: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n), scalar(r, -3, 3), outArray(r, n)];
  },
  relu: unary('wide'),
  reluBackward: unaryGrad('wide'),
  exp: unary('wide'),
  log: unary('wide'),
  tanh: unary('wide'),
  sigmoid: unary('wide'),
  sin: unary('wide'),
  cos: unary('wide'),
  sinBackward: unaryGrad('wide'),
  cosBackward: unaryGrad('wide'),
  tanhBackward: unaryGrad('normal'),
  sigmoidBackward: unaryGrad('prob'),
  gelu: unary('wide'),
  geluBackward: unaryGrad('wide'),
  sumAxis: axis(false),
  meanAxis: axis(false),
  expandAxis: axis(true),
  argmax: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, new Int32Array(rows).fill(-7), rows, cols];
  },
  softmax: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, outArray(r, rows * cols), rows, cols];
  },
  softmaxBackward: (r, large) => {
    const [rows, cols, y] = rowsCols('prob')(r, large);
    return [y, f32Array(r, rows * cols), outArray(r, rows * cols), rows, cols];
  },
  logSoftmax: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, outArray(r, rows * cols), rows, cols];
  },
  logSoftmaxBackward: (r, large) => {
    const [rows, cols, y] = rowsCols('normal')(r, large);
    return [y, f32Array(r, rows * cols), outArray(r, rows * cols), rows, cols];
  },
  crossEntropy: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, labels(r, rows, cols), outArray(r, 1), rows, cols];
  },
  crossEntropyBackward: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, labels(r, rows, cols), scalar(r, 0.1, 2), outArray(r, rows * cols), rows, cols];
  },
  layerNorm: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, f32Array(r, cols), f32Array(r, cols), outArray(r, rows * cols), rows, cols, scalar(r, 1e-6, 1e-4)];
  },
  layerNormBackwardX: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, f32Array(r, cols), f32Array(r, rows * cols), outArray(r, rows * cols), rows, cols, scalar(r, 1e-6, 1e-4)];
  },
  layerNormBackwardGamma: (r, large) => {
    const [rows, cols, x] = rowsCols('normal')(r, large);
    return [x, f32Array(r, rows * cols), outArray(r, cols), rows, cols, scalar(r, 1e-6, 1e-4)];
  },
  embedding: (r, large) => {
    const vocab = dim(r, false, 50), d = dim(r, large, 64), n = dim(r, large, 100);
    return [f32Array(r, vocab * d), labels(r, n, vocab), outArray(r, n * d), vocab, d, n];
  },
  embeddingBackward: (r, large) => {
    const vocab = dim(r, false, 50), d = dim(r, large, 64), n = dim(r, large, 100);
    return [labels(r, n, vocab), f32Array(r, n * d), outArray(r, vocab * d), vocab, d, n];
  },
  im2col: (r, large) => {
    const c = conv(r, large);
    return [f32Array(r, c.N * c.C * c.H * c.W), outArray(r, c.N * c.R * c.P), c.N, c.C, c.H, c.W, c.kh, c.kw, c.s, c.p];
  },
  col2im: (r, large) => {
    const c = conv(r, large);
    return [f32Array(r, c.N * c.R * c.P), outArray(r, c.N * c.C * c.H * c.W), c.N, c.C, c.H, c.W, c.kh, c.kw, c.s, c.p];
  },
  maxPool2d: (r, large) => {
    const p = pool(r, large);
    return [f32Array(r, p.planes * p.H * p.W, 'normal', 0.05), outArray(r, p.planes * p.O), p.planes, p.H, p.W, p.k, p.s];
  },
  maxPool2dBackward: (r, large) => {
    const p = pool(r, large);
    return [f32Array(r, p.planes * p.H * p.W, 'normal', 0.05), f32Array(r, p.planes * p.O), outArray(r, p.planes * p.H * p.W), p.planes, p.H, p.W, p.k, p.s];
  },
  avgPool2d: (r, large) => {
    const p = pool(r, large);
    return [f32Array(r, p.planes * p.H * p.W), outArray(r, p.planes * p.O), p.planes, p.H, p.W, p.k, p.s];
  },
  avgPool2dBackward: (r, large) => {
    const p = pool(r, large);
    return [f32Array(r, p.planes * p.O), outArray(r, p.planes * p.H * p.W), p.planes, p.H, p.W, p.k, p.s];
  },
  swapAxes: (r, large) => {
    const outer = dim(r, false, 4), a = dim(r, large, 30), b = dim(r, large, 30), inner = dim(r, false, 9);
    return [f32Array(r, outer * a * b * inner), outArray(r, outer * a * b * inner), outer, a, b, inner];
  },
  causalMask: (r, large) => {
    const batch = dim(r, false, 4), rows = dim(r, large, 40), cols = dim(r, large, 40);
    return [f32Array(r, batch * rows * cols), outArray(r, batch * rows * cols), batch, rows, cols, r.pick([-Infinity, 0])];
  },
  dropout: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n), outArray(r, n), ...philoxArgs(r), r.pick([0, r.u32(), 2 ** 31, 4294967295]), scalar(r, 1, 3)];
  },
  uniformFill: (r, large) => {
    const n = n1(r, large);
    return [outArray(r, n), ...philoxArgs(r), scalar(r, -2, 0), scalar(r, 0, 3)];
  },
  normalFill: (r, large) => {
    const n = n1(r, large);
    return [outArray(r, n), ...philoxArgs(r), scalar(r, -1, 1), scalar(r, 0.01, 2)];
  },
  sgdVelocity: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n), f32Array(r, n), f32Array(r, n), outArray(r, n), scalar(r, 0, 0.99), scalar(r, 0, 0.01)];
  },
  sgdParam: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n), f32Array(r, n), outArray(r, n), scalar(r, 0, 0.5)];
  },
  adamwM: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n), f32Array(r, n), outArray(r, n), scalar(r, 0.8, 0.99)];
  },
  adamwV: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n, 'positive'), f32Array(r, n), outArray(r, n), scalar(r, 0.9, 0.9999)];
  },
  adamwParam: (r, large) => {
    const n = n1(r, large);
    return [f32Array(r, n), f32Array(r, n), f32Array(r, n, 'positive'), outArray(r, n),
      scalar(r, 1e-4, 1e-2), scalar(r, 1e-8, 1e-6), scalar(r, 0, 0.1), scalar(r, 0.1, 1), scalar(r, 0.001, 1)];
  },
};

/** Deep copy of an argument list (typed arrays cloned, scalars kept). */
export function cloneArgs(args: readonly KernelArg[]): KernelArg[] {
  return args.map((a) => (a instanceof Float32Array ? a.slice() : a instanceof Int32Array ? a.slice() : a));
}

/** First index where two arrays differ (NaN equals NaN of any payload: tensorHash canonicalises them), or -1. */
export function firstDifference(x: Float32Array | Int32Array, y: Float32Array | Int32Array): number {
  if (x.length !== y.length) return 0;
  const xb = new Uint32Array(x.buffer, x.byteOffset, x.length), yb = new Uint32Array(y.buffer, y.byteOffset, y.length);
  const isF = x instanceof Float32Array;
  for (let i = 0; i < xb.length; i++) {
    if (xb[i] === yb[i]) continue;
    if (isF && Number.isNaN(x[i]) && Number.isNaN(y[i])) continue;
    return i;
  }
  return -1;
}
