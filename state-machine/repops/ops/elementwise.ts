// Elementwise arithmetic (same shapes, no implicit broadcasting), bias add and scale.
// Gradients: add passes dy through; sub negates it (scale by -1); mul is mul by the other operand;
// div w.r.t. a is div(dy, b), w.r.t. b is div_backward_b; add_bias w.r.t. bias is sum over rows.
import type { Backend } from '../reference.ts';
import type { Kernels } from '../kernels.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32, sameShape } from '../tensor.ts';
import { ShapeError } from '../errors.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, f32Attr, lastAxis } from './attrs.ts';

type Binary = 'add' | 'sub' | 'mul' | 'div';
type UnaryKernel = 'relu' | 'exp' | 'log' | 'tanh' | 'sigmoid' | 'sin' | 'cos' | 'gelu';
type PairKernel = 'reluBackward' | 'sinBackward' | 'cosBackward' | 'tanhBackward' | 'sigmoidBackward' | 'geluBackward' | 'mul' | 'div';

/** Same-shape f32 inputs → one output of that shape. */
export function sameShapeInputs(op: string, inputs: readonly Tensor[], n: number): Float32Array[] {
  checkArity(op, inputs, n);
  const ts = inputs.map((_, i) => f32In(op, inputs, i, `input${i}`));
  for (const t of ts) if (!sameShape(t.shape, ts[0].shape)) throw new ShapeError(op, 'inputs must have the same shape');
  return ts.map((t) => t.data);
}

export function binaryOp(op: string, kernel: Binary) {
  return (be: Backend, inputs: readonly Tensor[]): Tensor => {
    const [a, b] = sameShapeInputs(op, inputs, 2);
    const out = tensorF32(inputs[0].shape);
    be.kernels[kernel](a, b, out.data);
    return out;
  };
}

export function unaryOp(op: string, kernel: UnaryKernel) {
  return (be: Backend, inputs: readonly Tensor[]): Tensor => {
    const [x] = sameShapeInputs(op, inputs, 1);
    const out = tensorF32(inputs[0].shape);
    (be.kernels[kernel] as Kernels['exp'])(x, out.data);
    return out;
  };
}

/** (first, dy) → out with a two-input elementwise kernel (activation gradients). */
export function pairOp(op: string, kernel: PairKernel) {
  return (be: Backend, inputs: readonly Tensor[]): Tensor => {
    const [x, dy] = sameShapeInputs(op, inputs, 2);
    const out = tensorF32(inputs[0].shape);
    (be.kernels[kernel] as Kernels['mul'])(x, dy, out.data);
    return out;
  };
}

/** Inputs (a, b, dy): gradient of a/b with respect to b. */
export function divBackwardB(be: Backend, inputs: readonly Tensor[]): Tensor {
  const [a, b, dy] = sameShapeInputs('div_backward_b', inputs, 3);
  const out = tensorF32(inputs[0].shape);
  be.kernels.divBackwardB(a, b, dy, out.data);
  return out;
}

/** x [..., C] + bias [C]. */
export function addBias(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('add_bias', inputs, 2);
  const x = f32In('add_bias', inputs, 0, 'x'), bias = f32In('add_bias', inputs, 1, 'bias');
  const [rows, cols] = lastAxis(x);
  if (x.shape.length < 1 || bias.shape.length !== 1 || bias.shape[0] !== cols) throw new ShapeError('add_bias', `bias must be [${cols}]`);
  const out = tensorF32(x.shape);
  be.kernels.addBias(x.data, bias.data, out.data, rows, cols);
  return out;
}

/** fl(x · s), s an f32 bit-pattern attribute; its gradient is the same op on dy. */
export function scale(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('scale', inputs, 1);
  const x = f32In('scale', inputs, 0, 'x');
  const out = tensorF32(x.shape);
  be.kernels.scale(x.data, f32Attr('scale', attrs, 's'), out.data);
  return out;
}
