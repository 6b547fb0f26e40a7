// Small decoder-only transformer (pre-norm GPT block, learned positions, untied head).
// Per block: h += Wo·attn(LN1(h)); h += W2·gelu(W1·LN2(h)); logits = LNf(h)·Wh + bh.
// Attention: q, k, v = LN1(h)·W{q,k,v} + b, split into heads, softmax(mask(q·kᵀ·fl(1/√dh)))·v.
// Parameters in canonical order: tok_emb [V, D], pos_emb [T, D]; per block ln1.gamma, ln1.beta,
// wq, bq, wk, bk, wv, bv, wo, bo, ln2.gamma, ln2.beta, ff1.weight [D, F], ff1.bias, ff2.weight
// [F, D], ff2.bias; then lnf.gamma, lnf.beta, head.weight [D, V], head.bias [V].
import type { TransformerModel } from '../spec.ts';
import type { StateSlot } from '../graph.ts';
import { bitsOf } from '../../repops/f32.ts';
import { stateRef, type GraphBuilder, type Ref } from '../builder.ts';
import { fanInBound, type ModelGraph } from './model.ts';

const BLOCK_PARAMS = 16;

export function transformerParams(m: TransformerModel): StateSlot[] {
  const D = m.dModel;
  const ones = (name: string, n: number): StateSlot => ({ name, shape: [n], init: { kind: 'const', value: 1 } });
  const zeros = (name: string, n: number): StateSlot => ({ name, shape: [n], init: { kind: 'const', value: 0 } });
  const dense = (name: string, fanIn: number, fanOut: number, relu = false): StateSlot[] => [
    { name: `${name}.weight`, shape: [fanIn, fanOut], init: { kind: 'uniform', bound: fanInBound(fanIn, relu) } },
    zeros(`${name}.bias`, fanOut),
  ];
  const out: StateSlot[] = [
    { name: 'tok_emb', shape: [m.vocab, D], init: { kind: 'uniform', bound: fanInBound(D, false) } },
    { name: 'pos_emb', shape: [m.context, D], init: { kind: 'uniform', bound: fanInBound(D, false) } },
  ];
  for (let l = 0; l < m.layers; l++) {
    const p = `block${l}`;
    out.push(ones(`${p}.ln1.gamma`, D), zeros(`${p}.ln1.beta`, D));
    out.push(...dense(`${p}.attn.q`, D, D), ...dense(`${p}.attn.k`, D, D), ...dense(`${p}.attn.v`, D, D));
    out.push(...dense(`${p}.attn.out`, D, D));
    out.push(ones(`${p}.ln2.gamma`, D), zeros(`${p}.ln2.beta`, D));
    out.push(...dense(`${p}.ff1`, D, m.ff, true), ...dense(`${p}.ff2`, m.ff, D));
  }
  out.push(ones('lnf.gamma', D), zeros('lnf.beta', D), ...dense('head', D, m.vocab));
  return out;
}

interface BlockFwd {
  h: Ref;
  n1: Ref;
  q: Ref;
  k: Ref;
  v: Ref;
  p: Ref;
  o: Ref;
  h1: Ref;
  n2: Ref;
  f1: Ref;
  g: Ref;
}

