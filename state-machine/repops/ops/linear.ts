// matmul, batched matmul and the fused matmul+bias. Backward passes are matmuls with other transpose
// flags (dA = dC·Bᵀ, dB = Aᵀ·dC), so they reuse these opcodes.
import type { Backend } from '../reference.ts';
import type { Tensor, F32Tensor } from '../tensor.ts';
import { tensorF32 } from '../tensor.ts';
import { ShapeError } from '../errors.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, boolAttr, rank } from './attrs.ts';

function dims2(op: string, a: F32Tensor, b: F32Tensor, ta: boolean, tb: boolean): [number, number, number] {
  const r = a.shape.length;
  const [am, ak] = ta ? [a.shape[r - 1], a.shape[r - 2]] : [a.shape[r - 2], a.shape[r - 1]];
  const [bk, bn] = tb ? [b.shape[r - 1], b.shape[r - 2]] : [b.shape[r - 2], b.shape[r - 1]];
  if (ak !== bk) throw new ShapeError(op, `inner dimensions differ: ${ak} vs ${bk}`);
  return [am, ak, bn];
}

export function matmul(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('matmul', inputs, 2);
  const a = f32In('matmul', inputs, 0, 'a'), b = f32In('matmul', inputs, 1, 'b');
  rank('matmul', a, 2, 'a');
  rank('matmul', b, 2, 'b');
  const ta = boolAttr('matmul', attrs, 'transA', false), tb = boolAttr('matmul', attrs, 'transB', false);
  const [M, K, N] = dims2('matmul', a, b, ta, tb);
  const out = tensorF32([M, N]);
  be.kernels.matmul(a.data, b.data, out.data, M, K, N, ta, tb);
  return out;
}

export function bmm(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('bmm', inputs, 2);
  const a = f32In('bmm', inputs, 0, 'a'), b = f32In('bmm', inputs, 1, 'b');
  if (a.shape.length < 3 || a.shape.length !== b.shape.length) throw new ShapeError('bmm', 'operands must have the same rank >= 3');
  const batchDims = a.shape.slice(0, -2);
  for (let i = 0; i < batchDims.length; i++) {
    if (a.shape[i] !== b.shape[i]) throw new ShapeError('bmm', 'batch dimensions differ');
  }
  const ta = boolAttr('bmm', attrs, 'transA', false), tb = boolAttr('bmm', attrs, 'transB', false);
  const [M, K, N] = dims2('bmm', a, b, ta, tb);
  const batch = batchDims.reduce((x, y) => x * y, 1);
  const out = tensorF32([...batchDims, M, N]);
  be.kernels.bmm(a.data, b.data, out.data, batch, M, K, N, ta, tb);
  return out;
}

export function matmulBias(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('matmul_bias', inputs, 3);
  const a = f32In('matmul_bias', inputs, 0, 'a'), b = f32In('matmul_bias', inputs, 1, 'b');
  const bias = f32In('matmul_bias', inputs, 2, 'bias');
  rank('matmul_bias', a, 2, 'a');
  rank('matmul_bias', b, 2, 'b');
  const ta = boolAttr('matmul_bias', attrs, 'transA', false), tb = boolAttr('matmul_bias', attrs, 'transB', false);
  const [M, K, N] = dims2('matmul_bias', a, b, ta, tb);
  if (bias.shape.length !== 1 || bias.shape[0] !== N) throw new ShapeError('matmul_bias', `bias must be [${N}]`);
  const out = tensorF32([M, N]);
  be.kernels.matmulBias(a.data, b.data, bias.data, out.data, M, K, N, ta, tb);
  return out;
}
