// Batch selection from the seed and the step. The training samples are indices 0 … N-1 (N = samples −
// test). Step t ≥ 1 takes the B consecutive positions p = (t-1)·B + i, i = 0 … B-1, of an endless
// stream of epochs: sample = perm_e[p mod N] with e = floor(p / N), where perm_e is the RepOps
// Fisher–Yates permutation of 0 … N-1 drawn from Philox stream SHUFFLE_STREAM_BASE + e. A batch
// may straddle two epochs; every epoch visits every training sample exactly once.
import { permutation } from '../repops/rng.ts';
import type { TaskSpec } from './spec.ts';

/** Philox streams 0 … 2^32-1 initialise state tensors; shuffles use 2^32 + epoch. */
export const SHUFFLE_STREAM_BASE = 2 ** 32;

export function trainCount(spec: TaskSpec): number {
  return spec.dataset.samples - spec.dataset.test;
}

const cache = new Map<string, Int32Array>();

function epochPermutation(n: number, seed: bigint, epoch: number): Int32Array {
  const key = `${seed}:${n}:${epoch}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = permutation(n, seed, SHUFFLE_STREAM_BASE + epoch);
    if (cache.size >= 4) cache.delete(cache.keys().next().value as string);
    cache.set(key, p);
  }
  return p;
}

/** Dataset indices of the batch of step t (1-based). */
export function batchIndices(spec: TaskSpec, t: number): number[] {
  const n = trainCount(spec);
  const b = spec.batchSize;
  const out: number[] = new Array<number>(b);
  let epoch = -1;
  let perm: Int32Array = new Int32Array(0);
  for (let i = 0; i < b; i++) {
    const p = (t - 1) * b + i;
    const e = Math.floor(p / n);
    if (e !== epoch) {
      epoch = e;
      perm = epochPermutation(n, spec.seed, e);
    }
    out[i] = perm[p % n];
  }
  return out;
}

/** Test-split indices [N, samples) in order. */
export function testIndices(spec: TaskSpec): number[] {
  const out: number[] = [];
  for (let i = trainCount(spec); i < spec.dataset.samples; i++) out.push(i);
  return out;
}
