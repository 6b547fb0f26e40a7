// Operator contracts that are easy to get subtly wrong: summation order, −0 and NaN rules, first
// maximum, dropout masks, optimiser formulas, and typed errors on hostile input.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBackend, availableBackends } from '../backend.ts';
import { runOp, OPS, opByCode } from '../opcodes.ts';
import { tsKernels } from '../ts-kernels.ts';
import { tensorF32, tensorI32, type F32Tensor, type Tensor } from '../tensor.ts';
import { f32, bitsOf, CANONICAL_NAN_BITS } from '../f32.ts';
import { uniformF32 } from '../rng.ts';
import { powiF32 } from '../ops/optim.ts';
import { RepOpsError } from '../errors.ts';
import type { Attrs } from '../ops/attrs.ts';

const be = getBackend('ts');
const run = (op: string, inputs: Tensor[], attrs: Attrs = {}): F32Tensor => runOp(be, op, inputs, attrs) as F32Tensor;
const bitsArr = (t: Tensor): number[] => [...new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length)];
let stream = 5000;
const rand = (shape: number[], lo = -1, hi = 1): F32Tensor =>
  tensorF32(shape, uniformF32(shape.reduce((a, b) => a * b, 1), 11, stream++).map((v) => lo + (hi - lo) * v));

describe('matmul contract', () => {
  it('is the sequential fl(acc + fl(a·b)) sum from +0, bit for bit, with any transposes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.boolean(), (M, K, N, ta, tb) => {
        const a = rand(ta ? [K, M] : [M, K], -10, 10), b = rand(tb ? [N, K] : [K, N], -10, 10);
        const A = (i: number, k: number): number => (ta ? a.data[k * M + i] : a.data[i * K + k]);
        const B = (k: number, j: number): number => (tb ? b.data[j * K + k] : b.data[k * N + j]);
        const want = new Float32Array(M * N);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let acc = 0;
            for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(A(i, k) * B(k, j)));
            want[i * N + j] = acc;
          }
        }
        for (const backend of availableBackends()) {
          expect(bitsArr(runOp(backend, 'matmul', [a, b], { transA: ta, transB: tb }))).toEqual(bitsArr(tensorF32([M, N], want)));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('sign of zero and NaN', () => {
  it('relu maps −0 to +0, NaN to the canonical NaN, and passes positives', () => {
    const y = run('relu', [tensorF32([5], [-0, 0, -3, 2.5, f32(0xffc00000)])]);
    expect(bitsArr(y)).toEqual([0, 0, 0, bitsOf(2.5), CANONICAL_NAN_BITS]);
    const g = run('relu_backward', [tensorF32([3], [0, -0, 1e-45]), tensorF32([3], [5, 5, 5])]);
    expect([...g.data]).toEqual([0, 0, 5]);
  });

  it('max pool picks the first maximum (−0 before +0) and the first NaN; the gradient follows it', () => {
    const x = tensorF32([1, 1, 2, 2], [-0, 0, 0, -1]);
    expect(bitsArr(run('max_pool2d', [x], { kernel: 2 }))).toEqual([0x80000000]);
    expect([...run('max_pool2d_backward', [x, tensorF32([1, 1, 1, 1], [7])], { kernel: 2 }).data]).toEqual([7, 0, 0, 0]);
    const n = tensorF32([1, 1, 2, 2], [1, NaN, 5, NaN]);
    expect(Number.isNaN(run('max_pool2d', [n], { kernel: 2 }).data[0])).toBe(true);
    expect([...run('max_pool2d_backward', [n, tensorF32([1, 1, 1, 1], [3])], { kernel: 2 }).data]).toEqual([0, 3, 0, 0]);
    expect([...(runOp(be, 'argmax', [tensorF32([2, 3], [1, 4, 4, 2, NaN, 9])]).data as Int32Array)]).toEqual([1, 1]);
  });

  it('causal mask + softmax gives exactly +0 above the diagonal and rows summing to ~1', () => {
    const p = run('softmax', [run('causal_mask', [rand([2, 4, 4], -5, 5)])]);
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 4; i++) {
        let s = 0;
        for (let j = 0; j < 4; j++) {
          const v = p.data[(b * 4 + i) * 4 + j];
          if (j > i) expect(Object.is(v, 0)).toBe(true);
          s += v;
        }
        expect(Math.abs(s - 1)).toBeLessThan(1e-6);
      }
    }
  });
});

describe('dropout', () => {
  const x = tensorF32([4000], new Float32Array(4000).fill(1));
  it('keeps about 1 − p of the elements, scaled by fl(1 / fl(1 − p)); the gradient uses the same mask', () => {
    const attrs = { p: bitsOf(0.3), seed: '0xdeadbeef', stream: 3 };
    const y = run('dropout', [x], attrs);
    const scale = Math.fround(1 / Math.fround(1 - Math.fround(0.3)));
    const kept = y.data.filter((v) => v !== 0);
    expect(kept.every((v) => v === scale)).toBe(true);
    expect(Math.abs(kept.length / 4000 - 0.7)).toBeLessThan(0.03);
    expect(bitsArr(run('dropout_backward', [x], attrs))).toEqual(bitsArr(y));
    expect(bitsArr(run('dropout', [x], { ...attrs, stream: 4 }))).not.toEqual(bitsArr(y));
  });
  it('p = 0 is the identity', () => {
    const r = rand([50]);
    expect(bitsArr(run('dropout', [r], { p: 0, seed: 1, stream: 0 }))).toEqual(bitsArr(r));
  });
});

