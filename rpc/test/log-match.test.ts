import { describe, expect, it } from 'vitest';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { logMatches } from '../feed.ts';

const A = '0x0000000000000000000000000000000000000a02' as Hex;
const B = '0x0000000000000000000000000000000000000a01' as Hex;
const t = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`;
const log = { address: A, topics: [t(1), t(2)] };

// Topic filter semantics follow geth's filter matching, which eth_getLogs and eth_subscribe share.
describe('log filter matching', () => {
  it('matches addresses case-insensitively and as a set', () => {
    expect(logMatches({ ...log, address: A.toUpperCase().replace('0X', '0x') as Hex }, [A], [])).toBe(true);
    expect(logMatches(log, [B], [])).toBe(false);
    expect(logMatches(log, [B, A], [])).toBe(true);
    expect(logMatches(log, [], [])).toBe(true);
  });

  it('treats null and [] positions as wildcards and lists as any-of', () => {
    expect(logMatches(log, [], [null, [t(2)]])).toBe(true);
    expect(logMatches(log, [], [[], [t(2)]])).toBe(true);
    expect(logMatches(log, [], [[t(3), t(1)]])).toBe(true);
    expect(logMatches(log, [], [[t(3)]])).toBe(false);
  });

  it('never matches a filter with more positions than the log has topics', () => {
    expect(logMatches(log, [], [null, null, null])).toBe(false);
    expect(logMatches(log, [], [[t(1)], [t(2)], []])).toBe(false);
  });
});
