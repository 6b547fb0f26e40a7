import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog, openDb } from './event-log.ts';
import { keys } from './keys.ts';
import { LOG_ADDRESS, TOPIC_EVEN, blockHashOf, syntheticBlock, txHashOf } from './test/synthetic-blocks.ts';
import { StoreError } from '../errors.ts';
import { EMPTY_WITHDRAWALS_ROOT } from '../../state-machine/index.ts';
import { COMPACT_BLOCK_BYTES } from './block-record.ts';
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'verity-log-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('EventLog', () => {
  it('writes blocks with their indexes and finds them after reopening', async () => {
    const dir = tempDir();
    let log = await EventLog.open(await openDb(dir));
    for (let n = 0n; n < 4n; n++) await log.writeBlock({ ...syntheticBlock(n, Number(n) * 3), snapshot: n === 2n ? new Uint8Array([9]) : undefined });
    await log.close();

    log = await EventLog.open(await openDb(dir));
    expect(log.head()).toEqual({ number: 3n, hash: blockHashOf(3n) });
    const b2 = await log.getBlock(2n);
    expect(b2?.block.hash).toBe(blockHashOf(2n));
    expect(b2?.block.transactions).toHaveLength(6);
    expect(await log.getBlockNumber(blockHashOf(3n))).toBe(3n);
    expect(await log.getTxPointer(txHashOf(3n, 8))).toEqual({ blockNumber: 3n, index: 8 });
    expect((await log.getReceipts(3n))?.[8].txHash).toBe(txHashOf(3n, 8));
    expect(await log.getBlock(4n)).toBeUndefined();
    // block 0 has no txs and so no logs; blocks 1..3 each have a log at tx index 0
    expect(await log.blocksWithLogs(0n, 3n)).toEqual([1n, 2n, 3n]);
    expect(await log.blocksWithLogs(2n, 2n, { address: LOG_ADDRESS })).toEqual([2n]);
    expect(await log.blocksWithLogs(0n, 10n, { topic: TOPIC_EVEN })).toEqual([1n, 2n, 3n]);
    expect(await log.blocksWithLogs(0n, 10n, { topic: txHashOf(3n, 2) })).toEqual([3n]);
    expect((await log.snapshotAtOrBelow(3n))?.number).toBe(2n);
    expect(await log.snapshotAtOrBelow(1n)).toBeUndefined();
    await log.close();
  });

  it('refuses a block out of order or on the wrong parent and writes nothing of it', async () => {
    const log = await EventLog.open(await openDb(tempDir()));
    await log.writeBlock(syntheticBlock(0n, 1));
    await expect(log.writeBlock(syntheticBlock(2n, 1))).rejects.toBeInstanceOf(StoreError);
    const wrongParent = syntheticBlock(1n, 2);
    wrongParent.block.header.parentHash = blockHashOf(7n);
    await expect(log.writeBlock(wrongParent)).rejects.toBeInstanceOf(StoreError);
    expect(await log.getTxPointer(txHashOf(1n, 0))).toBeUndefined();
    expect(log.head()?.number).toBe(0n);
    await log.close();
  });

  it('a block batch is all-or-nothing when the process is killed mid-write', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'test', 'crash-writer.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let reported = -1n;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        const last = lines[lines.length - 1].match(/^wrote (\d+)$/);
        if (last) reported = BigInt(last[1]);
        if (reported >= 30n) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code) => (reported < 30n ? reject(new Error(`writer exited early: ${code}`)) : undefined));
    });
    await new Promise((r) => child.once('exit', r));

    const log = await EventLog.open(await openDb(dir));
    const head = log.head();
    expect(head).not.toBeNull();
    const h = head?.number ?? -1n;
    expect(h).toBeGreaterThanOrEqual(reported);
    for (let n = 0n; n <= h; n++) {
      const b = await log.getBlock(n);
      expect(b?.block.hash).toBe(blockHashOf(n));
      expect(await log.getReceipts(n)).toHaveLength(50);
      expect(await log.getTxPointer(txHashOf(n, 49))).toEqual({ blockNumber: n, index: 49 });
    }
    // nothing of the block after the head: no block record, no tx index, no snapshot
    expect(await log.db.get(keys.block(h + 1n))).toBeUndefined();
    for (let i = 0; i < 50; i++) expect(await log.getTxPointer(txHashOf(h + 1n, i))).toBeUndefined();
    expect(await log.db.get(keys.snapshot(h + 1n))).toBeUndefined();
    await log.close();
  });

  it('stores an empty block compactly when its header allows it, and snapshot pointers resolve to their bytes', async () => {
    const dir = tempDir();
    let log = await EventLog.open(await openDb(dir));
    const blocks = [0n, 1n, 2n, 3n, 4n].map((n) => syntheticBlock(n, n === 1n ? 2 : 0));
    for (const w of [blocks[2], blocks[3]]) {
      // an empty block as the chain makes them: signed, the empty withdrawals root
      w.block.header.withdrawalsRoot = EMPTY_WITHDRAWALS_ROOT;
      w.block.header.signature = `0x${'5a'.repeat(64)}1b`;
    }
    blocks[3].block.header.stateRoot = `0x${'AB'.repeat(32)}`; // not canonical hex: kept as msgpack
    const snapshot = new Uint8Array([0x81, 0xa1, 0x76, 0x01]);
    for (const w of blocks) {
      const n = w.block.header.number;
      await log.writeBlock({ ...w, snapshot: n === 1n ? snapshot : undefined, snapshotSameAs: n === 2n || n === 4n ? 1n : undefined });
    }
    await expect(log.writeBlock({ ...syntheticBlock(5n, 0), snapshot, snapshotSameAs: 1n })).rejects.toBeInstanceOf(StoreError);
    await log.close();

    log = await EventLog.open(await openDb(dir));
    expect((await log.db.get(keys.block(2n)))?.length).toBe(COMPACT_BLOCK_BYTES);
    expect((await log.db.get(keys.block(3n)))?.length).toBeGreaterThan(COMPACT_BLOCK_BYTES);
    for (const w of blocks) {
      const n = w.block.header.number;
      expect(await log.getBlock(n)).toEqual({ block: w.block, senders: w.senders });
      expect(await log.getReceipts(n)).toEqual(w.receipts);
      expect(await log.db.get(keys.receipts(n))).toEqual(n === 1n ? expect.any(Uint8Array) : undefined);
    }
    // stored without the bloom (recomputed from the logs on read, as geth does)
    expect(unpack<object[]>((await log.db.get(keys.receipts(1n))) ?? pack([]))[0]).not.toHaveProperty('logsBloom');
    const found = await log.snapshotAtOrBelow(3n);
    expect(found).toMatchObject({ number: 2n, source: 1n });
    expect(Uint8Array.from(found?.data ?? [])).toEqual(snapshot);
    expect(await log.snapshotRecords()).toEqual([
      { number: 1n, sameAs: null, bytes: 4 },
      { number: 2n, sameAs: 1n, bytes: 9 },
      { number: 4n, sameAs: 1n, bytes: 9 },
    ]);
    // a pointer whose bytes are gone is a miss, not an error
    await log.db.del(keys.snapshot(1n));
    expect(await log.snapshotAtOrBelow(4n)).toEqual({ number: 4n, source: 1n, data: null });
    expect(await log.deleteSnapshots()).toBe(2);
    // replays read a range through one iterator, and a gap in it is an error, not a short replay
    const range = async (from: bigint, to: bigint) => {
      const out: bigint[] = [];
      for await (const s of log.blockRange(from, to)) out.push(s.block.header.number);
      return out;
    };
    expect(await range(1n, 4n)).toEqual([1n, 2n, 3n, 4n]);
    expect(await range(3n, 2n)).toEqual([]);
    await log.db.del(keys.block(3n));
    await expect(range(1n, 4n)).rejects.toThrow('block 3 missing');
    await expect(range(4n, 5n)).rejects.toThrow('block 5 missing');
    await log.close();
  });
});
