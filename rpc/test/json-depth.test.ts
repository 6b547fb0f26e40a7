// The nesting guard that runs before JSON.parse: exact against the parsed value's depth for any
// JSON (brackets, quotes and backslashes inside strings included), and cheap on hostile bodies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../json-depth.ts';

/** Nesting depth of a parsed JSON value: 0 for a scalar, 1 for [] or {}. */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

// strings made of the characters that could fool a scanner
const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', 'u', '0', ' ') });
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tricky, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
})).value;

describe('nestsDeeperThan', () => {
  it('agrees with the parsed depth for every limit, whitespace and escapes included', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 8 }), fc.boolean(), (value, limit, pretty) => {
        const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        expect(nestsDeeperThan(text, limit)).toBe(depthOf(JSON.parse(text)) > limit);
      }),
      { numRuns: 2000 },
    );
  });

  it('stops early on a 2 MB body of nested brackets and skips long strings whole', () => {
    const flat = (s: string) => Buffer.from(s).toString('utf8'); // a flat string, as an HTTP body is
    const deep = flat('['.repeat(1 << 20) + ']'.repeat(1 << 20));
    expect(nestsDeeperThan(deep, 64)).toBe(true);
    const opened = flat('{"a":'.repeat(400_000));
    expect(nestsDeeperThan(opened, 64)).toBe(true);
    const quoted = flat(`["${'\\"['.repeat(500_000)}"]`);
    expect(nestsDeeperThan(quoted, 1)).toBe(false);
    expect(nestsDeeperThan(flat(`[${'[1],'.repeat(400_000)}[1]]`), 2)).toBe(false);
    expect(nestsDeeperThan('[[[', 2)).toBe(true);
    expect(nestsDeeperThan('["[[[', 1)).toBe(false); // unterminated: JSON.parse refuses it
  });
});
