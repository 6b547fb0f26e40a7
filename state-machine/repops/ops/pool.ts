// 2-D max and average pooling over [N, C, H, W] (square window `kernel`, `stride` defaulting to the
// kernel, no padding) and their gradients.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32, sameShape } from '../tensor.ts';
import { ShapeError } from '../errors.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, intAttr, rank } from './attrs.ts';

interface PoolGeom { planes: number; H: number; W: number; k: number; s: number; Ho: number; Wo: number }

function geom(op: string, shape: readonly number[], attrs: Attrs): PoolGeom {
  const k = intAttr(op, attrs, 'kernel', 1);
  const s = intAttr(op, attrs, 'stride', 1, k);
  const [N, C, H, W] = shape;
  if (H < k || W < k) throw new ShapeError(op, `window ${k} larger than ${H}x${W}`);
  return { planes: N * C, H, W, k, s, Ho: Math.floor((H - k) / s) + 1, Wo: Math.floor((W - k) / s) + 1 };
}

function forward(op: string, kernel: 'maxPool2d' | 'avgPool2d') {
  return (be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor => {
    checkArity(op, inputs, 1);
    const x = f32In(op, inputs, 0, 'x');
    rank(op, x, 4, 'x');
    const g = geom(op, x.shape, attrs);
    const out = tensorF32([x.shape[0], x.shape[1], g.Ho, g.Wo]);
    be.kernels[kernel](x.data, out.data, g.planes, g.H, g.W, g.k, g.s);
    return out;
  };
}

export const maxPool2d = forward('max_pool2d', 'maxPool2d');
export const avgPool2d = forward('avg_pool2d', 'avgPool2d');

/** (x, dy) → dx: each dy goes to the first maximum of its window. */
export function maxPool2dBackward(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'max_pool2d_backward';
  checkArity(op, inputs, 2);
  const x = f32In(op, inputs, 0, 'x'), dy = f32In(op, inputs, 1, 'dy');
  rank(op, x, 4, 'x');
  const g = geom(op, x.shape, attrs);
  if (!sameShape(dy.shape, [x.shape[0], x.shape[1], g.Ho, g.Wo])) throw new ShapeError(op, 'dy shape does not match the pooled x');
  const out = tensorF32(x.shape);
  be.kernels.maxPool2dBackward(x.data, dy.data, out.data, g.planes, g.H, g.W, g.k, g.s);
  return out;
}

/** (dy) with attrs height, width, kernel, stride → dx. */
export function avgPool2dBackward(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'avg_pool2d_backward';
  checkArity(op, inputs, 1);
  const dy = f32In(op, inputs, 0, 'dy');
  rank(op, dy, 4, 'dy');
  const shape = [dy.shape[0], dy.shape[1], intAttr(op, attrs, 'height', 1), intAttr(op, attrs, 'width', 1)];
  const g = geom(op, shape, attrs);
  if (dy.shape[2] !== g.Ho || dy.shape[3] !== g.Wo) throw new ShapeError(op, 'dy shape does not match height/width');
  const out = tensorF32(shape);
  be.kernels.avgPool2dBackward(dy.data, out.data, g.planes, g.H, g.W, g.k, g.s);
  return out;
}
