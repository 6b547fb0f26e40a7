// Layer norm over the last axis with affine γ, β; the backward is three single-output ops
// (dx, dγ, dβ). Statistics are recomputed from x in the backward ops, with the same code path.
import type { Backend } from '../reference.ts';
import type { Tensor, F32Tensor } from '../tensor.ts';
import { tensorF32, sameShape } from '../tensor.ts';
import { ShapeError } from '../errors.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, finiteF32Attr, lastAxis } from './attrs.ts';

const DEFAULT_EPS_BITS = 0x3727c5ac; // 1e-5

function epsOf(op: string, attrs: Attrs): number {
  return finiteF32Attr(op, attrs, 'eps', DEFAULT_EPS_BITS);
}

function checkVec(op: string, v: F32Tensor, cols: number, name: string): void {
  if (v.shape.length !== 1 || v.shape[0] !== cols) throw new ShapeError(op, `${name} must be [${cols}]`);
}

/** (x [..., C], γ [C], β [C]) → y. */
export function layerNorm(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('layer_norm', inputs, 3);
  const x = f32In('layer_norm', inputs, 0, 'x');
  if (x.shape.length < 1) throw new ShapeError('layer_norm', 'needs rank >= 1');
  const [rows, cols] = lastAxis(x);
  const g = f32In('layer_norm', inputs, 1, 'gamma'), b = f32In('layer_norm', inputs, 2, 'beta');
  checkVec('layer_norm', g, cols, 'gamma');
  checkVec('layer_norm', b, cols, 'beta');
  const out = tensorF32(x.shape);
  be.kernels.layerNorm(x.data, g.data, b.data, out.data, rows, cols, epsOf('layer_norm', attrs));
  return out;
}

/** (x, γ, dy) → dx. */
export function layerNormBackwardX(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'layer_norm_backward_x';
  checkArity(op, inputs, 3);
  const x = f32In(op, inputs, 0, 'x'), g = f32In(op, inputs, 1, 'gamma'), dy = f32In(op, inputs, 2, 'dy');
  if (x.shape.length < 1 || !sameShape(x.shape, dy.shape)) throw new ShapeError(op, 'x and dy must have the same shape');
  const [rows, cols] = lastAxis(x);
  checkVec(op, g, cols, 'gamma');
  const out = tensorF32(x.shape);
  be.kernels.layerNormBackwardX(x.data, g.data, dy.data, out.data, rows, cols, epsOf(op, attrs));
  return out;
}

/** (x, dy) → dγ [C]. */
export function layerNormBackwardGamma(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'layer_norm_backward_gamma';
  checkArity(op, inputs, 2);
  const x = f32In(op, inputs, 0, 'x'), dy = f32In(op, inputs, 1, 'dy');
  if (x.shape.length < 1 || !sameShape(x.shape, dy.shape)) throw new ShapeError(op, 'x and dy must have the same shape');
  const [rows, cols] = lastAxis(x);
  const out = tensorF32([cols]);
  be.kernels.layerNormBackwardGamma(x.data, dy.data, out.data, rows, cols, epsOf(op, attrs));
  return out;
}

/** (dy [..., C]) → dβ [C] = Σ over rows (also the gradient of add_bias). */
export function sumRows(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('sum_rows', inputs, 1);
  const dy = f32In('sum_rows', inputs, 0, 'dy');
  if (dy.shape.length < 1) throw new ShapeError('sum_rows', 'needs rank >= 1');
  const [rows, cols] = lastAxis(dy);
  const out = tensorF32([cols]);
  be.kernels.sumAxis(dy.data, out.data, 1, rows, cols);
  return out;
}
