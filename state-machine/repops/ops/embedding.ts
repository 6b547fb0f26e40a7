// Embedding lookup (table [V, D], ids i32 [...]) → [..., D], and its scatter-add gradient accumulated
// in increasing position order.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32 } from '../tensor.ts';
import { ShapeError, IndexRangeError } from '../errors.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, i32In, intAttr, rank } from './attrs.ts';

function checkIds(op: string, ids: Int32Array, vocab: number): void {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= vocab) throw new IndexRangeError(op, `id ${ids[i]} at ${i} outside [0, ${vocab})`);
  }
}

export function embedding(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('embedding', inputs, 2);
  const table = f32In('embedding', inputs, 0, 'table'), ids = i32In('embedding', inputs, 1, 'ids');
  rank('embedding', table, 2, 'table');
  const [vocab, dim] = table.shape;
  checkIds('embedding', ids.data, vocab);
  const out = tensorF32([...ids.shape, dim]);
  be.kernels.embedding(table.data, ids.data, out.data, vocab, dim, ids.data.length);
  return out;
}

/** (ids [...], dy [..., D]) with attr vocab → dtable [vocab, D]. */
export function embeddingBackward(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'embedding_backward';
  checkArity(op, inputs, 2);
  const ids = i32In(op, inputs, 0, 'ids'), dy = f32In(op, inputs, 1, 'dy');
  const vocab = intAttr(op, attrs, 'vocab', 1);
  if (dy.shape.length !== ids.shape.length + 1 || ids.shape.some((d, i) => dy.shape[i] !== d)) {
    throw new ShapeError(op, 'dy must be [...ids.shape, D]');
  }
  const dim = dy.shape[dy.shape.length - 1];
  checkIds(op, ids.data, vocab);
  const out = tensorF32([vocab, dim]);
  be.kernels.embeddingBackward(ids.data, dy.data, out.data, vocab, dim, ids.data.length);
  return out;
}
