// The opcode table: the only way the step graph and the chain's referee run RepOps. Opcode numbers
// and names are part of the protocol (committed in traces): never renumber, only append.
// Every op maps (inputs: Tensor[], attrs) → exactly one output Tensor.
import type { Backend } from './reference.ts';
import type { Tensor } from './tensor.ts';
import { UnknownOpError } from './errors.ts';
import type { Attrs } from './ops/attrs.ts';
import { matmul, bmm, matmulBias } from './ops/linear.ts';
import { binaryOp, unaryOp, pairOp, divBackwardB, addBias, scale } from './ops/elementwise.ts';
import { sum, mean, sumBackward, meanBackward, argmax } from './ops/reductions.ts';
import { softmax, softmaxBackward, logSoftmax, logSoftmaxBackward, crossEntropy, crossEntropyBackward } from './ops/softmax.ts';
import { layerNorm, layerNormBackwardX, layerNormBackwardGamma, sumRows } from './ops/layernorm.ts';
import { embedding, embeddingBackward } from './ops/embedding.ts';
import { conv2d, conv2dBackwardX, conv2dBackwardW, conv2dBackwardBias } from './ops/conv.ts';
import { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } from './ops/pool.ts';
import { reshape, transpose, swapAxes, splitHeads, mergeHeads } from './ops/layout.ts';
import { causalMask, causalMaskBackward } from './ops/attention.ts';
import { dropout, dropoutBackward, randUniform, randNormal, zeros, permutation } from './ops/random.ts';
import { sgdVelocity, sgdParam, adamwM, adamwV, adamwParam } from './ops/optim.ts';

export type OpFn = (backend: Backend, inputs: readonly Tensor[], attrs: Attrs) => Tensor;

export interface OpDef {
  readonly opcode: number;
  readonly name: string;
  /** Input names in order (a trailing '?' marks an optional input). */
  readonly inputs: readonly string[];
  readonly run: OpFn;
}

function def(opcode: number, name: string, inputs: readonly string[], run: OpFn): OpDef {
  return Object.freeze({ opcode, name, inputs: Object.freeze([...inputs]), run });
}