describe('optimisers', () => {
  it('β^t is square-and-multiply in float32', () => {
    const b = Math.fround(0.999);
    expect(powiF32(b, 1)).toBe(b);
    expect(powiF32(b, 2)).toBe(Math.fround(b * b));
    expect(powiF32(b, 3)).toBe(Math.fround(b * Math.fround(b * b)));
    expect(powiF32(b, 0)).toBe(1);
    expect(Math.abs(powiF32(b, 1000) - b ** 1000) / b ** 1000).toBeLessThan(1e-5);
  });

  it('AdamW step follows the documented formula', () => {
    const p = rand([6]), m = rand([6]), v = rand([6], 0, 1);
    const fl = Math.fround;
    const [lr, b1, b2, eps, wd] = [1e-3, 0.9, 0.999, 1e-8, 0.01].map(fl);
    const t = 3;
    const out = run('adamw_param', [p, m, v], { lr: bitsOf(lr), beta1: bitsOf(b1), beta2: bitsOf(b2), eps: bitsOf(eps), weightDecay: bitsOf(wd), step: t });
    const bc1 = fl(1 - powiF32(b1, t)), bc2 = fl(1 - powiF32(b2, t));
    for (let i = 0; i < 6; i++) {
      const p1 = fl(p.data[i] - fl(fl(lr * wd) * p.data[i]));
      const u = fl(fl(m.data[i] / bc1) / fl(fl(Math.sqrt(fl(v.data[i] / bc2))) + eps));
      expect(out.data[i]).toBe(fl(p1 - fl(lr * u)));
    }
  });

  it('SGD momentum: velocity then parameter', () => {
    const v = rand([5]), g = rand([5]), p = rand([5]);
    const fl = Math.fround;
    const mu = fl(0.9), lr = fl(0.1);
    const v1 = run('sgd_velocity', [v, g, p], { momentum: bitsOf(mu) });
    const p1 = run('sgd_param', [p, v1], { lr: bitsOf(lr) });
    for (let i = 0; i < 5; i++) {
      expect(v1.data[i]).toBe(fl(fl(mu * v.data[i]) + g.data[i]));
      expect(p1.data[i]).toBe(fl(p.data[i] - fl(lr * v1.data[i])));
    }
  });
});

describe('typed errors on hostile input', () => {
  it('reports stable codes', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof RepOpsError ? e.code : `not a RepOpsError: ${String(e)}`;
      }
      return undefined;
    };
    expect(code(() => run('add', [rand([2]), rand([3])]))).toBe('REPOPS_SHAPE');
    expect(code(() => run('add', [rand([2]), tensorI32([2])]))).toBe('REPOPS_DTYPE');
    expect(code(() => run('scale', [rand([2])], { s: 0.5 }))).toBe('REPOPS_ATTR');
    expect(code(() => run('cross_entropy', [rand([2, 3]), tensorI32([2], [0, 3])]))).toBe('REPOPS_INDEX');
    expect(code(() => run('embedding', [rand([2, 3]), tensorI32([1], [-1])]))).toBe('REPOPS_INDEX');
    expect(code(() => opByCode(9999))).toBe('REPOPS_UNKNOWN_OP');
    expect(code(() => run('zeros', [], { shape: [2 ** 20, 2 ** 20] }))).toBe('REPOPS_SHAPE');
    expect(code(() => run('sum_backward', [rand([2])], { axis: 0, size: 2 ** 40 }))).toBe('REPOPS_SHAPE');
    expect(code(() => run('no_such_op', []))).toBe('REPOPS_UNKNOWN_OP');
  });

  it('any op on arbitrary small tensors and attrs returns a tensor or throws a RepOpsError', () => {
    const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });
    const tensorArb = fc.oneof(
      shapeArb.map((s) => rand(s, -3, 3) as Tensor),
      shapeArb.map((s) => tensorI32(s, new Int32Array(s.reduce((a, b) => a * b, 1)).fill(1)) as Tensor),
    );
    const attrVal = fc.oneof(fc.integer({ min: -3, max: 6 }), fc.boolean(), fc.constantFrom(0x3f000000, 0x7fc00000, 0x3f800000, '0x10', 'x'), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }));
    const attrsArb = fc.dictionary(
      fc.constantFrom('transA', 'transB', 's', 'axis', 'size', 'eps', 'vocab', 'stride', 'pad', 'height', 'width', 'kh', 'kw', 'kernel', 'shape', 'heads', 'p', 'seed', 'stream', 'low', 'high', 'mean', 'std', 'n', 'momentum', 'weightDecay', 'lr', 'beta1', 'beta2', 'step'),
      attrVal,
    );
    fc.assert(
      fc.property(fc.constantFrom(...OPS.map((o) => o.opcode)), fc.array(tensorArb, { maxLength: 3 }), attrsArb, (opcode, inputs, attrs) => {
        try {
          const out = runOp(be, opcode, inputs, attrs);
          expect(out.data.length).toBe(out.shape.reduce((a, b) => a * b, 1));
        } catch (e) {
          if (!(e instanceof RepOpsError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('backends', () => {
  it('the ts backend is always available and a native backend serves a complete kernel table', () => {
    const all = availableBackends();
    expect(all[0].name).toBe('ts');
    for (const b of all) expect(Object.keys(b.kernels).sort()).toEqual(Object.keys(tsKernels).sort());
    expect(getBackend('ts').kernels).toBe(tsKernels);
  });
});
