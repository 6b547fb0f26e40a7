// Every backward op against central finite differences of its forward op. The loss is
// L = Σ w_i·y_i summed in double with fixed random weights w, so dL/dy = w is the upstream gradient.
import { describe, expect, it } from 'vitest';
import { getBackend } from '../backend.ts';
import { runOp } from '../opcodes.ts';
import type { Attrs } from '../ops/attrs.ts';
import { tensorF32, tensorI32, type Tensor, type F32Tensor } from '../tensor.ts';
import { uniformF32 } from '../rng.ts';
import { bitsOf } from '../f32.ts';

const be = getBackend('ts');
let stream = 1000;

function rand(shape: number[], lo = -1, hi = 1): F32Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = uniformF32(n, 5, stream++);
  return tensorF32(shape, u.map((v) => lo + (hi - lo) * v));
}

const run = (op: string, inputs: Tensor[], attrs: Attrs = {}): F32Tensor => runOp(be, op, inputs, attrs) as F32Tensor;

function loss(y: F32Tensor, w: Float32Array): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += w[i] * y.data[i];
  return s;
}

/** Checks grad(w) (the backward op fed dy = w) against finite differences of input `wrt`. */
function check(forward: (xs: Tensor[]) => F32Tensor, inputs: Tensor[], wrt: number, grad: (dy: F32Tensor) => F32Tensor, h = 1e-2, rtol = 1e-2): void {
  const y0 = forward(inputs);
  const w = rand(y0.shape);
  const an = grad(w).data;
  const x = inputs[wrt] as F32Tensor;
  expect(an.length).toBe(x.data.length);
  const fd = new Float64Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) {
    const orig = x.data[i];
    const step = h * Math.max(1, Math.abs(orig));
    const xp = tensorF32(x.shape, x.data.slice()), xm = tensorF32(x.shape, x.data.slice());
    xp.data[i] = orig + step;
    xm.data[i] = orig - step;
    const ins = (t: Tensor): Tensor[] => inputs.map((v, j) => (j === wrt ? t : v));
    fd[i] = (loss(forward(ins(xp)), w.data) - loss(forward(ins(xm)), w.data)) / (xp.data[i] - xm.data[i]);
  }
  let scale = 1e-3;
  for (const v of fd) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < fd.length; i++) expect(Math.abs(an[i] - fd[i]), `element ${i}: analytic ${an[i]} vs fd ${fd[i]}`).toBeLessThanOrEqual(rtol * scale);
}

const fwd = (op: string, attrs: Attrs = {}) => (xs: Tensor[]): F32Tensor => run(op, xs, attrs);

