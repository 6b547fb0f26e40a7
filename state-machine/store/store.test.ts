import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZERO_HASH, bytesToHex, equalBytes, sha256 } from '../crypto/hash.ts';
import { verifyStateProof } from './proof.ts';
import { StateStore, StoreError } from './store.ts';

type Op =
  | { kind: 'set'; key: number; value: Uint8Array }
  | { kind: 'del'; key: number }
  | { kind: 'checkpoint' }
  | { kind: 'commit' }
  | { kind: 'revert' }
  | { kind: 'root' };

const KEY_SPACE = 40;
const keyOf = (k: number): Uint8Array => new Uint8Array([0x01, k & 0xff, (k * 7) & 0xff]);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.nat(KEY_SPACE - 1), value: fc.uint8Array({ minLength: 0, maxLength: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('del' as const), key: fc.nat(KEY_SPACE - 1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'checkpoint' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'commit' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revert' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'root' as const }) },
);

/** Runs ops on a store and on a Map model with a stack of model copies for checkpoints. */
function run(ops: Op[]): { store: StateStore; model: Map<number, Uint8Array> } {
  const store = new StateStore();
  let model = new Map<number, Uint8Array>();
  const saved: Map<number, Uint8Array>[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'set':
        store.set(keyOf(op.key), op.value);
        model.set(op.key, op.value);
        break;
      case 'del':
        store.delete(keyOf(op.key));
        model.delete(op.key);
        break;
      case 'checkpoint':
        store.checkpoint();
        saved.push(new Map(model));
        break;
      case 'commit':
        if (saved.length > 0) {
          store.commit();
          saved.pop();
        }
        break;
      case 'revert': {
        const m = saved.pop();
        if (m) {
          store.revert();
          model = m;
        }
        break;
      }
      case 'root':
        store.root();
        break;
    }
  }
  while (saved.length > 0) {
    store.commit();
    saved.pop();
  }
  return { store, model };
}

describe('StateStore', () => {
  it('matches a Map model under random ops with nested checkpoints, and its root is order-independent', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const { store, model } = run(ops);
        for (let k = 0; k < KEY_SPACE; k++) {
          const got = store.get(keyOf(k));
          const want = model.get(k);
          expect(got === undefined ? undefined : bytesToHex(got)).toBe(want === undefined ? undefined : bytesToHex(want));
        }
        expect(store.size).toBe(model.size);
        // A fresh store built from the same final entries in another order has the same root.
        const entries = [...model.entries()].reverse().map(([k, v]) => [keyOf(k), v] as const);
        expect(bytesToHex(StateStore.fromEntries(entries).root())).toBe(bytesToHex(store.root()));
      }),
      { numRuns: 300 },
    );
  });

  it('bulk-built and incrementally updated trees have the same root', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(5000), { minLength: 2, maxLength: 60 }), fc.nat(), (keys, cut) => {
        const keyOf = (k: number): Uint8Array => new Uint8Array([0x02, k >> 8, k & 0xff]); // injective here
        const incremental = new StateStore();
        for (const k of keys) {
          incremental.set(keyOf(k), new Uint8Array([k & 0xff]));
          incremental.root(); // forces one insert at a time into an existing tree
        }
        const drop = keys.slice(0, cut % keys.length);
        for (const k of drop) {
          incremental.delete(keyOf(k));
          incremental.root();
        }
        const kept = keys.filter((k) => !drop.includes(k));
        const bulk = StateStore.fromEntries(kept.map((k) => [keyOf(k), new Uint8Array([k & 0xff])] as const));
        expect(bytesToHex(bulk.root())).toBe(bytesToHex(incremental.root()));
      }),
      { numRuns: 100 },
    );
  });

  it('commits to the documented node formulas', () => {
    // two keys whose paths differ in the first bit sit directly under the root
    const s = new StateStore();
    const keys: Uint8Array[] = [];
    for (let i = 0; keys.length < 2; i++) {
      const k = new Uint8Array([9, i]);
      if (keys.length === 0 || (sha256(k)[0] >> 7) !== (sha256(keys[0])[0] >> 7)) keys.push(k);
    }
    const values = [new Uint8Array([1, 2]), new Uint8Array([3])];
    keys.forEach((k, i) => s.set(k, values[i]));
    const leaf = (k: Uint8Array, v: Uint8Array) => sha256(new Uint8Array([0]), sha256(k), sha256(v));
    const [l0, l1] = keys.map((k, i) => leaf(k, values[i]));
    const [left, right] = sha256(keys[0])[0] >> 7 === 0 ? [l0, l1] : [l1, l0];
    expect(bytesToHex(s.root())).toBe(bytesToHex(sha256(new Uint8Array([1]), left, right)));
    s.delete(keys[1]);
    expect(bytesToHex(s.root())).toBe(bytesToHex(l0)); // a single leaf is the root
  });

  it('empty store has the zero root and exclusion proofs verify against it', () => {
    const s = new StateStore();
    expect(equalBytes(s.root(), ZERO_HASH)).toBe(true);
    const key = new Uint8Array([1, 2, 3]);
    expect(verifyStateProof(s.root(), key, null, s.prove(key))).toBe(true);
    expect(verifyStateProof(s.root(), key, new Uint8Array([1]), s.prove(key))).toBe(false);
  });

  it('inclusion and exclusion proofs verify; tampered proofs and wrong values fail', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(2000), { minLength: 1, maxLength: 60 }),
        fc.nat(2000),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        (keys, absent, tweak) => {
          const s = new StateStore();
          for (const k of keys) s.set(keyOf(k), new Uint8Array([k & 0xff, k >> 8]));
          const root = s.root();
          for (const k of keys) {
            const key = keyOf(k);
            const value = s.get(key) as Uint8Array;
            const proof = s.prove(key);
            expect(verifyStateProof(root, key, value, proof)).toBe(true);
            expect(verifyStateProof(bytesToHex(root), key, value, proof)).toBe(true);
            expect(verifyStateProof(root, key, tweak, proof)).toBe(equalBytes(tweak, value));
            expect(verifyStateProof(root, key, null, proof)).toBe(false);
            if (proof.siblings.length > 0) {
              const bad = { ...proof, siblings: proof.siblings.slice() };
              const s0 = bad.siblings[0];
              bad.siblings[0] = `0x${(s0[2] === '0' ? '1' : '0')}${s0.slice(3)}`;
              expect(verifyStateProof(root, key, value, bad)).toBe(false);
              expect(verifyStateProof(root, key, value, { ...proof, siblings: proof.siblings.slice(1) })).toBe(false);
            }
          }
          const absentKey = keyOf(absent);
          const inSet = keys.some((k) => equalBytes(keyOf(k), absentKey));
          const ex = s.prove(absentKey);
          expect(verifyStateProof(root, absentKey, null, ex)).toBe(!inSet);
          if (!inSet && ex.other !== null) {
            // pointing the "other" leaf at a different value hash must fail
            const forged = { ...ex, other: { ...ex.other, valueHash: bytesToHex(new Uint8Array(32).fill(7)) } };
            expect(verifyStateProof(root, absentKey, null, forged)).toBe(false);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects malformed proofs without throwing', () => {
    const s = new StateStore();
    s.set(keyOf(1), new Uint8Array([1]));
    s.set(keyOf(2), new Uint8Array([2]));
    const root = s.root();
    const junk: unknown[] = [null, {}, { siblings: 'x', other: null }, { siblings: ['0x12'], other: null }, { siblings: [], other: { path: 5, valueHash: '0x' } }];
    for (const j of junk) expect(verifyStateProof(root, keyOf(1), new Uint8Array([1]), j as never)).toBe(false);
    expect(verifyStateProof('0xzz', keyOf(1), new Uint8Array([1]), s.prove(keyOf(1)))).toBe(false);
  });

  it('revert after root() restores the previous root; snapshot round-trips; clone is independent', () => {
    const s = new StateStore();
    for (let k = 0; k < 100; k++) s.set(keyOf(k), new Uint8Array([k]));
    const r0 = bytesToHex(s.root());
    s.checkpoint();
    s.set(keyOf(5), new Uint8Array([99]));
    s.delete(keyOf(6));
    s.set(keyOf(500), new Uint8Array([1]));
    const r1 = bytesToHex(s.root());
    expect(r1).not.toBe(r0);
    s.revert();
    expect(bytesToHex(s.root())).toBe(r0);

    const restored = StateStore.fromSnapshot(s.snapshot());
    expect(bytesToHex(restored.root())).toBe(r0);
    expect(restored.entries().length).toBe(100);

    const c = s.clone();
    c.set(keyOf(1), new Uint8Array([42]));
    expect(bytesToHex(s.root())).toBe(r0);
    expect(bytesToHex(c.root())).not.toBe(r0);
    expect(() => StateStore.fromSnapshot(new Uint8Array([0x93, 1, 2, 3]))).toThrow(/snapshot/);
    // any damage is a StoreError (or, if it still decodes, a different state), never another exception
    const snap = s.snapshot();
    fc.assert(
      fc.property(fc.nat(snap.length - 1), fc.nat(255), fc.nat(snap.length), (pos, byte, cut) => {
        const bad = snap.slice(0, Math.max(1, cut));
        if (pos < bad.length) bad[pos] = byte;
        try {
          StateStore.fromSnapshot(bad).root();
        } catch (e) {
          expect(e).toBeInstanceOf(StoreError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
