// softmax / log-softmax over the last axis, cross-entropy over logits [B, C] with i32 labels [B]
// (mean over the batch), and their gradients.
import type { Backend } from '../reference.ts';
import type { Tensor, F32Tensor, I32Tensor } from '../tensor.ts';
import { tensorF32, sameShape } from '../tensor.ts';
import { ShapeError, IndexRangeError } from '../errors.ts';
import { checkArity, f32In, i32In, lastAxis, rank } from './attrs.ts';

function rowwise(op: string, kernel: 'softmax' | 'logSoftmax') {
  return (be: Backend, inputs: readonly Tensor[]): Tensor => {
    checkArity(op, inputs, 1);
    const x = f32In(op, inputs, 0, 'x');
    if (x.shape.length < 1) throw new ShapeError(op, 'needs rank >= 1');
    const [rows, cols] = lastAxis(x);
    const out = tensorF32(x.shape);
    be.kernels[kernel](x.data, out.data, rows, cols);
    return out;
  };
}

/** Inputs (y, dy) where y is the forward output. */
function rowwiseBackward(op: string, kernel: 'softmaxBackward' | 'logSoftmaxBackward') {
  return (be: Backend, inputs: readonly Tensor[]): Tensor => {
    checkArity(op, inputs, 2);
    const y = f32In(op, inputs, 0, 'y'), dy = f32In(op, inputs, 1, 'dy');
    if (y.shape.length < 1 || !sameShape(y.shape, dy.shape)) throw new ShapeError(op, 'y and dy must have the same shape, rank >= 1');
    const [rows, cols] = lastAxis(y);
    const out = tensorF32(y.shape);
    be.kernels[kernel](y.data, dy.data, out.data, rows, cols);
    return out;
  };
}

export const softmax = rowwise('softmax', 'softmax');
export const logSoftmax = rowwise('log_softmax', 'logSoftmax');
export const softmaxBackward = rowwiseBackward('softmax_backward', 'softmaxBackward');
export const logSoftmaxBackward = rowwiseBackward('log_softmax_backward', 'logSoftmaxBackward');

function checkLabels(op: string, inputs: readonly Tensor[]): { logits: F32Tensor; labels: I32Tensor; rows: number; cols: number } {
  const logits = f32In(op, inputs, 0, 'logits'), labels = i32In(op, inputs, 1, 'labels');
  rank(op, logits, 2, 'logits');
  rank(op, labels, 1, 'labels');
  const [rows, cols] = logits.shape;
  if (labels.shape[0] !== rows) throw new ShapeError(op, `labels must be [${rows}]`);
  if (rows === 0 || cols === 0) throw new ShapeError(op, 'empty logits');
  for (let i = 0; i < rows; i++) {
    const l = labels.data[i];
    if (l < 0 || l >= cols) throw new IndexRangeError(op, `label ${l} at ${i} outside [0, ${cols})`);
  }
  return { logits, labels, rows, cols };
}

/** (logits [B, C], labels i32 [B]) → scalar mean loss. */
export function crossEntropy(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('cross_entropy', inputs, 2);
  const { logits, labels, rows, cols } = checkLabels('cross_entropy', inputs);
  const out = tensorF32([]);
  be.kernels.crossEntropy(logits.data, labels.data, out.data, rows, cols);
  return out;
}

/** (logits, labels, dloss scalar) → dlogits. */
export function crossEntropyBackward(be: Backend, inputs: readonly Tensor[]): Tensor {
  checkArity('cross_entropy_backward', inputs, 3);
  const { logits, labels, rows, cols } = checkLabels('cross_entropy_backward', inputs);
  const dloss = f32In('cross_entropy_backward', inputs, 2, 'dloss');
  if (dloss.data.length !== 1) throw new ShapeError('cross_entropy_backward', 'dloss must be a scalar');
  const out = tensorF32([rows, cols]);
  be.kernels.crossEntropyBackward(logits.data, labels.data, dloss.data[0], out.data, rows, cols);
  return out;
}