describe('gradients match finite differences', () => {
  it('matmul, plain and with transposed operands', () => {
    const a = rand([3, 4]), b = rand([4, 2]);
    check(fwd('matmul'), [a, b], 0, (dy) => run('matmul', [dy, b], { transB: true }));
    check(fwd('matmul'), [a, b], 1, (dy) => run('matmul', [a, dy], { transA: true }));
    const at = rand([4, 3]), bt = rand([2, 4]);
    const f = fwd('matmul', { transA: true, transB: true });
    check(f, [at, bt], 0, (dy) => run('matmul', [bt, dy], { transA: true, transB: true }));
    check(f, [at, bt], 1, (dy) => run('matmul', [dy, at], { transA: true, transB: true }));
  });

  it('bmm and matmul_bias', () => {
    const a = rand([2, 3, 4]), b = rand([2, 4, 2]);
    check(fwd('bmm'), [a, b], 0, (dy) => run('bmm', [dy, b], { transB: true }));
    check(fwd('bmm'), [a, b], 1, (dy) => run('bmm', [a, dy], { transA: true }));
    const x = rand([3, 4]), w = rand([4, 5]), bias = rand([5]);
    check(fwd('matmul_bias'), [x, w, bias], 2, (dy) => run('sum_rows', [dy]));
    check(fwd('matmul_bias'), [x, w, bias], 0, (dy) => run('matmul', [dy, w], { transB: true }));
  });

  it('elementwise arithmetic, bias and scale', () => {
    const a = rand([2, 3]), b = rand([2, 3], 0.5, 2);
    check(fwd('mul'), [a, b], 0, (dy) => run('mul', [dy, b]));
    check(fwd('div'), [a, b], 0, (dy) => run('div', [dy, b]));
    check(fwd('div'), [a, b], 1, (dy) => run('div_backward_b', [a, b, dy]));
    check(fwd('sub'), [a, b], 1, (dy) => run('scale', [dy], { s: bitsOf(-1) }));
    const bias = rand([3]);
    check(fwd('add_bias'), [a, bias], 1, (dy) => run('sum_rows', [dy]));
    check(fwd('scale', { s: bitsOf(0.75) }), [a], 0, (dy) => run('scale', [dy], { s: bitsOf(0.75) }));
  });

  it('activations and transcendentals', () => {
    const x = rand([12], -3, 3);
    const pos = rand([12], 0.2, 4);
    check(fwd('relu'), [x], 0, (dy) => run('relu_backward', [x, dy]), 1e-3);
    check(fwd('gelu'), [x], 0, (dy) => run('gelu_backward', [x, dy]));
    check(fwd('exp'), [x], 0, (dy) => run('exp_backward', [run('exp', [x]), dy]), 1e-3);
    check(fwd('log'), [pos], 0, (dy) => run('log_backward', [dy, pos]), 1e-3);
    check(fwd('tanh'), [x], 0, (dy) => run('tanh_backward', [run('tanh', [x]), dy]));
    check(fwd('sigmoid'), [x], 0, (dy) => run('sigmoid_backward', [run('sigmoid', [x]), dy]));
    check(fwd('sin'), [x], 0, (dy) => run('sin_backward', [x, dy]));
    check(fwd('cos'), [x], 0, (dy) => run('cos_backward', [x, dy]));
  });

  it('sum and mean over an axis', () => {
    const x = rand([2, 3, 4]);
    check(fwd('sum', { axis: 1 }), [x], 0, (dy) => run('sum_backward', [dy], { axis: 1, size: 3 }));
    check(fwd('mean', { axis: 2 }), [x], 0, (dy) => run('mean_backward', [dy], { axis: 2, size: 4 }));
  });

  it('softmax, log-softmax and cross-entropy', () => {
    const x = rand([3, 5], -3, 3);
    check(fwd('softmax'), [x], 0, (dy) => run('softmax_backward', [run('softmax', [x]), dy]));
    check(fwd('log_softmax'), [x], 0, (dy) => run('log_softmax_backward', [run('log_softmax', [x]), dy]));
    const labels = tensorI32([3], [4, 0, 2]);
    check(fwd('cross_entropy'), [x, labels], 0, (dy) => run('cross_entropy_backward', [x, labels, dy]));
  });

  it('layer norm: dx, dgamma, dbeta', () => {
    const x = rand([3, 6], -2, 2), g = rand([6], 0.5, 1.5), b = rand([6]);
    const attrs = { eps: bitsOf(1e-5) };
    const f = fwd('layer_norm', attrs);
    check(f, [x, g, b], 0, (dy) => run('layer_norm_backward_x', [x, g, dy], attrs), 1e-3, 2e-2);
    check(f, [x, g, b], 1, (dy) => run('layer_norm_backward_gamma', [x, dy], attrs));
    check(f, [x, g, b], 2, (dy) => run('sum_rows', [dy]));
  });

  it('embedding scatter-add, with repeated ids', () => {
    const table = rand([5, 3]), ids = tensorI32([2, 3], [1, 4, 1, 0, 1, 3]);
    check(fwd('embedding'), [table, ids], 0, (dy) => run('embedding_backward', [ids, dy], { vocab: 5 }));
  });

  it('conv2d: dx, dw, db (stride 2, padding 1)', () => {
    const x = rand([2, 2, 5, 4]), w = rand([3, 2, 3, 3]), b = rand([3]);
    const attrs = { stride: 2, pad: 1 };
    const f = fwd('conv2d', attrs);
    check(f, [x, w, b], 0, (dy) => run('conv2d_backward_x', [w, dy], { ...attrs, height: 5, width: 4 }));
    check(f, [x, w, b], 1, (dy) => run('conv2d_backward_w', [x, dy], { ...attrs, kh: 3, kw: 3 }));
    check(f, [x, w, b], 2, (dy) => run('conv2d_backward_bias', [dy]));
  });

  it('max and average pooling with overlapping windows', () => {
    const x = rand([1, 2, 5, 5]);
    const attrs = { kernel: 3, stride: 2 };
    check(fwd('max_pool2d', attrs), [x], 0, (dy) => run('max_pool2d_backward', [x, dy], attrs), 1e-3);
    check(fwd('avg_pool2d', attrs), [x], 0, (dy) => run('avg_pool2d_backward', [dy], { ...attrs, height: 5, width: 5 }));
  });

  it('layout ops and dropout', () => {
    const x = rand([2, 3, 4]);
    check(fwd('transpose'), [x], 0, (dy) => run('transpose', [dy]));
    check(fwd('split_heads', { heads: 2 }), [x], 0, (dy) => run('merge_heads', [dy]));
    check(fwd('reshape', { shape: [6, 4] }), [x], 0, (dy) => run('reshape', [dy], { shape: [2, 3, 4] }));
    const d = { p: bitsOf(0.5), seed: 9, stream: 2 };
    check(fwd('dropout', d), [x], 0, (dy) => run('dropout_backward', [dy], d));
  });
});

