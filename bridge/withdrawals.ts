// The L1-verified formats, in TypeScript, exactly as Portal.sol checks them: the output root, the
// withdrawal leaf, and the fixed-depth (32) keccak withdrawals tree (the Ethereum deposit contract's
// shape: an empty subtree of height h hashes to ZERO_HASHES[h]; no length mix-in).
import { concat, encodePacked, keccak256, type Hex } from 'viem';
import { keccak256 as keccakBytes, bytesToHex } from '../state-machine/crypto/hash.ts';
import { zeroHash } from '../state-machine/merkle/tree.ts';
import { WITHDRAWALS_TREE_DEPTH, withdrawalLeaf, type Withdrawal } from '../state-machine/modules/bridge/records.ts';

// The leaf format and the tree depth are the L2 bridge module's (one definition); this file adds the
// list-based tree that tests and tools check Portal against.
export type { Withdrawal };
export const WITHDRAWAL_TREE_DEPTH = WITHDRAWALS_TREE_DEPTH;
export const OUTPUT_VERSION = 0;
/** The withdrawal hash and tree leaf: keccak256(abi.encode(nonce, l2Sender, l1Recipient, token, amount)). */
export const withdrawalHash: (w: Withdrawal) => Hex = withdrawalLeaf;

/** ZERO_HASHES[h] = root of an empty subtree of height h. */
export const ZERO_HASHES: readonly Hex[] = Array.from({ length: WITHDRAWAL_TREE_DEPTH + 1 }, (_, h) => bytesToHex(zeroHash(h, keccakBytes)));

/** keccak256(abi.encodePacked(uint8 0, stateRoot, withdrawalsRoot, blockHash)). */
export function outputRoot(stateRoot: Hex, withdrawalsRoot: Hex, blockHash: Hex): Hex {
  return keccak256(
    encodePacked(['uint8', 'bytes32', 'bytes32', 'bytes32'], [OUTPUT_VERSION, stateRoot, withdrawalsRoot, blockHash]),
  );
}

/** Every level of the tree over `leaves` (leaf i at index i), level 0 first; each level holds only its non-empty prefix. */
function levels(leaves: readonly Hex[]): Hex[][] {
  if (leaves.length > 2 ** WITHDRAWAL_TREE_DEPTH) throw new RangeError('too many withdrawals for a depth-32 tree');
  const out: Hex[][] = [[...leaves]];
  for (let h = 0; h < WITHDRAWAL_TREE_DEPTH; h++) {
    const cur = out[h];
    const next: Hex[] = [];
    for (let i = 0; i < cur.length; i += 2) next.push(keccak256(concat([cur[i], cur[i + 1] ?? ZERO_HASHES[h]])));
    out.push(next);
  }
  return out;
}

/** Root of the depth-32 tree whose first leaves are `leaves` and the rest empty. */
export function withdrawalsRoot(leaves: readonly Hex[]): Hex {
  return levels(leaves)[WITHDRAWAL_TREE_DEPTH][0] ?? ZERO_HASHES[WITHDRAWAL_TREE_DEPTH];
}

/** The 32 siblings (bottom-up) of leaf `index`, as `Portal.proveWithdrawal` takes them. */
export function withdrawalProof(leaves: readonly Hex[], index: number): Hex[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`no leaf at index ${index}`);
  const lv = levels(leaves);
  const siblings: Hex[] = [];
  for (let h = 0; h < WITHDRAWAL_TREE_DEPTH; h++) {
    const i = Math.floor(index / 2 ** h) ^ 1;
    siblings.push(lv[h][i] ?? ZERO_HASHES[h]);
  }
  return siblings;
}

/** The root a leaf and its siblings lead to (what Portal.merkleRootOf computes). */
export function rootFromProof(leaf: Hex, index: number, siblings: readonly Hex[]): Hex {
  if (siblings.length !== WITHDRAWAL_TREE_DEPTH) throw new RangeError(`need ${WITHDRAWAL_TREE_DEPTH} siblings`);
  let node = leaf;
  for (let h = 0; h < WITHDRAWAL_TREE_DEPTH; h++) {
    node = Math.floor(index / 2 ** h) % 2 === 1 ? keccak256(concat([siblings[h], node])) : keccak256(concat([node, siblings[h]]));
  }
  return node;
}
