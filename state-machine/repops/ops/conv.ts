// 2-D convolution (NCHW, square stride, zero padding) through im2col + matmul, and its gradients:
// dx through col2im, dW and db as single sequential sums over (n, p) in that order.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32, numel } from '../tensor.ts';
import { ShapeError } from '../errors.ts';
import { fl } from '../f32.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, intAttr, rank } from './attrs.ts';

interface Geometry {
  N: number; C: number; H: number; W: number; Co: number; kh: number; kw: number;
  stride: number; pad: number; Ho: number; Wo: number; R: number; P: number;
}

function geometry(op: string, N: number, C: number, H: number, W: number, Co: number, kh: number, kw: number, attrs: Attrs): Geometry {
  const stride = intAttr(op, attrs, 'stride', 1, 1);
  const pad = intAttr(op, attrs, 'pad', 0, 0);
  const Ho = Math.floor((H + 2 * pad - kh) / stride) + 1;
  const Wo = Math.floor((W + 2 * pad - kw) / stride) + 1;
  if (kh < 1 || kw < 1 || Ho < 1 || Wo < 1) throw new ShapeError(op, 'kernel larger than the padded input');
  return { N, C, H, W, Co, kh, kw, stride, pad, Ho, Wo, R: C * kh * kw, P: Ho * Wo };
}

function im2col(be: Backend, x: Float32Array, g: Geometry): Float32Array {
  const col = new Float32Array(numel([g.N, g.R, g.P]));
  be.kernels.im2col(x, col, g.N, g.C, g.H, g.W, g.kh, g.kw, g.stride, g.pad);
  return col;
}

/** [N, A, P] → [A, N·P] */
function channelsFirst(be: Backend, t: Float32Array, N: number, A: number, P: number): Float32Array {
  const out = new Float32Array(t.length);
  be.kernels.swapAxes(t, out, 1, N, A, P);
  return out;
}

/** (x [N,C,H,W], w [Co,C,kh,kw], bias [Co]?) → y [N,Co,Ho,Wo]; y = fl(Σ_r w·col + b): sum first, then bias. */
export function conv2d(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('conv2d', inputs, 2, 3);
  const x = f32In('conv2d', inputs, 0, 'x'), w = f32In('conv2d', inputs, 1, 'w');
  rank('conv2d', x, 4, 'x');
  rank('conv2d', w, 4, 'w');
  const [N, C, H, W] = x.shape;
  const [Co, Cw, kh, kw] = w.shape;
  if (Cw !== C) throw new ShapeError('conv2d', `w has ${Cw} input channels, x has ${C}`);
  const g = geometry('conv2d', N, C, H, W, Co, kh, kw, attrs);
  const bias = inputs.length === 3 ? f32In('conv2d', inputs, 2, 'bias') : null;
  if (bias !== null && (bias.shape.length !== 1 || bias.shape[0] !== Co)) throw new ShapeError('conv2d', `bias must be [${Co}]`);
  const col = im2col(be, x.data, g);
  const out = tensorF32([N, Co, g.Ho, g.Wo]);
  for (let n = 0; n < N; n++) {
    be.kernels.matmul(w.data, col.subarray(n * g.R * g.P, (n + 1) * g.R * g.P), out.data.subarray(n * Co * g.P, (n + 1) * Co * g.P), Co, g.R, g.P, false, false);
  }
  if (bias !== null) {
    const y = out.data, b = bias.data;
    for (let n = 0; n < N; n++) {
      for (let co = 0; co < Co; co++) {
        const off = (n * Co + co) * g.P;
        for (let p = 0; p < g.P; p++) y[off + p] = fl(y[off + p] + b[co]);
      }
    }
  }
  return out;
}

/** (w, dy) with attrs height, width, stride, pad → dx [N,C,H,W]. */
export function conv2dBackwardX(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'conv2d_backward_x';
  checkArity(op, inputs, 2);
  const w = f32In(op, inputs, 0, 'w'), dy = f32In(op, inputs, 1, 'dy');
  rank(op, w, 4, 'w');
  rank(op, dy, 4, 'dy');
  const [Co, C, kh, kw] = w.shape;
  const N = dy.shape[0];
  const g = geometry(op, N, C, intAttr(op, attrs, 'height', 1), intAttr(op, attrs, 'width', 1), Co, kh, kw, attrs);
  if (dy.shape[1] !== Co || dy.shape[2] !== g.Ho || dy.shape[3] !== g.Wo) throw new ShapeError(op, `dy must be [${N},${Co},${g.Ho},${g.Wo}]`);
  const dcol = new Float32Array(numel([N, g.R, g.P]));
  for (let n = 0; n < N; n++) {
    be.kernels.matmul(w.data, dy.data.subarray(n * Co * g.P, (n + 1) * Co * g.P), dcol.subarray(n * g.R * g.P, (n + 1) * g.R * g.P), g.R, Co, g.P, true, false);
  }
  const out = tensorF32([N, C, g.H, g.W]);
  be.kernels.col2im(dcol, out.data, N, C, g.H, g.W, kh, kw, g.stride, g.pad);
  return out;
}

/** (x, dy) with attrs kh, kw, stride, pad → dw [Co,C,kh,kw] = dyᵀ·colᵀ summed over (n, p) in order. */
export function conv2dBackwardW(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'conv2d_backward_w';
  checkArity(op, inputs, 2);
  const x = f32In(op, inputs, 0, 'x'), dy = f32In(op, inputs, 1, 'dy');
  rank(op, x, 4, 'x');
  rank(op, dy, 4, 'dy');
  const [N, C, H, W] = x.shape;
  const Co = dy.shape[1];
  const g = geometry(op, N, C, H, W, Co, intAttr(op, attrs, 'kh', 1), intAttr(op, attrs, 'kw', 1), attrs);
  if (dy.shape[0] !== N || dy.shape[2] !== g.Ho || dy.shape[3] !== g.Wo) throw new ShapeError(op, `dy must be [${N},${Co},${g.Ho},${g.Wo}]`);
  const colT = channelsFirst(be, im2col(be, x.data, g), N, g.R, g.P);
  const dyT = channelsFirst(be, dy.data, N, Co, g.P);
  const out = tensorF32([Co, C, g.kh, g.kw]);
  be.kernels.matmul(dyT, colT, out.data, Co, N * g.P, g.R, false, true);
  return out;
}

/** (dy [N,Co,Ho,Wo]) → db [Co] = Σ over (n, p) in order. */
export function conv2dBackwardBias(be: Backend, inputs: readonly Tensor[]): Tensor {
  const op = 'conv2d_backward_bias';
  checkArity(op, inputs, 1);
  const dy = f32In(op, inputs, 0, 'dy');
  rank(op, dy, 4, 'dy');
  const [N, Co, Ho, Wo] = dy.shape;
  const dyT = channelsFirst(be, dy.data, N, Co, Ho * Wo);
  const out = tensorF32([Co]);
  be.kernels.sumAxis(dyT, out.data, Co, N * Ho * Wo, 1);
  return out;
}
