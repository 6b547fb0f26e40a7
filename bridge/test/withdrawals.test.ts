// withdrawals.ts against an independent construction: the project's power-of-two keccak Merkle tree
// (state-machine/merkle/tree.ts), extended to depth 32 with the zero-subtree hashes.
import { hexToBytes, keccak256 as viemKeccak, toHex, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, keccak256 } from '../../state-machine/crypto/hash.ts';
import { MerkleTree, treeDepth, zeroHash } from '../../state-machine/merkle/tree.ts';
import { rootFromProof, withdrawalProof, withdrawalsRoot, ZERO_HASHES, WITHDRAWAL_TREE_DEPTH } from '../withdrawals.ts';

function expectedRoot(leaves: Hex[]): Hex {
  if (leaves.length === 0) return bytesToHex(zeroHash(WITHDRAWAL_TREE_DEPTH, keccak256));
  const tree = new MerkleTree(leaves.map((l) => hexToBytes(l)), keccak256);
  let node = tree.root;
  for (let h = treeDepth(leaves.length); h < WITHDRAWAL_TREE_DEPTH; h++) node = keccak256(concatBytes(node, zeroHash(h, keccak256)));
  return bytesToHex(node);
}

describe('withdrawals tree (depth 32, keccak)', () => {
  it('zero hashes match the project keccak zero subtrees', () => {
    for (let h = 0; h <= WITHDRAWAL_TREE_DEPTH; h++) expect(ZERO_HASHES[h]).toBe(bytesToHex(zeroHash(h, keccak256)));
  });

  it('roots and proofs agree with an independent construction for 0..17 leaves', () => {
    for (let n = 0; n <= 17; n++) {
      const leaves = Array.from({ length: n }, (_, i) => viemKeccak(toHex(`leaf ${i}`)));
      const root = withdrawalsRoot(leaves);
      expect(root, `n=${n}`).toBe(expectedRoot(leaves));
      for (let i = 0; i < n; i++) {
        const siblings = withdrawalProof(leaves, i);
        expect(siblings).toHaveLength(WITHDRAWAL_TREE_DEPTH);
        expect(rootFromProof(leaves[i], i, siblings)).toBe(root);
        if (n > 1) expect(rootFromProof(leaves[i], (i + 1) % n, siblings)).not.toBe(root);
      }
    }
  });

  it('refuses a proof for a missing leaf', () => {
    expect(() => withdrawalProof([ZERO_HASHES[0]], 1)).toThrow(RangeError);
  });
});
