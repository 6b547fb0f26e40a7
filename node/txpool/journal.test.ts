import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesToHex, keccak256, type Hex } from '../../state-machine/crypto/hash.ts';
import { EventLog, openDb } from '../store/event-log.ts';
import { syntheticBlock } from '../store/test/synthetic-blocks.ts';
import { Journal } from './journal.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function entry(i: number): { hash: Hex; raw: Uint8Array } {
  const raw = new Uint8Array([1, 2, 3, i & 0xff, i >> 8]);
  return { hash: bytesToHex(keccak256(raw)), raw };
}

describe('Journal', () => {
  it('survives reopening, group-commits appends of one turn, and drops entries with the block batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verity-journal-'));
    dirs.push(dir);
    let db = await openDb(dir);
    let j = new Journal(db);
    const es = Array.from({ length: 300 }, (_, i) => entry(i));
    // 300 appends in one turn, as a JSON-RPC batch makes them
    await Promise.all(es.map((e) => j.append([e])));
    expect(j.groupsCommitted).toBe(1);
    // a replacement: the new entry in, the replaced one out, atomically
    const repl = entry(1000);
    await j.append([repl], [es[0].hash]);
    await db.close();

    db = await openDb(dir);
    j = new Journal(db);
    const all = await j.all();
    expect(all).toHaveLength(300);
    const byHash = new Map(all.map((e) => [e.hash, e.raw]));
    expect(byHash.has(es[0].hash)).toBe(false);
    expect(byHash.get(repl.hash)).toEqual(repl.raw);
    expect(byHash.get(es[299].hash)).toEqual(es[299].raw);

    // inclusion in a block removes the entries in the block's own batch
    const log = await EventLog.open(db);
    await log.writeBlock({ ...syntheticBlock(0n, 0), journalRemovals: es.slice(1, 101).map((e) => e.hash) });
    expect(await j.size()).toBe(200);
    j.remove([es[150].hash]);
    await j.flushed();
    expect(await j.size()).toBe(199);
    await log.close();
  });
});
