// Causal mask over the last two axes [..., T, S]: position j > i gets −Inf (forward) so that softmax
// gives it weight +0; the gradient passes dy where j <= i and +0 elsewhere.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32 } from '../tensor.ts';
import { checkArity, f32In, minRank, product } from './attrs.ts';

function masked(op: string, fill: number) {
  return (be: Backend, inputs: readonly Tensor[]): Tensor => {
    checkArity(op, inputs, 1);
    const x = f32In(op, inputs, 0, 'x');
    minRank(op, x, 2, 'x');
    const r = x.shape.length;
    const out = tensorF32(x.shape);
    be.kernels.causalMask(x.data, out.data, product(x.shape.slice(0, r - 2)), x.shape[r - 2], x.shape[r - 1], fill);
    return out;
  };
}

export const causalMask = masked('causal_mask', -Infinity);
export const causalMaskBackward = masked('causal_mask_backward', 0);