describe('causal self-attention composed from RepOps', () => {
  const T = 3, D = 2;
  const SCALE = Math.fround(1 / Math.sqrt(D));

  /** Double-precision reference: L = Σ W ∘ (softmax(mask(Q·Kᵀ·s)) · V). */
  function refLoss(q: Float64Array, k: Float64Array, v: Float64Array, w: Float32Array): number {
    let L = 0;
    for (let i = 0; i < T; i++) {
      const s: number[] = [];
      for (let j = 0; j <= i; j++) {
        let acc = 0;
        for (let d = 0; d < D; d++) acc += q[i * D + d] * k[j * D + d];
        s.push(acc * SCALE);
      }
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let d = 0; d < D; d++) {
        let o = 0;
        for (let j = 0; j <= i; j++) o += (e[j] / z) * v[j * D + d];
        L += w[i * D + d] * o;
      }
    }
    return L;
  }

  it('backward through Q·Kᵀ, scale, causal mask, softmax and ·V matches a double finite difference', () => {
    const q = rand([1, T, D]), k = rand([1, T, D]), v = rand([1, T, D]), w = rand([1, T, D]);
    const sBits = { s: bitsOf(SCALE) };
    // forward
    const s = run('scale', [run('bmm', [q, k], { transB: true })], sBits);
    const p = run('softmax', [run('causal_mask', [s])]);
    const o = run('bmm', [p, v]);
    expect(o.shape).toEqual([1, T, D]);
    // backward with dO = w
    const dP = run('bmm', [w, v], { transB: true });
    const dV = run('bmm', [p, w], { transA: true });
    const dS = run('scale', [run('causal_mask_backward', [run('softmax_backward', [p, dP])])], sBits);
    const dQ = run('bmm', [dS, k]);
    const dK = run('bmm', [dS, q], { transA: true });
    const grads = [dQ, dK, dV];
    const base = [q, k, v].map((t) => Float64Array.from(t.data));
    const h = 1e-6;
    base.forEach((arr, which) => {
      for (let i = 0; i < arr.length; i++) {
        const plus = base.map((b) => b.slice()), minus = base.map((b) => b.slice());
        plus[which][i] += h;
        minus[which][i] -= h;
        const fd = (refLoss(plus[0], plus[1], plus[2], w.data) - refLoss(minus[0], minus[1], minus[2], w.data)) / (2 * h);
        expect(Math.abs(grads[which].data[i] - fd), `input ${which} element ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
      }
    });
  });
});
