// sum / mean over one axis (sequential in increasing index order from +0), their broadcasting
// gradients, and argmax over the last axis.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32, tensorI32 } from '../tensor.ts';
import { AttrError, ShapeError } from '../errors.ts';
import { fl } from '../f32.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, intAttr, product, lastAxis } from './attrs.ts';

function axisOf(op: string, attrs: Attrs, r: number): number {
  const v = attrs.axis;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -r || v >= r) throw new AttrError(op, 'axis', `must be in [-${r}, ${r})`);
  return v < 0 ? v + r : v;
}

function reduce(op: string, mean: boolean) {
  return (be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor => {
    checkArity(op, inputs, 1);
    const x = f32In(op, inputs, 0, 'x');
    const ax = axisOf(op, attrs, x.shape.length);
    const outer = product(x.shape.slice(0, ax)), n = x.shape[ax], inner = product(x.shape.slice(ax + 1));
    const out = tensorF32([...x.shape.slice(0, ax), ...x.shape.slice(ax + 1)]);
    if (mean) be.kernels.meanAxis(x.data, out.data, outer, n, inner);
    else be.kernels.sumAxis(x.data, out.data, outer, n, inner);
    return out;
  };
}

/** dy (the reduced shape) → dx: dy broadcast along `axis` of length `size` (divided by size for mean). */
function expand(op: string, mean: boolean) {
  return (be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor => {
    checkArity(op, inputs, 1);
    const dy = f32In(op, inputs, 0, 'dy');
    const ax = axisOf(op, attrs, dy.shape.length + 1);
    const size = intAttr(op, attrs, 'size', 1);
    const shape = [...dy.shape.slice(0, ax), size, ...dy.shape.slice(ax)];
    const out = tensorF32(shape);
    be.kernels.expandAxis(dy.data, out.data, product(shape.slice(0, ax)), size, product(shape.slice(ax + 1)), mean ? fl(size) : 1);
    return out;
  };
}

export const sum = reduce('sum', false);
export const mean = reduce('mean', true);
export const sumBackward = expand('sum_backward', false);
export const meanBackward = expand('mean_backward', true);

/** i32 index of the first maximum over the last axis. */
export function argmax(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('argmax', inputs, 1);
  const x = f32In('argmax', inputs, 0, 'x');
  const [rows, cols] = lastAxis(x);
  if (x.shape.length < 1 || cols === 0) throw new ShapeError('argmax', 'needs a non-empty last axis');
  const out = tensorI32(x.shape.slice(0, -1));
  be.kernels.argmax(x.data, out.data, rows, cols);
  return out;
}
