// Multi-layer perceptron: z_l = a_{l-1}·W_l + b_l, a_l = relu(z_l), logits = z_L.
// Parameters in canonical order: W_1 [in, out], b_1 [out], W_2, b_2, …
// Backward: dW_l = a_{l-1}ᵀ·dz_l, db_l = Σ_rows dz_l, dz_{l-1} = relu'(z_{l-1}) ⊙ dz_l·W_lᵀ; the
// first layer's input gradient is not computed (nothing consumes it).
import type { MlpModel } from '../spec.ts';
import type { StateSlot } from '../graph.ts';
import { stateRef, type GraphBuilder, type Ref } from '../builder.ts';
import { fanInBound, type ModelGraph } from './model.ts';

export function mlpParams(m: MlpModel): StateSlot[] {
  const out: StateSlot[] = [];
  for (let l = 1; l < m.layers.length; l++) {
    const [fanIn, fanOut] = [m.layers[l - 1], m.layers[l]];
    out.push({ name: `fc${l}.weight`, shape: [fanIn, fanOut], init: { kind: 'uniform', bound: fanInBound(fanIn, l < m.layers.length - 1) } });
    out.push({ name: `fc${l}.bias`, shape: [fanOut], init: { kind: 'const', value: 0 } });
  }
  return out;
}

/** Dense layers over [B, in] rows starting at parameter slot `first`; shared with the CNN head. */
export function denseForward(b: GraphBuilder, x: Ref, first: number, layers: number): { z: Ref[]; a: Ref[] } {
  const z: Ref[] = [];
  const a: Ref[] = [x];
  for (let l = 0; l < layers; l++) {
    const zl = b.op('matmul_bias', [a[l], stateRef(first + 2 * l), stateRef(first + 2 * l + 1)]);
    z.push(zl);
    a.push(l < layers - 1 ? b.op('relu', [zl]) : zl);
  }
  return { z, a };
}

/**
 * Backward through dense layers given dlogits; returns the parameter gradients in slot order and
 * (when `needInputGrad`) the gradient with respect to the dense input.
 */
export function denseBackward(
  b: GraphBuilder,
  fwd: { z: Ref[]; a: Ref[] },
  first: number,
  dLogits: Ref,
  needInputGrad: boolean,
): { grads: Ref[]; dInput: Ref | null } {
  const layers = fwd.z.length;
  const grads: Ref[] = new Array<Ref>(2 * layers);
  let dz = dLogits;
  let dInput: Ref | null = null;
  for (let l = layers - 1; l >= 0; l--) {
    grads[2 * l] = b.op('matmul', [fwd.a[l], dz], { transA: true, transB: false });
    grads[2 * l + 1] = b.op('sum', [dz], { axis: 0 });
    if (l > 0 || needInputGrad) {
      const da = b.op('matmul', [dz, stateRef(first + 2 * l)], { transA: false, transB: true });
      if (l > 0) dz = b.op('relu_backward', [fwd.z[l - 1], da]);
      else dInput = da;
    }
  }
  return { grads, dInput };
}

/** `base`: state index of the first parameter. */
export function mlpGraph(m: MlpModel, base: number): ModelGraph {
  const layers = m.layers.length - 1;
  return {
    forward(b, x) {
      return denseForward(b, x, base, layers).a[layers];
    },
    forwardBackward(b, x, _rows, lossOf) {
      const fwd = denseForward(b, x, base, layers);
      const { loss, dLogits } = lossOf(fwd.a[layers]);
      return { loss, grads: denseBackward(b, fwd, base, dLogits, false).grads };
    },
  };
}
