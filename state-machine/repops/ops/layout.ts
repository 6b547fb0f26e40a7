// Shape and layout ops: exact copies, so their gradients are the inverse layout op.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32, tensorI32, numel } from '../tensor.ts';
import { ShapeError, AttrError } from '../errors.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, intAttr, minRank, product, rank, shapeAttr } from './attrs.ts';

/** Same elements, new shape (element count must match); works for f32 and i32. */
export function reshape(_be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('reshape', inputs, 1);
  const x = inputs[0];
  const shape = shapeAttr('reshape', attrs, 'shape');
  if (numel(shape) !== x.data.length) throw new ShapeError('reshape', `cannot view ${x.data.length} elements as [${shape.join(',')}]`);
  return x.dtype === 'f32' ? tensorF32(shape, x.data.slice()) : tensorI32(shape, x.data.slice());
}

function swap(be: Backend, op: string, x: Tensor, ax: number): Tensor {
  const t = f32In(op, [x], 0, 'x');
  const s = t.shape;
  const shape = [...s];
  shape[ax] = s[ax + 1];
  shape[ax + 1] = s[ax];
  const out = tensorF32(shape);
  be.kernels.swapAxes(t.data, out.data, product(s.slice(0, ax)), s[ax], s[ax + 1], product(s.slice(ax + 2)));
  return out;
}

/** Swaps the last two axes (2-D transpose, or Kᵀ per batch/head). */
export function transpose(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('transpose', inputs, 1);
  minRank('transpose', inputs[0], 2, 'x');
  return swap(be, 'transpose', inputs[0], inputs[0].shape.length - 2);
}

/** Swaps two adjacent axes: attrs axis (the first of the two). */
export function swapAxes(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('swap_axes', inputs, 1);
  const r = inputs[0].shape.length;
  const ax = intAttr('swap_axes', attrs, 'axis', 0);
  if (ax + 1 >= r) throw new AttrError('swap_axes', 'axis', `axis and axis+1 must be < rank ${r}`);
  return swap(be, 'swap_axes', inputs[0], ax);
}

/** [B, T, H·D] → [B, H, T, D] with attr heads = H. */
export function splitHeads(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('split_heads', inputs, 1);
  const x = f32In('split_heads', inputs, 0, 'x');
  rank('split_heads', x, 3, 'x');
  const H = intAttr('split_heads', attrs, 'heads', 1);
  const [B, T, E] = x.shape;
  if (E % H !== 0) throw new ShapeError('split_heads', `${E} not divisible by ${H} heads`);
  const D = E / H;
  const out = tensorF32([B, H, T, D]);
  be.kernels.swapAxes(x.data, out.data, B, T, H, D);
  return out;
}

/** [B, H, T, D] → [B, T, H·D]. */
export function mergeHeads(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('merge_heads', inputs, 1);
  const x = f32In('merge_heads', inputs, 0, 'x');
  rank('merge_heads', x, 4, 'x');
  const [B, H, T, D] = x.shape;
  const out = tensorF32([B, T, H * D]);
  be.kernels.swapAxes(x.data, out.data, B, H, T, D);
  return out;
}
