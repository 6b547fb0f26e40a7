// Every non-reference backend against the TypeScript kernels on random shapes: sizes cross SIMD widths
// and thread splits, which the small golden cases do not. Skipped when only 'ts' loads.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { availableBackends, getBackend } from '../backend.ts';
import { runOp } from '../opcodes.ts';
import { tensorF32, tensorI32, type Tensor } from '../tensor.ts';
import { tensorHashHex } from '../tensor-hash.ts';
import { uniformF32, PhiloxStream } from '../rng.ts';
import { bitsOf } from '../f32.ts';
import type { Attrs } from '../ops/attrs.ts';

let stream = 90000;
const f = (shape: number[], lo = -3, hi = 3): Tensor =>
  tensorF32(shape, uniformF32(shape.reduce((a, b) => a * b, 1), 77, stream++).map((v) => lo + (hi - lo) * v));
const ids = (shape: number[], below: number): Tensor => {
  const rs = new PhiloxStream(77, stream++);
  return tensorI32(shape, Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rs.randBelow(below)));
};

const dim = fc.integer({ min: 1, max: 40 });
type Case = [string, Tensor[], Attrs];
const cases: [string, fc.Arbitrary<Case>][] = [
  ['matmul', fc.tuple(dim, dim, dim, fc.boolean(), fc.boolean()).map(([m, k, n, ta, tb]): Case => ['matmul', [f(ta ? [k, m] : [m, k]), f(tb ? [n, k] : [k, n])], { transA: ta, transB: tb }])],
  ['bmm', fc.tuple(fc.integer({ min: 1, max: 4 }), dim, dim, dim, fc.boolean()).map(([b, m, k, n, tb]): Case => ['bmm', [f([b, m, k]), f(tb ? [b, n, k] : [b, k, n])], { transB: tb }])],
  ['matmul_bias', fc.tuple(dim, dim, dim).map(([m, k, n]): Case => ['matmul_bias', [f([m, k]), f([k, n]), f([n])], {}])],
  ['elementwise', fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('add', 'sub', 'mul', 'div', 'relu_backward', 'tanh_backward', 'sigmoid_backward', 'gelu_backward', 'sin_backward', 'cos_backward'))
    .map(([n, op]): Case => [op, [f([n]), f([n])], {}])],
  ['unary', fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('relu', 'gelu', 'exp', 'tanh', 'sigmoid', 'sin', 'cos'))
    .map(([n, op]): Case => [op, [f([n], -30, 30)], {}])],
  ['log', fc.integer({ min: 1, max: 300 }).map((n): Case => ['log', [f([n], 0, 1e4)], {}])],
  ['scale/add_bias', fc.tuple(dim, dim).map(([r, c]): Case => ['add_bias', [f([r, c]), f([c])], {}])],
  ['reductions', fc.tuple(dim, dim, dim, fc.constantFrom('sum', 'mean'), fc.integer({ min: 0, max: 2 })).map(([a, b, c, op, axis]): Case => [op, [f([a, b, c])], { axis }])],
  ['softmax family', fc.tuple(dim, dim, fc.constantFrom('softmax', 'log_softmax', 'argmax')).map(([r, c, op]): Case => [op, [f([r, c], -20, 20)], {}])],
  ['cross_entropy', fc.tuple(dim, dim).map(([r, c]): Case => ['cross_entropy_backward', [f([r, c]), ids([r], c), f([])], {}])],
  ['layer_norm', fc.tuple(dim, dim).map(([r, c]): Case => ['layer_norm_backward_x', [f([r, c]), f([c]), f([r, c])], { eps: bitsOf(1e-5) }])],
  ['embedding_backward', fc.tuple(dim, dim, dim).map(([n, v, d]): Case => ['embedding_backward', [ids([n], v), f([n, d])], { vocab: v }])],
  ['conv2d', fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 3, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 }))
    .map(([n, c, hw, co, stride, pad]): Case => ['conv2d', [f([n, c, hw, hw]), f([co, c, 3, 3]), f([co])], { stride, pad }])],
  ['conv2d_backward_w', fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 3, max: 10 }), fc.integer({ min: 1, max: 5 }))
    .map(([n, c, hw, co]): Case => ['conv2d_backward_w', [f([n, c, hw, hw]), f([n, co, hw - 2, hw - 2])], { kh: 3, kw: 3 }])],
  ['max_pool2d_backward', fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 16 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .map(([p, hw, k, s]): Case => ['max_pool2d_backward', [f([1, p, hw, hw]), f([1, p, Math.floor((hw - k) / s) + 1, Math.floor((hw - k) / s) + 1])], { kernel: k, stride: s }])],
  ['dropout', fc.tuple(fc.integer({ min: 1, max: 500 }), fc.nat(1000)).map(([n, s]): Case => ['dropout', [f([n])], { p: bitsOf(0.4), seed: s, stream: s + 1 }])],
  ['rand_normal', fc.tuple(fc.integer({ min: 1, max: 500 }), fc.nat(1000)).map(([n, s]): Case => ['rand_normal', [], { shape: [n], seed: s, stream: 2, mean: 0, std: bitsOf(1) }])],
  ['adamw_param', fc.integer({ min: 1, max: 300 }).map((n): Case => ['adamw_param', [f([n]), f([n]), f([n], 0, 1)], { lr: bitsOf(1e-3), beta1: bitsOf(0.9), beta2: bitsOf(0.999), eps: bitsOf(1e-8), weightDecay: bitsOf(0.01), step: 3 }])],
];

const others = availableBackends().filter((b) => b.name !== 'ts');
describe.skipIf(others.length === 0)('backends agree with the TypeScript reference on random shapes', () => {
  const ts = getBackend('ts');
  for (const be of others) {
    for (const [label, arb] of cases) {
      it(`${be.name}: ${label}`, () => {
        fc.assert(
          fc.property(arb, ([op, inputs, attrs]) => {
            expect(tensorHashHex(runOp(be, op, inputs, attrs)), op).toBe(tensorHashHex(runOp(ts, op, inputs, attrs)));
          }),
          { numRuns: 15 },
        );
      });
    }
  }
});
