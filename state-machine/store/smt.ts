// Compact sparse binary Merkle tree over 256-bit paths (path = sha256(key)).
//   leaf  = sha256(0x00 ‖ path ‖ sha256(value))
//   inner = sha256(0x01 ‖ left ‖ right)
//   empty subtree = 32 zero bytes; a subtree holding exactly one leaf is that leaf.
// The shape is canonical for a set of keys (0 keys: empty, 1: leaf, ≥2: inner), so the root does not
// depend on insertion order. Nodes are immutable: an update copies the O(depth) nodes on its path and
// shares the rest, which makes clones O(1). Inner hashes are computed lazily and cached in the node.
import { ZERO_HASH, equalBytes, sha256Of, type Bytes } from '../crypto/hash.ts';

// One 65-byte scratch buffer for node preimages: hashing is synchronous and the digest is a new buffer.
const scratch = new Uint8Array(65);

export interface LeafNode {
  readonly kind: 'leaf';
  readonly path: Bytes;
  readonly valueHash: Bytes;
  readonly hash: Bytes;
}

export interface InnerNode {
  readonly kind: 'inner';
  readonly left: SmtNode | null;
  readonly right: SmtNode | null;
  /** cached; null until first asked for */
  hash: Bytes | null;
}

export type SmtNode = LeafNode | InnerNode;

function nodePreimageHash(prefix: number, a: Bytes, b: Bytes): Bytes {
  if (a.length !== 32 || b.length !== 32) throw new RangeError('tree node inputs must be 32 bytes');
  scratch[0] = prefix;
  scratch.set(a, 1);
  scratch.set(b, 33);
  return sha256Of(scratch);
}

export function leafHash(path: Bytes, valueHash: Bytes): Bytes {
  return nodePreimageHash(0x00, path, valueHash);
}

export function innerHash(left: Bytes, right: Bytes): Bytes {
  return nodePreimageHash(0x01, left, right);
}

/** Bit `i` of a path, most significant bit of byte 0 first; 0 = left. */
export function pathBit(path: Bytes, i: number): number {
  return (path[i >> 3] >> (7 - (i & 7))) & 1;
}

export function makeLeaf(path: Bytes, valueHash: Bytes): LeafNode {
  return { kind: 'leaf', path, valueHash, hash: leafHash(path, valueHash) };
}

function inner(left: SmtNode | null, right: SmtNode | null): InnerNode {
  return { kind: 'inner', left, right, hash: null };
}

export function nodeHash(node: SmtNode | null): Bytes {
  if (node === null) return ZERO_HASH;
  if (node.kind === 'leaf') return node.hash;
  if (node.hash === null) node.hash = innerHash(nodeHash(node.left), nodeHash(node.right));
  return node.hash;
}

/** Subtree at `depth` with `leaf` set (inserted or replaced). */
export function smtPut(node: SmtNode | null, depth: number, leaf: LeafNode): SmtNode {
  if (node === null) return leaf;
  if (node.kind === 'leaf') {
    if (equalBytes(node.path, leaf.path)) return leaf;
    return split(node, leaf, depth);
  }
  return pathBit(leaf.path, depth) === 0
    ? inner(smtPut(node.left, depth + 1, leaf), node.right)
    : inner(node.left, smtPut(node.right, depth + 1, leaf));
}

/** Two distinct leaves under one subtree at `depth`: inner nodes down to where their paths diverge. */
function split(a: LeafNode, b: LeafNode, depth: number): InnerNode {
  const ba = pathBit(a.path, depth);
  const bb = pathBit(b.path, depth);
  if (ba === bb) {
    const below = split(a, b, depth + 1);
    return ba === 0 ? inner(below, null) : inner(null, below);
  }
  return ba === 0 ? inner(a, b) : inner(b, a);
}

/** Subtree at `depth` with the leaf at `path` removed; collapses to keep the shape canonical. */
export function smtDelete(node: SmtNode | null, depth: number, path: Bytes): SmtNode | null {
  if (node === null) return null;
  if (node.kind === 'leaf') return equalBytes(node.path, path) ? null : node;
  const goLeft = pathBit(path, depth) === 0;
  const child = goLeft ? node.left : node.right;
  const updated = smtDelete(child, depth + 1, path);
  if (updated === child) return node;
  const other = goLeft ? node.right : node.left;
  // A subtree left with a single leaf is that leaf.
  if (updated === null && (other === null || other.kind === 'leaf')) return other;
  if (other === null && updated !== null && updated.kind === 'leaf') return updated;
  return goLeft ? inner(updated, other) : inner(other, updated);
}

/** Siblings from the root down, and the node where the walk for `path` stops. */
export function smtWalk(root: SmtNode | null, path: Bytes): { siblings: Bytes[]; bottom: LeafNode | null } {
  const siblings: Bytes[] = [];
  let node = root;
  let depth = 0;
  while (node !== null && node.kind === 'inner') {
    if (pathBit(path, depth) === 0) {
      siblings.push(nodeHash(node.right));
      node = node.left;
    } else {
      siblings.push(nodeHash(node.left));
      node = node.right;
    }
    depth++;
  }
  return { siblings, bottom: node };
}

function compareBytes(a: Bytes, b: Bytes): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The tree over a set of leaves with distinct paths, built bottom-up in one pass over the leaves
 * sorted by path: the same tree that inserting them one by one gives, without the garbage of
 * O(depth) copied nodes per insert (snapshot restore, genesis).
 */
export function smtBuild(leaves: LeafNode[]): SmtNode | null {
  const sorted = leaves.slice().sort((a, b) => compareBytes(a.path, b.path));
  const build = (lo: number, hi: number, depth: number): SmtNode | null => {
    if (hi - lo === 0) return null;
    if (hi - lo === 1) return sorted[lo];
    // first index whose bit at `depth` is 1 (paths are sorted, so bits at `depth` are 0…0 1…1)
    let mid = lo;
    while (mid < hi && pathBit(sorted[mid].path, depth) === 0) mid++;
    return inner(build(lo, mid, depth + 1), build(mid, hi, depth + 1));
  };
  return build(0, sorted.length, 0);
}
