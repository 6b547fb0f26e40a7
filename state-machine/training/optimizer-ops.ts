// Optimiser update ops. They come last in the step graph and produce the new state in canonical
// order: optimiser slots first (SGD: velocity per parameter; AdamW: m per parameter, then v per
// parameter), then the parameters, because a parameter's update reads its slots' new values.
import { bitsOf } from '../repops/f32.ts';
import { stateRef, type GraphBuilder, type Ref } from './builder.ts';
import type { StateSlot } from './graph.ts';
import type { OptimizerSpec } from './spec.ts';

export function slotCount(opt: OptimizerSpec, params: number): number {
  return opt.kind === 'sgd-momentum' ? params : 2 * params;
}

export function optimizerSlots(opt: OptimizerSpec, params: readonly StateSlot[]): StateSlot[] {
  const zero = (prefix: string) =>
    params.map((p): StateSlot => ({ name: `${prefix}.${p.name}`, shape: p.shape.slice(), init: { kind: 'const', value: 0 } }));
  return opt.kind === 'sgd-momentum' ? zero('velocity') : [...zero('adam_m'), ...zero('adam_v')];
}

/** Appends the update ops; parameters sit at state indices base … base+P-1, slots at 0 … base-1. */
export function appendUpdate(b: GraphBuilder, opt: OptimizerSpec, step: number, grads: readonly Ref[], base: number): void {
  const P = grads.length;
  const param = (i: number) => stateRef(base + i);
  if (opt.kind === 'sgd-momentum') {
    const v = grads.map((g, i) =>
      b.op('sgd_velocity', [stateRef(i), g, param(i)], { momentum: bitsOf(opt.momentum), weightDecay: bitsOf(opt.weightDecay) }),
    );
    for (let i = 0; i < P; i++) b.op('sgd_param', [param(i), v[i]], { lr: bitsOf(opt.lr) });
    return;
  }
  const m = grads.map((g, i) => b.op('adamw_m', [stateRef(i), g], { beta1: bitsOf(opt.beta1) }));
  const v = grads.map((g, i) => b.op('adamw_v', [stateRef(P + i), g], { beta2: bitsOf(opt.beta2) }));
  for (let i = 0; i < P; i++) {
    b.op('adamw_param', [param(i), m[i], v[i]], {
      lr: bitsOf(opt.lr),
      eps: bitsOf(opt.eps),
      weightDecay: bitsOf(opt.weightDecay),
      beta1: bitsOf(opt.beta1),
      beta2: bitsOf(opt.beta2),
      step,
    });
  }
}
