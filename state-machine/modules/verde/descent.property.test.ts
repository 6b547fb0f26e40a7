// The descent always ends at the first leaf where two trees differ, in ⌈depth / log2 n⌉ rounds, for
// random trees, arities and differing leaves; malformed reveals are refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, uintToBytes } from '../../crypto/hash.ts';
import { MerkleTree } from '../../merkle/tree.ts';
import { checkReveal, descend, descentRounds, revealFrom, startDescent } from './descent.ts';

const leaf = (i: number, salt: number) => sha256(uintToBytes(BigInt(i), 4), uintToBytes(BigInt(salt), 4));

describe('n-ary descent', () => {
  it('finds the first differing leaf in the formula number of rounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.constantFrom(2, 4, 8, 16, 32),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 5 }),
        (count, arity, firstSeed, laterSeeds) => {
          const first = firstSeed % count;
          const a = Array.from({ length: count }, (_, i) => leaf(i, 0));
          const b = a.slice();
          b[first] = leaf(first, 1);
          for (const s of laterSeeds) {
            const j = first + (s % (count - first));
            b[j] = leaf(j, 2);
          }
          const ta = new MerkleTree(a);
          const tb = new MerkleTree(b);
          let d = startDescent(count, ta.root, tb.root);
          let rounds = 0;
          while (d.height > 0) {
            const ra = revealFrom(ta, d, arity);
            const rb = revealFrom(tb, d, arity);
            expect(checkReveal(d, arity, d.a, ra)).toBe(true);
            expect(checkReveal(d, arity, d.b, rb)).toBe(true);
            // a reveal under the other party's node, a short one and a tampered one are refused
            expect(checkReveal(d, arity, d.a, rb)).toBe(false);
            expect(checkReveal(d, arity, d.a, ra.slice(1))).toBe(false);
            expect(checkReveal(d, arity, d.a, [leaf(0, 9), ...ra.slice(1)])).toBe(false);
            d = descend(d, arity, ra, rb);
            rounds++;
          }
          expect(d.index).toBe(first);
          expect(rounds).toBe(descentRounds(count, arity));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
