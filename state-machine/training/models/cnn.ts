// Small CNN: per block conv3x3 (stride 1, pad 1) → relu → max-pool 2x2, then flatten and dense
// layers (relu between them). Parameters in canonical order: conv_l.weight [Co, Ci, 3, 3],
// conv_l.bias [Co] per block, then the dense layers as in the MLP (weight [in, out], bias [out]).
import type { CnnModel } from '../spec.ts';
import type { StateSlot } from '../graph.ts';
import { stateRef, type GraphBuilder, type Ref } from '../builder.ts';
import { fanInBound, type ModelGraph } from './model.ts';
import { denseBackward, denseForward } from './mlp.ts';

const CONV = { stride: 1, pad: 1 };
const POOL = { kernel: 2 };

interface Geometry {
  /** [channels, height, width] entering each block, and after the last block */
  shapes: [number, number, number][];
  dense: number[];
}

function geometry(m: CnnModel): Geometry {
  const shapes: [number, number, number][] = [m.input];
  let [, h, w] = m.input;
  for (const co of m.convs) {
    h /= 2;
    w /= 2;
    shapes.push([co, h, w]);
  }
  const [c] = shapes[shapes.length - 1];
  return { shapes, dense: [c * h * w, ...m.hidden, m.classes] };
}

export function cnnParams(m: CnnModel): StateSlot[] {
  const g = geometry(m);
  const out: StateSlot[] = [];
  m.convs.forEach((co, l) => {
    const ci = g.shapes[l][0];
    out.push({ name: `conv${l + 1}.weight`, shape: [co, ci, 3, 3], init: { kind: 'uniform', bound: fanInBound(ci * 9, true) } });
    out.push({ name: `conv${l + 1}.bias`, shape: [co], init: { kind: 'const', value: 0 } });
  });
  for (let l = 1; l < g.dense.length; l++) {
    const [fanIn, fanOut] = [g.dense[l - 1], g.dense[l]];
    out.push({ name: `fc${l}.weight`, shape: [fanIn, fanOut], init: { kind: 'uniform', bound: fanInBound(fanIn, l < g.dense.length - 1) } });
    out.push({ name: `fc${l}.bias`, shape: [fanOut], init: { kind: 'const', value: 0 } });
  }
  return out;
}

export function cnnGraph(m: CnnModel, base: number): ModelGraph {
  const g = geometry(m);
  const blocks = m.convs.length;
  const denseBase = base + 2 * blocks;
  const denseLayers = g.dense.length - 1;

  function forward(b: GraphBuilder, x: Ref, rows: number) {
    const h: Ref[] = [x];
    const c: Ref[] = [];
    const r: Ref[] = [];
    for (let l = 0; l < blocks; l++) {
      c.push(b.op('conv2d', [h[l], stateRef(base + 2 * l), stateRef(base + 2 * l + 1)], CONV));
      r.push(b.op('relu', [c[l]]));
      h.push(b.op('max_pool2d', [r[l]], POOL));
    }
    const flat = b.op('reshape', [h[blocks]], { shape: [rows, g.dense[0]] });
    return { h, c, r, dense: denseForward(b, flat, denseBase, denseLayers) };
  }

  return {
    forward(b, x, rows) {
      return forward(b, x, rows).dense.a[denseLayers];
    },
    forwardBackward(b, x, rows, lossOf) {
      const f = forward(b, x, rows);
      const { loss, dLogits } = lossOf(f.dense.a[denseLayers]);
      const dense = denseBackward(b, f.dense, denseBase, dLogits, true);
      const grads: Ref[] = new Array<Ref>(2 * blocks);
      const [c, hh, ww] = g.shapes[blocks];
      let dp = b.op('reshape', [dense.dInput as Ref], { shape: [rows, c, hh, ww] });
      for (let l = blocks - 1; l >= 0; l--) {
        const dr = b.op('max_pool2d_backward', [f.r[l], dp], POOL);
        const dc = b.op('relu_backward', [f.c[l], dr]);
        grads[2 * l] = b.op('conv2d_backward_w', [f.h[l], dc], { kh: 3, kw: 3, ...CONV });
        grads[2 * l + 1] = b.op('conv2d_backward_bias', [dc]);
        if (l > 0) {
          const [, hi, wi] = g.shapes[l];
          dp = b.op('conv2d_backward_x', [stateRef(base + 2 * l), dc], { height: hi, width: wi, ...CONV });
        }
      }
      return { loss, grads: [...grads, ...dense.grads] };
    },
  };
}
