// Inclusion and exclusion proofs against the compact sparse Merkle tree (see smt.ts).
import { HASH_LENGTH, ZERO_HASH, bytesToHex, equalBytes, hexToBytes, isHex, sha256, type Bytes, type Hex } from '../crypto/hash.ts';
import { innerHash, leafHash, pathBit } from './smt.ts';

export interface StateProof {
  /** sibling hashes from the root down to where the key's path ends */
  siblings: Hex[];
  /**
   * Exclusion proofs that end at a different key's leaf carry that leaf (its path shares the first
   * siblings.length bits with the key's path); null for inclusion and for exclusion by an empty subtree.
   */
  other: { path: Hex; valueHash: Hex } | null;
}

function sharesPrefix(a: Bytes, b: Bytes, bits: number): boolean {
  for (let i = 0; i < bits; i++) if (pathBit(a, i) !== pathBit(b, i)) return false;
  return true;
}

function hash32(h: unknown): Bytes | null {
  if (!isHex(h)) return null;
  const b = hexToBytes(h);
  return b.length === HASH_LENGTH ? b : null;
}

/**
 * True when `proof` shows that `key` holds `value` (or, with value null, that `key` is absent) in the
 * state committed to by `root`. Never throws on malformed proofs: they are simply false.
 */
export function verifyStateProof(root: Hex | Bytes, key: Bytes, value: Bytes | null, proof: StateProof): boolean {
  const rootBytes = typeof root === 'string' ? hash32(root) : root;
  if (rootBytes === null || rootBytes.length !== HASH_LENGTH) return false;
  if (proof === null || typeof proof !== 'object' || !Array.isArray(proof.siblings)) return false;
  const depth = proof.siblings.length;
  if (depth > 256) return false;
  const siblings: Bytes[] = [];
  for (const s of proof.siblings) {
    const b = hash32(s);
    if (b === null) return false;
    siblings.push(b);
  }
  const path = sha256(key);
  let node: Bytes;
  if (value !== null) {
    if (proof.other !== null) return false;
    node = leafHash(path, sha256(value));
  } else if (proof.other === null || proof.other === undefined) {
    node = ZERO_HASH;
  } else {
    const otherPath = hash32(proof.other.path);
    const otherValueHash = hash32(proof.other.valueHash);
    if (otherPath === null || otherValueHash === null) return false;
    if (equalBytes(otherPath, path) || !sharesPrefix(otherPath, path, depth)) return false;
    node = leafHash(otherPath, otherValueHash);
  }
  for (let d = depth - 1; d >= 0; d--) {
    node = pathBit(path, d) === 0 ? innerHash(node, siblings[d]) : innerHash(siblings[d], node);
  }
  return equalBytes(node, rootBytes);
}

export function proofFromWalk(
  siblings: Bytes[],
  bottom: { path: Bytes; valueHash: Bytes } | null,
  path: Bytes,
): StateProof {
  const other = bottom !== null && !equalBytes(bottom.path, path)
    ? { path: bytesToHex(bottom.path), valueHash: bytesToHex(bottom.valueHash) }
    : null;
  return { siblings: siblings.map(bytesToHex), other };
}
