// Ops driven by the counter-based RNG: dropout (mask from (seed, stream, element index)) and its
// gradient, and initialisers. docs/repops.md#rng defines every bit.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32, tensorI32 } from '../tensor.ts';
import { AttrError } from '../errors.ts';
import { fl } from '../f32.ts';
import { philoxKey, streamWords, permutation as rngPermutation } from '../rng.ts';
import type { Attrs } from './attrs.ts';
import { checkArity, f32In, finiteF32Attr, intAttr, seedAttr, shapeAttr } from './attrs.ts';

interface Keyed { k0: number; k1: number; s0: number; s1: number }

function keyed(op: string, attrs: Attrs): Keyed {
  const { k0, k1 } = philoxKey(seedAttr(op, attrs, 'seed'));
  const [s0, s1] = streamWords(intAttr(op, attrs, 'stream', 0));
  return { k0, k1, s0, s1 };
}

function dropoutOp(op: string) {
  return (be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor => {
    checkArity(op, inputs, 1);
    const x = f32In(op, inputs, 0, op === 'dropout' ? 'x' : 'dy');
    const p = finiteF32Attr(op, attrs, 'p');
    if (!(p >= 0 && p < 1)) throw new AttrError(op, 'p', 'must be in [0, 1)');
    // keep iff u32 >= floor(p·2^32); kept values are scaled by fl(1 / fl(1 − p))
    const threshold = Math.floor(p * 4294967296);
    const scale = fl(1 / fl(1 - p));
    const { k0, k1, s0, s1 } = keyed(op, attrs);
    const out = tensorF32(x.shape);
    be.kernels.dropout(x.data, out.data, k0, k1, s0, s1, threshold, scale);
    return out;
  };
}

export const dropout = dropoutOp('dropout');
/** The gradient applies the identical mask and scale to dy (same attrs). */
export const dropoutBackward = dropoutOp('dropout_backward');

/** An initialiser: no inputs; attrs shape, seed, stream and two f32 bit-pattern parameters. */
function fillOp(op: string, kernel: 'uniformFill' | 'normalFill', p0: string, p1: string) {
  return (be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor => {
    checkArity(op, inputs, 0);
    const out = tensorF32(shapeAttr(op, attrs, 'shape'));
    const { k0, k1, s0, s1 } = keyed(op, attrs);
    be.kernels[kernel](out.data, k0, k1, s0, s1, finiteF32Attr(op, attrs, p0), finiteF32Attr(op, attrs, p1));
    return out;
  };
}

/** attrs low, high: fl(low + fl(fl(high − low)·uniform)). */
export const randUniform = fillOp('rand_uniform', 'uniformFill', 'low', 'high');
/** attrs mean, std: fl(mean + fl(std·normal)). */
export const randNormal = fillOp('rand_normal', 'normalFill', 'mean', 'std');

/** No inputs; attrs shape → +0 everywhere (optimiser state at step 0). */
export function zeros(_be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('zeros', inputs, 0);
  return tensorF32(shapeAttr('zeros', attrs, 'shape'));
}

/** No inputs; attrs n, seed, stream → i32 [n], Fisher–Yates over the stream. */
export function permutation(_be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  checkArity('permutation', inputs, 0);
  const n = intAttr('permutation', attrs, 'n', 0);
  return tensorI32([n], rngPermutation(n, seedAttr('permutation', attrs, 'seed'), intAttr('permutation', attrs, 'stream', 0)));
}