export const OPS: readonly OpDef[] = Object.freeze([
  // linear algebra (attrs transA, transB: boolean, default false)
  def(1, 'matmul', ['a', 'b'], matmul),
  def(2, 'bmm', ['a', 'b'], bmm),
  def(3, 'matmul_bias', ['a', 'b', 'bias'], matmulBias),
  // elementwise
  def(10, 'add', ['a', 'b'], binaryOp('add', 'add')),
  def(11, 'sub', ['a', 'b'], binaryOp('sub', 'sub')),
  def(12, 'mul', ['a', 'b'], binaryOp('mul', 'mul')),
  def(13, 'div', ['a', 'b'], binaryOp('div', 'div')),
  def(14, 'div_backward_b', ['a', 'b', 'dy'], divBackwardB),
  def(15, 'add_bias', ['x', 'bias'], addBias),
  def(16, 'scale', ['x'], scale),
  // activations and transcendentals; gradients take (x or y, dy)
  def(30, 'relu', ['x'], unaryOp('relu', 'relu')),
  def(31, 'relu_backward', ['x', 'dy'], pairOp('relu_backward', 'reluBackward')),
  def(32, 'gelu', ['x'], unaryOp('gelu', 'gelu')),
  def(33, 'gelu_backward', ['x', 'dy'], pairOp('gelu_backward', 'geluBackward')),
  def(34, 'exp', ['x'], unaryOp('exp', 'exp')),
  def(35, 'exp_backward', ['y', 'dy'], pairOp('exp_backward', 'mul')),
  def(36, 'log', ['x'], unaryOp('log', 'log')),
  def(37, 'log_backward', ['dy', 'x'], pairOp('log_backward', 'div')),
  def(38, 'tanh', ['x'], unaryOp('tanh', 'tanh')),
  def(39, 'tanh_backward', ['y', 'dy'], pairOp('tanh_backward', 'tanhBackward')),
  def(40, 'sigmoid', ['x'], unaryOp('sigmoid', 'sigmoid')),
  def(41, 'sigmoid_backward', ['y', 'dy'], pairOp('sigmoid_backward', 'sigmoidBackward')),
  def(42, 'sin', ['x'], unaryOp('sin', 'sin')),
  def(43, 'sin_backward', ['x', 'dy'], pairOp('sin_backward', 'sinBackward')),
  def(44, 'cos', ['x'], unaryOp('cos', 'cos')),
  def(45, 'cos_backward', ['x', 'dy'], pairOp('cos_backward', 'cosBackward')),
  // reductions (attrs axis; backward: axis, size)
  def(60, 'sum', ['x'], sum),
  def(61, 'sum_backward', ['dy'], sumBackward),
  def(62, 'mean', ['x'], mean),
  def(63, 'mean_backward', ['dy'], meanBackward),
  def(64, 'argmax', ['x'], argmax),
  def(65, 'sum_rows', ['x'], sumRows),
  // softmax family over the last axis, cross-entropy
  def(70, 'softmax', ['x'], softmax),
  def(71, 'softmax_backward', ['y', 'dy'], softmaxBackward),
  def(72, 'log_softmax', ['x'], logSoftmax),
  def(73, 'log_softmax_backward', ['y', 'dy'], logSoftmaxBackward),
  def(74, 'cross_entropy', ['logits', 'labels'], crossEntropy),
  def(75, 'cross_entropy_backward', ['logits', 'labels', 'dloss'], crossEntropyBackward),
  // layer norm (attr eps, f32 bits, default 1e-5); dβ is sum_rows
  def(80, 'layer_norm', ['x', 'gamma', 'beta'], layerNorm),
  def(81, 'layer_norm_backward_x', ['x', 'gamma', 'dy'], layerNormBackwardX),
  def(82, 'layer_norm_backward_gamma', ['x', 'dy'], layerNormBackwardGamma),
  // embedding
  def(90, 'embedding', ['table', 'ids'], embedding),
  def(91, 'embedding_backward', ['ids', 'dy'], embeddingBackward),
  // convolution and pooling (NCHW)
  def(100, 'conv2d', ['x', 'w', 'bias?'], conv2d),
  def(101, 'conv2d_backward_x', ['w', 'dy'], conv2dBackwardX),
  def(102, 'conv2d_backward_w', ['x', 'dy'], conv2dBackwardW),
  def(103, 'conv2d_backward_bias', ['dy'], conv2dBackwardBias),
  def(104, 'max_pool2d', ['x'], maxPool2d),
  def(105, 'max_pool2d_backward', ['x', 'dy'], maxPool2dBackward),
  def(106, 'avg_pool2d', ['x'], avgPool2d),
  def(107, 'avg_pool2d_backward', ['dy'], avgPool2dBackward),
  // layout
  def(120, 'reshape', ['x'], reshape),
  def(121, 'transpose', ['x'], transpose),
  def(122, 'swap_axes', ['x'], swapAxes),
  def(123, 'split_heads', ['x'], splitHeads),
  def(124, 'merge_heads', ['x'], mergeHeads),
  // attention
  def(130, 'causal_mask', ['x'], causalMask),
  def(131, 'causal_mask_backward', ['dy'], causalMaskBackward),
  // randomness (attrs seed, stream, …)
  def(140, 'dropout', ['x'], dropout),
  def(141, 'dropout_backward', ['dy'], dropoutBackward),
  def(150, 'rand_uniform', [], randUniform),
  def(151, 'rand_normal', [], randNormal),
  def(152, 'zeros', [], zeros),
  def(153, 'permutation', [], permutation),
  // optimisers
  def(160, 'sgd_velocity', ['v', 'g', 'p'], sgdVelocity),
  def(161, 'sgd_param', ['p', 'v'], sgdParam),
  def(162, 'adamw_m', ['m', 'g'], adamwM),
  def(163, 'adamw_v', ['v', 'g'], adamwV),
  def(164, 'adamw_param', ['p', 'm', 'v'], adamwParam),
]);

const BY_CODE = new Map<number, OpDef>(OPS.map((o) => [o.opcode, o]));
const BY_NAME = new Map<string, OpDef>(OPS.map((o) => [o.name, o]));

export function opByCode(opcode: number): OpDef {
  const d = BY_CODE.get(opcode);
  if (d === undefined) throw new UnknownOpError(`opcode ${opcode}`);
  return d;
}

export function opByName(name: string): OpDef {
  const d = BY_NAME.get(name);
  if (d === undefined) throw new UnknownOpError(`'${name}'`);
  return d;
}

/** Runs one op by opcode or name. Throws a RepOpsError (stable code) on bad inputs or attrs. */
export function runOp(backend: Backend, op: number | string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
  const d = typeof op === 'number' ? opByCode(op) : opByName(op);
  return d.run(backend, inputs, attrs);
}
