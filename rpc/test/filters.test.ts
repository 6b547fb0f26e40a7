// Polling filter lifetime and bounds: expiry after the timeout, the install cap, per-filter buffers.
import { describe, expect, it } from 'vitest';
import { ChainFeed } from '../feed.ts';
import { FilterManager, MAX_BUFFERED, MAX_FILTERS } from '../filters.ts';
import { MemoryBackend } from './memory-backend.ts';

function setup() {
  const backend = new MemoryBackend([], 0n);
  const feed = new ChainFeed(backend, (err) => {
    throw err;
  });
  let now = 0;
  const filters = new FilterManager(feed, 60_000, () => now);
  return { backend, feed, filters, advance: (ms: number) => (now += ms) };
}

describe('FilterManager', () => {
  it('caps installed filters, and frees expired ones to make room', () => {
    const { feed, filters, advance } = setup();
    const first = filters.newBlockFilter();
    for (let i = 1; i < MAX_FILTERS; i++) filters.newBlockFilter();
    expect(() => filters.newBlockFilter()).toThrow(/too many installed filters/);
    advance(30_000);
    expect(filters.changes(first)).toEqual([]); // polling keeps a filter alive
    advance(40_000); // every filter but `first` (polled 40 s ago) is now past the 60 s timeout
    const added = filters.newBlockFilter();
    expect(filters.size).toBe(2);
    expect(filters.changes(first)).toEqual([]);
    expect(filters.changes(added)).toEqual([]);
    filters.close();
    feed.close();
  });

  it('an unpolled filter keeps only the newest entries', () => {
    const { backend, feed, filters } = setup();
    const id = filters.newBlockFilter();
    const hashes: string[] = [];
    for (let i = 0; i < MAX_BUFFERED + 5; i++) hashes.push(backend.seal().hash);
    const got = filters.changes(id);
    expect(got.length).toBe(MAX_BUFFERED);
    expect(got.at(-1)).toBe(hashes.at(-1));
    expect(got[0]).toBe(hashes[5]);
    expect(() => filters.changes('0x1234')).toThrow('filter not found');
    filters.close();
    feed.close();
  });
});
