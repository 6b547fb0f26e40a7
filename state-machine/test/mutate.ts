// Test helper: hostile variants of valid encodings — one of `bases`, cut or zero-extended by up to
// `maxLenDelta` bytes, with 1..maxEdits bytes overwritten.
import fc from 'fast-check';

export function mutatedBytes(bases: readonly Uint8Array[], maxEdits: number, maxLenDelta: number): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.nat(bases.length - 1),
      fc.array(fc.record({ pos: fc.nat(), byte: fc.nat(255) }), { minLength: 1, maxLength: maxEdits }),
      fc.integer({ min: -maxLenDelta, max: maxLenDelta }),
    )
    .map(([which, edits, lenDelta]) => {
      const base = bases[which];
      const m = new Uint8Array(Math.max(0, base.length + lenDelta));
      m.set(base.subarray(0, Math.min(base.length, m.length)));
      for (const e of edits) if (m.length > 0) m[e.pos % m.length] = e.byte;
      return m;
    });
}
