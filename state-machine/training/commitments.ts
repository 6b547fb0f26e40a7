// The commitments a solver posts and the referee checks (docs/training.md):
//   C_t       = merkleRoot(tensorHash(s_0) … tensorHash(s_{n-1})) over the state in canonical order
//   traceRoot = merkleRoot(C_0, C_k, C_2k, …, C_T); when k does not divide T, C_T is the last leaf
//   segmentRoot_i = merkleRoot(C_t for t in segment i: (i-1)k+1 … min(ik, T))
//   leaf_j    = sha256(u32le(j) ‖ u16le(opcode_j) ‖ tensorHash(output_j)),  opRoot_t = merkleRoot(leaves)
import { sha256, type Bytes } from '../crypto/hash.ts';
import { MerkleTree } from '../merkle/tree.ts';
import { tensorHash } from '../repops/tensor-hash.ts';
import type { Tensor } from '../repops/tensor.ts';

export function stateTree(state: readonly Tensor[]): MerkleTree {
  return new MerkleTree(state.map((t) => tensorHash(t)));
}

export function stateRoot(state: readonly Tensor[]): Bytes {
  return stateTree(state).root;
}

/** Steps whose state is a leaf of traceRoot: 0, k, 2k, …, and T. */
export function checkpointSteps(steps: number, interval: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < steps; t += interval) out.push(t);
  out.push(steps);
  return out;
}

/** Position of step t among the checkpoint leaves, or -1 when t is not a checkpoint step. */
export function checkpointLeafIndex(t: number, steps: number, interval: number): number {
  if (t === steps) return Math.ceil(steps / interval);
  return t % interval === 0 && t >= 0 && t < steps ? t / interval : -1;
}

/**
 * Steps of segment i (1-based) for the dispute's step level: the steps after checkpoint leaf i-1 up
 * to and including checkpoint leaf i, i.e. (i-1)k+1 … min(ik, T). segmentRoot = merkleRoot(C_t of
 * those steps in order).
 */
export function segmentSteps(steps: number, interval: number, segment: number): number[] {
  const count = checkpointSteps(steps, interval).length - 1;
  if (!Number.isSafeInteger(segment) || segment < 1 || segment > count) return [];
  const out: number[] = [];
  for (let t = (segment - 1) * interval + 1; t <= Math.min(segment * interval, steps); t++) out.push(t);
  return out;
}

export function traceTree(checkpointRoots: readonly Bytes[]): MerkleTree {
  return new MerkleTree(checkpointRoots);
}

export function opLeaf(j: number, opcode: number, outputHash: Bytes): Bytes {
  const head = new Uint8Array(6);
  const v = new DataView(head.buffer);
  v.setUint32(0, j, true);
  v.setUint16(4, opcode, true);
  return sha256(head, outputHash);
}

export function opTree(leaves: readonly Bytes[]): MerkleTree {
  return new MerkleTree(leaves);
}