export function transformerGraph(m: TransformerModel, base: number): ModelGraph {
  const { dModel: D, heads: H, context: T, vocab: V } = m;
  const scaleBits = bitsOf(Math.fround(1 / Math.sqrt(D / H)));
  const s = (i: number) => stateRef(base + i);
  const blk = (l: number, i: number) => s(2 + l * BLOCK_PARAMS + i);
  const fin = 2 + m.layers * BLOCK_PARAMS;

  function forward(b: GraphBuilder, ids: Ref, B: number) {
    const R = B * T;
    const e = b.op('embedding', [s(0), ids]);
    const pos = b.op('reshape', [s(1)], { shape: [T * D] });
    const e2 = b.op('add_bias', [b.op('reshape', [e], { shape: [B, T * D] }), pos]);
    let h = b.op('reshape', [e2], { shape: [R, D] });
    const blocks: BlockFwd[] = [];
    const heads = (x: Ref) => b.op('split_heads', [b.op('reshape', [x], { shape: [B, T, D] })], { heads: H });
    for (let l = 0; l < m.layers; l++) {
      const n1 = b.op('layer_norm', [h, blk(l, 0), blk(l, 1)]);
      const q = heads(b.op('matmul_bias', [n1, blk(l, 2), blk(l, 3)]));
      const k = heads(b.op('matmul_bias', [n1, blk(l, 4), blk(l, 5)]));
      const v = heads(b.op('matmul_bias', [n1, blk(l, 6), blk(l, 7)]));
      const scores = b.op('scale', [b.op('bmm', [q, k], { transA: false, transB: true })], { s: scaleBits });
      const p = b.op('softmax', [b.op('causal_mask', [scores])]);
      const att = b.op('merge_heads', [b.op('bmm', [p, v], { transA: false, transB: false })]);
      const o = b.op('reshape', [att], { shape: [R, D] });
      const h1 = b.op('add', [h, b.op('matmul_bias', [o, blk(l, 8), blk(l, 9)])]);
      const n2 = b.op('layer_norm', [h1, blk(l, 10), blk(l, 11)]);
      const f1 = b.op('matmul_bias', [n2, blk(l, 12), blk(l, 13)]);
      const g = b.op('gelu', [f1]);
      const h2 = b.op('add', [h1, b.op('matmul_bias', [g, blk(l, 14), blk(l, 15)])]);
      blocks.push({ h, n1, q, k, v, p, o, h1, n2, f1, g });
      h = h2;
    }
    const nf = b.op('layer_norm', [h, s(fin), s(fin + 1)]);
    const logits = b.op('matmul_bias', [nf, s(fin + 2), s(fin + 3)]);
    return { blocks, h, nf, logits };
  }

  /** Gradients of a dense layer y = x·W + b: returns [dW, db] and dx. */
  function denseGrad(b: GraphBuilder, x: Ref, w: Ref, dy: Ref): { dw: Ref; db: Ref; dx: Ref } {
    return {
      dw: b.op('matmul', [x, dy], { transA: true, transB: false }),
      db: b.op('sum', [dy], { axis: 0 }),
      dx: b.op('matmul', [dy, w], { transA: false, transB: true }),
    };
  }

  return {
    forward(b, ids, rows) {
      return forward(b, ids, rows).logits;
    },
    forwardBackward(b, ids, B, lossOf) {
      const R = B * T;
      const f = forward(b, ids, B);
      const { loss, dLogits } = lossOf(f.logits);
      const grads: Ref[] = new Array<Ref>(fin + 4);
      const head = denseGrad(b, f.nf, s(fin + 2), dLogits);
      grads[fin + 2] = head.dw;
      grads[fin + 3] = head.db;
      grads[fin] = b.op('layer_norm_backward_gamma', [f.h, head.dx]);
      grads[fin + 1] = b.op('sum', [head.dx], { axis: 0 });
      let dh = b.op('layer_norm_backward_x', [f.h, s(fin), head.dx]);
      const merge = (x: Ref) => b.op('reshape', [b.op('merge_heads', [x])], { shape: [R, D] });
      for (let l = m.layers - 1; l >= 0; l--) {
        const k = f.blocks[l];
        const g = (i: number, r: Ref) => {
          grads[2 + l * BLOCK_PARAMS + i] = r;
        };
        // feed-forward half
        const ff2 = denseGrad(b, k.g, blk(l, 14), dh);
        g(14, ff2.dw);
        g(15, ff2.db);
        const df1 = b.op('gelu_backward', [k.f1, ff2.dx]);
        const ff1 = denseGrad(b, k.n2, blk(l, 12), df1);
        g(12, ff1.dw);
        g(13, ff1.db);
        g(10, b.op('layer_norm_backward_gamma', [k.h1, ff1.dx]));
        g(11, b.op('sum', [ff1.dx], { axis: 0 }));
        const dh1 = b.op('add', [dh, b.op('layer_norm_backward_x', [k.h1, blk(l, 10), ff1.dx])]);
        // attention half
        const out = denseGrad(b, k.o, blk(l, 8), dh1);
        g(8, out.dw);
        g(9, out.db);
        const dAtt = b.op('split_heads', [b.op('reshape', [out.dx], { shape: [B, T, D] })], { heads: H });
        const dp = b.op('bmm', [dAtt, k.v], { transA: false, transB: true });
        const dv = b.op('bmm', [k.p, dAtt], { transA: true, transB: false });
        const dScores = b.op('scale', [b.op('causal_mask_backward', [b.op('softmax_backward', [k.p, dp])])], { s: scaleBits });
        const dq = b.op('bmm', [dScores, k.k], { transA: false, transB: false });
        const dk = b.op('bmm', [dScores, k.q], { transA: true, transB: false });
        const qg = denseGrad(b, k.n1, blk(l, 2), merge(dq));
        const kg = denseGrad(b, k.n1, blk(l, 4), merge(dk));
        const vg = denseGrad(b, k.n1, blk(l, 6), merge(dv));
        g(2, qg.dw);
        g(3, qg.db);
        g(4, kg.dw);
        g(5, kg.db);
        g(6, vg.dw);
        g(7, vg.db);
        const dn1 = b.op('add', [b.op('add', [qg.dx, kg.dx]), vg.dx]);
        g(0, b.op('layer_norm_backward_gamma', [k.h, dn1]));
        g(1, b.op('sum', [dn1], { axis: 0 }));
        dh = b.op('add', [dh1, b.op('layer_norm_backward_x', [k.h, blk(l, 0), dn1])]);
      }
      // embeddings: positions get the sum over the batch, tokens a scatter-add by id
      grads[1] = b.op('reshape', [b.op('sum', [b.op('reshape', [dh], { shape: [B, T * D] })], { axis: 0 })], { shape: [T, D] });
      grads[0] = b.op('embedding_backward', [ids, b.op('reshape', [dh], { shape: [B, T, D] })], { vocab: V });
      return { loss, grads };
    },
  };
}
