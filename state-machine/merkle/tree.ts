// The one binary Merkle tree over an ordered list of 32-byte leaves.
//
// Shape: the list is padded with zero leaves (32 zero bytes) to the next power of two, so a tree of
// n leaves has depth ceil(log2(n)) (depth 0 for n <= 1: the root of one leaf is the leaf, of no
// leaves ZERO_HASH). Inner node = hash(left ‖ right), no prefix, as in Ethereum's deposit contract,
// so a Solidity verifier is a short loop. Leaves must therefore already be domain-separated hashes
// (tensorHash, H(j ‖ opcode ‖ …), sample hashes); never feed raw 64-byte data as a leaf.
// The hash is a parameter: sha256 for Verity's own commitments, keccak256 where L1 verifies.
import { HASH_LENGTH, ZERO_HASH, concatBytes, equalBytes, sha256Of, type Bytes } from '../crypto/hash.ts';
import { VerityError } from '../errors.ts';

export type HashFn = (data: Bytes) => Bytes;

export class MerkleError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('MERKLE', message, data);
  }
}

export interface MerkleProof {
  /** leaf position in the ordered list */
  index: number;
  /** sibling hashes from the leaf level up to just below the root */
  siblings: Bytes[];
}

const zeroCache = new Map<HashFn, Bytes[]>();

/** zeroHashes(h)[d] = root of a full subtree of depth d whose leaves are all zero. */
export function zeroHash(depth: number, hash: HashFn = sha256Of): Bytes {
  let z = zeroCache.get(hash);
  if (!z) {
    z = [ZERO_HASH];
    zeroCache.set(hash, z);
  }
  while (z.length <= depth) {
    const prev = z[z.length - 1];
    z.push(hash(concatBytes(prev, prev)));
  }
  return z[depth];
}

export function treeDepth(leafCount: number): number {
  if (!Number.isSafeInteger(leafCount) || leafCount < 0) throw new MerkleError(`bad leaf count ${leafCount}`);
  let d = 0;
  while (2 ** d < leafCount) d++;
  return d;
}

export function hashPair(left: Bytes, right: Bytes, hash: HashFn = sha256Of): Bytes {
  return hash(concatBytes(left, right));
}

function checkLeaf(leaf: Bytes, i: number): void {
  if (leaf.length !== HASH_LENGTH) throw new MerkleError(`leaf ${i} is ${leaf.length} bytes, want ${HASH_LENGTH}`);
}

/** A tree with all its levels kept, for repeated proofs and node look-ups (dispute descent). */
export class MerkleTree {
  readonly depth: number;
  readonly leafCount: number;
  readonly hash: HashFn;
  /** levels[0] = leaves (unpadded), levels[depth] = [root]; missing right nodes are zero subtrees */
  private readonly levels: Bytes[][];

  constructor(leaves: readonly Bytes[], hash: HashFn = sha256Of) {
    leaves.forEach(checkLeaf);
    this.hash = hash;
    this.leafCount = leaves.length;
    this.depth = treeDepth(leaves.length);
    const levels: Bytes[][] = [leaves.length === 0 ? [] : leaves.slice()];
    const pair = new Uint8Array(2 * HASH_LENGTH);
    for (let d = 0; d < this.depth; d++) levels.push(parentLevel(levels[d], d, hash, pair));
    this.levels = levels;
  }

  get root(): Bytes {
    const top = this.levels[this.depth];
    return top.length === 0 ? zeroHash(this.depth, this.hash) : top[0];
  }

  /** Node at `level` (0 = leaves) and position `index` within that level; zero subtrees included. */
  node(level: number, index: number): Bytes {
    if (level < 0 || level > this.depth) throw new MerkleError(`level ${level} outside 0..${this.depth}`);
    if (index < 0 || index >= 2 ** (this.depth - level)) throw new MerkleError(`index ${index} outside level ${level}`);
    const row = this.levels[level];
    return index < row.length ? row[index] : zeroHash(level, this.hash);
  }

  proof(index: number): MerkleProof {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.leafCount) {
      throw new MerkleError(`leaf index ${index} outside 0..${this.leafCount - 1}`);
    }
    const siblings: Bytes[] = [];
    let i = index;
    for (let d = 0; d < this.depth; d++) {
      siblings.push(this.node(d, i ^ 1));
      i >>= 1;
    }
    return { index, siblings };
  }
}

/** The nodes above level `d` (a missing right node is the zero subtree); `pair` is scratch space. */
function parentLevel(below: readonly Bytes[], d: number, hash: HashFn, pair: Uint8Array): Bytes[] {
  const above: Bytes[] = new Array<Bytes>((below.length + 1) >> 1);
  for (let i = 0; i < below.length; i += 2) {
    pair.set(below[i], 0);
    pair.set(i + 1 < below.length ? below[i + 1] : zeroHash(d, hash), HASH_LENGTH);
    above[i >> 1] = hash(pair);
  }
  return above;
}

/** The root alone: MerkleTree(leaves).root without keeping the levels. */
export function merkleRoot(leaves: readonly Bytes[], hash: HashFn = sha256Of): Bytes {
  leaves.forEach(checkLeaf);
  const depth = treeDepth(leaves.length);
  if (leaves.length === 0) return zeroHash(depth, hash);
  const pair = new Uint8Array(2 * HASH_LENGTH);
  let level: readonly Bytes[] = leaves;
  for (let d = 0; d < depth; d++) level = parentLevel(level, d, hash, pair);
  return level[0];
}

/** Root implied by a leaf and its proof. */
export function rootFromProof(leaf: Bytes, proof: MerkleProof, hash: HashFn = sha256Of): Bytes {
  checkLeaf(leaf, proof.index);
  if (!Number.isSafeInteger(proof.index) || proof.index < 0 || proof.index >= 2 ** proof.siblings.length) {
    throw new MerkleError(`proof index ${proof.index} does not fit depth ${proof.siblings.length}`);
  }
  let node = leaf;
  let i = proof.index;
  for (const sib of proof.siblings) {
    if (sib.length !== HASH_LENGTH) throw new MerkleError('sibling is not 32 bytes');
    node = i & 1 ? hash(concatBytes(sib, node)) : hash(concatBytes(node, sib));
    i >>= 1;
  }
  return node;
}

/**
 * True when `leaf` sits at `proof.index` under `root`. Pass `leafCount` when the verifier knows the
 * list length (it always should in Verity): it pins the depth, so a proof cannot claim a padded slot.
 */
export function verifyMerkleProof(
  root: Bytes,
  leaf: Bytes,
  proof: MerkleProof,
  leafCount?: number,
  hash: HashFn = sha256Of,
): boolean {
  if (leafCount !== undefined) {
    if (proof.siblings.length !== treeDepth(leafCount) || proof.index >= leafCount) return false;
  }
  try {
    return equalBytes(rootFromProof(leaf, proof, hash), root);
  } catch (e) {
    if (e instanceof MerkleError) return false;
    throw e;
  }
}
