// Optimiser updates, one output tensor per op: SGD with momentum (velocity, then parameter) and
// AdamW (m, v, then parameter). Scalars are f32 bit-pattern attrs.
import type { Backend } from '../reference.ts';
import type { Tensor } from '../tensor.ts';
import { tensorF32 } from '../tensor.ts';
import { fl } from '../f32.ts';
import type { Attrs } from './attrs.ts';
import { finiteF32Attr, intAttr } from './attrs.ts';
import { sameShapeInputs } from './elementwise.ts';

/** β^t in float32 by square-and-multiply over the bits of t from the lowest: r = fl(r·b) when the bit is set, b = fl(b·b). */
export function powiF32(beta: number, t: number): number {
  let r = 1, b = fl(beta), e = t;
  while (e > 0) {
    if (e % 2 === 1) r = fl(r * b);
    e = Math.floor(e / 2);
    if (e > 0) b = fl(b * b);
  }
  return r;
}

/** AdamW bias correction fl(1 − β^t). */
export function biasCorrection(beta: number, t: number): number {
  return fl(1 - powiF32(beta, t));
}

/** (v, g, p) → v' = fl(fl(μ·v) + fl(g + fl(wd·p))). */
export function sgdVelocity(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const [v, g, p] = sameShapeInputs('sgd_velocity', inputs, 3);
  const out = tensorF32(inputs[0].shape);
  be.kernels.sgdVelocity(v, g, p, out.data, finiteF32Attr('sgd_velocity', attrs, 'momentum'), finiteF32Attr('sgd_velocity', attrs, 'weightDecay', 0));
  return out;
}

/** (p, v') → p' = fl(p − fl(lr·v')). */
export function sgdParam(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const [p, v] = sameShapeInputs('sgd_param', inputs, 2);
  const out = tensorF32(inputs[0].shape);
  be.kernels.sgdParam(p, v, out.data, finiteF32Attr('sgd_param', attrs, 'lr'));
  return out;
}

/** (m, g) → m'. */
export function adamwM(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const [m, g] = sameShapeInputs('adamw_m', inputs, 2);
  const out = tensorF32(inputs[0].shape);
  be.kernels.adamwM(m, g, out.data, finiteF32Attr('adamw_m', attrs, 'beta1'));
  return out;
}

/** (v, g) → v'. */
export function adamwV(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const [v, g] = sameShapeInputs('adamw_v', inputs, 2);
  const out = tensorF32(inputs[0].shape);
  be.kernels.adamwV(v, g, out.data, finiteF32Attr('adamw_v', attrs, 'beta2'));
  return out;
}

/** (p, m', v') with attrs lr, beta1, beta2, eps, weightDecay, step (t >= 1) → p'. */
export function adamwParam(be: Backend, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const op = 'adamw_param';
  const [p, m, v] = sameShapeInputs(op, inputs, 3);
  const t = intAttr(op, attrs, 'step', 1);
  const bc1 = biasCorrection(finiteF32Attr(op, attrs, 'beta1'), t);
  const bc2 = biasCorrection(finiteF32Attr(op, attrs, 'beta2'), t);
  const out = tensorF32(inputs[0].shape);
  be.kernels.adamwParam(p, m, v, out.data, finiteF32Attr(op, attrs, 'lr'), finiteF32Attr(op, attrs, 'eps'), finiteF32Attr(op, attrs, 'weightDecay', 0), bc1, bc2);
  return out;
}
