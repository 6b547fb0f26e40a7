// The verifier draw: who re-runs which segments, from a seed no one knew when the solver committed
// (sha256 of the hash of block commit + δ and the task id). Pure functions of the seed and the
// candidate list, so every node draws the same verifiers. Integer arithmetic only.
import { bytesToUint, sha256, uintToBytes, type Bytes } from '../../crypto/hash.ts';
import type { Address } from '../../types.ts';

const VERIFIER_TAG = new TextEncoder().encode('verity/draw/verifier');
const SEGMENT_TAG = new TextEncoder().encode('verity/draw/segment');

function word(seed: Bytes, tag: Bytes, i: number): bigint {
  return bytesToUint(sha256(seed, tag, uintToBytes(BigInt(i), 4)));
}

/**
 * Up to `count` distinct candidates, each pick weighted by stake (sampling without replacement).
 * The modulo bias of a 256-bit draw over a stake total below 2^128 is under 2^-128.
 */
export function selectVerifiers(seed: Bytes, candidates: readonly { address: Address; weight: bigint }[], count: number): Address[] {
  const pool = [...candidates];
  const out: Address[] = [];
  let total = pool.reduce((s, c) => s + c.weight, 0n);
  for (let v = 0; v < count && pool.length > 0 && total > 0n; v++) {
    let r = word(seed, VERIFIER_TAG, v) % total;
    let i = 0;
    while (r >= pool[i].weight) {
      r -= pool[i].weight;
      i++;
    }
    out.push(pool[i].address);
    total -= pool[i].weight;
    pool.splice(i, 1);
  }
  return out;
}

/**
 * Segments 1…S in a seeded Fisher–Yates order; verifier j takes positions j·each … j·each+each−1
 * (mod S), so V·each ≥ S covers every segment and no verifier gets one twice. Lists are sorted.
 */
export function assignSegments(seed: Bytes, segments: number, verifiers: number, each: number): number[][] {
  const perm = Array.from({ length: segments }, (_, i) => i + 1);
  for (let i = segments - 1; i > 0; i--) {
    const j = Number(word(seed, SEGMENT_TAG, i) % BigInt(i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const per = Math.min(each, segments);
  const out: number[][] = [];
  for (let v = 0; v < verifiers; v++) {
    const mine: number[] = [];
    for (let m = 0; m < per; m++) mine.push(perm[(v * per + m) % segments]);
    out.push(mine.sort((a, b) => a - b));
  }
  return out;
}

/** Parts per million of the chance that one corrupted segment is assigned to no verifier. */
export function uncheckedPpm(segments: number, verifiers: number, each: number): number {
  if (segments === 0) return 0;
  const covered = Math.min(segments, verifiers * Math.min(each, segments));
  return Number((BigInt(segments - covered) * 1_000_000n) / BigInt(segments));
}

/** Segments each verifier takes by default: enough to cover min(S, cap) between them. */
export function defaultSegmentsEach(segments: number, verifiers: number, cap: number): number {
  if (verifiers === 0) return 0;
  const wanted = BigInt(Math.min(segments, cap));
  return Number((wanted + BigInt(verifiers) - 1n) / BigInt(verifiers));
}
