// Golden vectors: each case names an op, recipes for its inputs (generated from the Philox RNG with a
// fixed seed, so golden.json stays small) and attrs; the expected value is the tensorHash of the
// output. Every backend must reproduce every hash bit for bit.
import type { Backend } from './reference.ts';
import type { Tensor } from './tensor.ts';
import { tensorF32, tensorI32, numel } from './tensor.ts';
import { tensorHashHex } from './tensor-hash.ts';
import type { Hex } from '../crypto/hash.ts';
import { uniformF32, PhiloxStream } from './rng.ts';
import { fl, f32 } from './f32.ts';
import { runOp } from './opcodes.ts';
import type { Attrs } from './ops/attrs.ts';

export const GOLDEN_SEED = 20261122;

export type InputRecipe =
  /** uniform f32 in [low, high) at (GOLDEN_SEED, stream) */
  | { readonly dtype: 'f32'; readonly shape: readonly number[]; readonly low: number; readonly high: number; readonly stream: number }
  /** explicit float32 bit patterns (special values) */
  | { readonly dtype: 'f32'; readonly shape: readonly number[]; readonly bits: readonly number[] }
  /** uniform i32 in [0, below) drawn with randBelow from (GOLDEN_SEED, stream) */
  | { readonly dtype: 'i32'; readonly shape: readonly number[]; readonly below: number; readonly stream: number };

export interface GoldenCase {
  readonly op: string;
  readonly inputs: readonly InputRecipe[];
  readonly attrs: Attrs;
  readonly hash: Hex;
}

export function materialise(r: InputRecipe): Tensor {
  const n = numel(r.shape);
  if (r.dtype === 'i32') {
    const rs = new PhiloxStream(GOLDEN_SEED, r.stream);
    const d = new Int32Array(n);
    for (let i = 0; i < n; i++) d[i] = rs.randBelow(r.below);
    return tensorI32(r.shape, d);
  }
  if ('bits' in r) return tensorF32(r.shape, Float32Array.from(r.bits, (b) => f32(b)));
  const u = uniformF32(n, GOLDEN_SEED, r.stream);
  const lo = fl(r.low), w = fl(fl(r.high) - lo);
  for (let i = 0; i < n; i++) u[i] = fl(lo + fl(w * u[i]));
  return tensorF32(r.shape, u);
}

/** Hash of the op's output on the materialised inputs. */
export function goldenHash(backend: Backend, c: Omit<GoldenCase, 'hash'>): Hex {
  return tensorHashHex(runOp(backend, c.op, c.inputs.map(materialise), c.attrs));
}
