import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak256, sha256, bytesToHex, concatBytes, type Bytes } from '../crypto/hash.ts';
import { MerkleTree, merkleRoot, verifyMerkleProof, zeroHash } from './tree.ts';

const leaf = (i: number): Bytes => sha256(new Uint8Array([i & 0xff, i >> 8]));

describe('binary Merkle tree', () => {
  it('has fixed small roots (golden)', () => {
    expect(bytesToHex(merkleRoot([]))).toBe(`0x${'00'.repeat(32)}`);
    expect(merkleRoot([leaf(0)])).toEqual(leaf(0));
    expect(merkleRoot([leaf(0), leaf(1)])).toEqual(sha256(concatBytes(leaf(0), leaf(1))));
    const three = merkleRoot([leaf(0), leaf(1), leaf(2)]);
    const want = sha256(concatBytes(sha256(concatBytes(leaf(0), leaf(1))), sha256(concatBytes(leaf(2), zeroHash(0)))));
    expect(three).toEqual(want);
  });

  it('merkleRoot equals the root of the kept tree for every size, with either hash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.boolean(), (n, useKeccak) => {
        const leaves = Array.from({ length: n }, (_, i) => leaf(i));
        const h = useKeccak ? keccak256 : sha256;
        expect(merkleRoot(leaves, h)).toEqual(new MerkleTree(leaves, h).root);
      }),
      { numRuns: 120 },
    );
  });

  it('proves every leaf and rejects tampering', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.nat(31), (n, pick, byte) => {
        const leaves = Array.from({ length: n }, (_, i) => leaf(i));
        const t = new MerkleTree(leaves);
        const i = pick % n;
        const p = t.proof(i);
        expect(verifyMerkleProof(t.root, leaves[i], p, n)).toBe(true);
        const bad = leaves[i].slice();
        bad[byte] ^= 1;
        expect(verifyMerkleProof(t.root, bad, p, n)).toBe(false);
        if (p.siblings.length > 0) {
          const sib = p.siblings.map((s) => s.slice());
          sib[0][byte] ^= 0x80;
          expect(verifyMerkleProof(t.root, leaves[i], { index: i, siblings: sib }, n)).toBe(false);
          // moving the leaf to another index fails
          expect(verifyMerkleProof(t.root, leaves[i], { index: i ^ 1, siblings: p.siblings }, n)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('pins the depth when the leaf count is known', () => {
    const leaves = [leaf(0), leaf(1), leaf(2)];
    const t = new MerkleTree(leaves);
    // claiming the zero padding slot (index 3) is refused
    const padded = t.proof(2);
    expect(verifyMerkleProof(t.root, zeroHash(0), { index: 3, siblings: [leaves[2], padded.siblings[1]] }, 3)).toBe(false);
  });

  it('takes keccak for L1-verified trees', () => {
    const leaves = [leaf(0), leaf(1)];
    expect(merkleRoot(leaves, keccak256)).toEqual(keccak256(concatBytes(leaf(0), leaf(1))));
  });

  it('exposes inner nodes for descent', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => leaf(i));
    const t = new MerkleTree(leaves);
    expect(sha256(concatBytes(t.node(2, 0), t.node(2, 1)))).toEqual(t.root);
    expect(t.node(1, 3)).toEqual(zeroHash(1));
  });
});
