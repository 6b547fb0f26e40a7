// n-ary descent over two binary Merkle trees (state-machine/merkle/tree.ts), the core of every Verde
// level. The arity n = 2^b: each round, each party reveals the n nodes b levels below the current
// node of its own tree (fewer near the leaves); the chain checks they hash up to that party's node
// and moves to the first child where the two reveals differ. Everything left of it is agreed. After
// ⌈depth / b⌉ rounds the current node is the first differing leaf.
import { concatBytes, equalBytes, sha256, type Bytes } from '../../crypto/hash.ts';
import { treeDepth, type MerkleTree } from '../../merkle/tree.ts';

export interface Descent {
  /** height of the current node above the leaves (the tree's depth at the start, 0 at the end) */
  height: number;
  /** position of the current node within its height */
  index: number;
  /** the two parties' hashes of the current node; they differ */
  a: Bytes;
  b: Bytes;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

export function log2(n: number): number {
  let b = 0;
  while (2 ** b < n) b++;
  return b;
}

export function startDescent(leafCount: number, rootA: Bytes, rootB: Bytes): Descent {
  return { height: treeDepth(leafCount), index: 0, a: rootA, b: rootB };
}

/** How many levels the next reveal spans, and so how many nodes each party reveals (2^span). */
export function revealSpan(d: Descent, arity: number): number {
  return Math.min(log2(arity), d.height);
}

/** Rounds to reach a leaf of a tree with `leafCount` leaves: ⌈depth / log2(arity)⌉. */
export function descentRounds(leafCount: number, arity: number): number {
  const depth = treeDepth(leafCount);
  const b = log2(arity);
  return Math.floor((depth + b - 1) / b);
}

/** Root of a complete subtree whose bottom row is `nodes` (a power of two long). */
export function foldNodes(nodes: readonly Bytes[], hash: (b: Bytes) => Bytes = sha256): Bytes {
  let row = nodes.slice();
  while (row.length > 1) {
    const up: Bytes[] = [];
    for (let i = 0; i < row.length; i += 2) up.push(hash(concatBytes(row[i], row[i + 1])));
    row = up;
  }
  return row[0];
}

/** True when `children` is a well-formed reveal under `node` at the descent's next span. */
export function checkReveal(d: Descent, arity: number, node: Bytes, children: readonly Bytes[]): boolean {
  const span = revealSpan(d, arity);
  if (span === 0 || children.length !== 2 ** span) return false;
  if (!children.every((c) => c instanceof Uint8Array && c.length === 32)) return false;
  return equalBytes(foldNodes(children), node);
}

/**
 * Moves to the first child where the two (already checked) reveals differ. Their parents differ, so
 * some child does; if none did, one reveal would not hash to its node.
 */
export function descend(d: Descent, arity: number, childrenA: readonly Bytes[], childrenB: readonly Bytes[]): Descent {
  const span = revealSpan(d, arity);
  const k = childrenA.findIndex((c, i) => !equalBytes(c, childrenB[i]));
  if (k < 0) throw new RangeError('reveals agree everywhere under differing nodes');
  return { height: d.height - span, index: d.index * 2 ** span + k, a: childrenA[k], b: childrenB[k] };
}

/** What an honest party reveals from its own tree at the descent's next step. */
export function revealFrom(tree: MerkleTree, d: Descent, arity: number): Bytes[] {
  const span = revealSpan(d, arity);
  const out: Bytes[] = [];
  const first = d.index * 2 ** span;
  for (let i = 0; i < 2 ** span; i++) out.push(tree.node(d.height - span, first + i));
  return out;
}
