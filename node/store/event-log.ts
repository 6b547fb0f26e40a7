// The event log: blocks, receipts and their indexes in LevelDB. Each block goes in with ONE atomic,
// fsynced batch (block, receipts, tx index, log indexes, head pointer, optional snapshot, removal of
// the included txs from the pool journal), so a crash leaves either the whole block or none of it.
// An empty block writes only its compact record, its hash index entry and the head pointer.
import { Level } from 'level';
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import { logsBloomHex } from '../../state-machine/chain/bloom.ts';
import { bytesToHex, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import type { Receipt } from '../../state-machine/index.ts';
import { StoreError } from '../errors.ts';
import { COMPACT_TAG, decodeBlockRecord, encodeBlockRecord, type StoredBlock } from './block-record.ts';
import { PREFIX, keys, readU64, u64 } from './keys.ts';

export type { StoredBlock };

export type Db = Level<Bytes, Bytes>;

export interface BlockWrite extends StoredBlock {
  receipts: Receipt[];
  /** encoded state after this block, when this block is a snapshot point */
  snapshot?: Bytes;
  /**
   * Instead of `snapshot`: the state after this block is the one snapshotted after block
   * `snapshotSameAs` (same root), so only a 9-byte pointer to those bytes is written.
   */
  snapshotSameAs?: bigint;
  /** pool journal entries to drop in the same batch (the included txs, evicted ones) */
  journalRemovals?: Hex[];
  /**
   * false: written without an fsync (a process kill keeps it, the OS's page cache has it; a power
   * loss may drop it with the blocks after it, never a block before it). For blocks a follower can
   * fetch again; the default is fsynced.
   */
  durable?: boolean;
}

export interface Head {
  number: bigint;
  hash: Hex;
}

export interface TxPointer {
  blockNumber: bigint;
  index: number;
}

/** A snapshot found for a block: its bytes, stored at `source` (= `number` unless it was a pointer). */
export interface SnapshotRecord {
  number: bigint;
  source: bigint;
  /** null when a pointer leads nowhere (its target was deleted): a cache miss */
  data: Bytes | null;
}

const EMPTY = new Uint8Array(0);
const POINTER_BYTES = 9;

/** 's' value that stands for the snapshot bytes stored after block `source`: 0xc1 ‖ u64 source. */
function snapshotPointer(source: bigint): Bytes {
  const v = new Uint8Array(POINTER_BYTES);
  v[0] = COMPACT_TAG;
  v.set(u64(source), 1);
  return v;
}

/** The block a pointer refers to, or null when `v` holds snapshot bytes (msgpack never starts with 0xc1). */
function pointerSource(v: Bytes): bigint | null {
  return v.length === POINTER_BYTES && v[0] === COMPACT_TAG ? readU64(v, 1) : null;
}
const RECENT_BLOCKS = 32;

export async function openDb(dir: string): Promise<Db> {
  const db = new Level<Bytes, Bytes>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  return db;
}

/**
 * Receipts are stored without their logs bloom, as geth stores them: the bloom is a function of the
 * logs, 256 bytes that would be most of a transfer's record (and of what LevelDB writes and compacts).
 * It is recomputed on read; a record written with its bloom reads the same.
 */
function packReceipts(receipts: readonly Receipt[]): Bytes {
  return pack(receipts.map(({ logsBloom: _bloom, ...stored }) => stored));
}

function unpackReceipts(v: Bytes): Receipt[] {
  return unpack<Omit<Receipt, 'logsBloom'>[]>(v).map((r) => ({ ...r, logsBloom: logsBloomHex(r.logs) }));
}

export class EventLog {
  private headValue: Head | null = null;
  /** decoded recent blocks by number: RPC polls for fresh receipts hit memory, not LevelDB */
  private readonly recent = new Map<bigint, { stored: StoredBlock; receipts: Receipt[] }>();

  private constructor(readonly db: Db) {}

  static async open(db: Db): Promise<EventLog> {
    const log = new EventLog(db);
    const head = await log.getMeta<{ number: bigint; hash: Hex }>('head');
    if (head) log.headValue = { number: BigInt(head.number), hash: head.hash };
    return log;
  }

  /** Highest block written, or null before genesis is written. */
  head(): Head | null {
    return this.headValue;
  }

  async getMeta<T>(name: string): Promise<T | undefined> {
    const v = await this.db.get(keys.meta(name));
    return v === undefined ? undefined : unpack<T>(v);
  }

  async putMeta(name: string, value: unknown): Promise<void> {
    await this.db.put(keys.meta(name), pack(value), { sync: true });
  }

  /** Appends the next block. All-or-nothing: one batch, fsynced (unless `durable` is false) before the promise resolves. */
  async writeBlock(w: BlockWrite): Promise<void> {
    const { block, senders, receipts } = w;
    const n = block.header.number;
    const expected = this.headValue === null ? 0n : this.headValue.number + 1n;
    if (n !== expected) throw new StoreError(`block ${n} out of order, expected ${expected}`);
    if (this.headValue !== null && block.header.parentHash !== this.headValue.hash) {
      throw new StoreError(`block ${n} parent ${block.header.parentHash} is not head ${this.headValue.hash}`);
    }
    if (receipts.length !== block.transactions.length || senders.length !== block.transactions.length) {
      throw new StoreError(`block ${n}: ${block.transactions.length} txs, ${receipts.length} receipts, ${senders.length} senders`);
    }
    if (w.snapshot && w.snapshotSameAs !== undefined) throw new StoreError(`block ${n}: both a snapshot and a snapshot pointer`);
    const stored: StoredBlock = { block, senders };
    // A chained batch: several times cheaper per op than the array form (no per-op object checks).
    const batch = this.db.batch();
    batch.put(keys.block(n), encodeBlockRecord(stored));
    batch.put(keys.blockHash(block.hash), u64(n));
    // no receipts, no record: getReceipts answers [] for a stored block without one
    if (receipts.length > 0) batch.put(keys.receipts(n), packReceipts(receipts));
    const nb = u64(n);
    for (let i = 0; i < receipts.length; i++) {
      const ptr = new Uint8Array(12);
      ptr.set(nb, 0);
      new DataView(ptr.buffer).setUint32(8, i);
      batch.put(keys.tx(receipts[i].txHash), ptr);
    }
    const addrs = new Set<Hex>();
    const topics = new Set<Hex>();
    for (const r of receipts) {
      for (const l of r.logs) {
        addrs.add(l.address.toLowerCase() as Hex);
        for (const t of l.topics) topics.add(t.toLowerCase() as Hex);
      }
    }
    if (addrs.size > 0) batch.put(keys.logBlock(n), EMPTY);
    for (const a of addrs) batch.put(keys.logAddress(a, n), EMPTY);
    for (const t of topics) batch.put(keys.logTopic(t, n), EMPTY);
    if (w.snapshot) batch.put(keys.snapshot(n), w.snapshot);
    if (w.snapshotSameAs !== undefined) {
      if (w.snapshotSameAs >= n) throw new StoreError(`block ${n}: snapshot pointer to block ${w.snapshotSameAs}`);
      batch.put(keys.snapshot(n), snapshotPointer(w.snapshotSameAs));
    }
    for (const h of w.journalRemovals ?? []) batch.del(keys.journal(h));
    batch.put(keys.meta('head'), pack({ number: n, hash: block.hash }));
    await batch.write({ sync: w.durable !== false });
    this.headValue = { number: n, hash: block.hash };
    this.remember(n, stored, receipts);
  }

  private remember(n: bigint, stored: StoredBlock, receipts: Receipt[]): void {
    this.recent.set(n, { stored, receipts });
    if (this.recent.size > RECENT_BLOCKS) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  async getBlock(n: bigint): Promise<StoredBlock | undefined> {
    if (n < 0n || this.headValue === null || n > this.headValue.number) return undefined;
    const hit = this.recent.get(n);
    if (hit) return hit.stored;
    const v = await this.db.get(keys.block(n));
    return v === undefined ? undefined : decodeBlockRecord(n, v);
  }

  /** Blocks from..to in order through one iterator (replays); throws StoreError at a gap. */
  async *blockRange(from: bigint, to: bigint): AsyncGenerator<StoredBlock> {
    let next = from;
    if (to >= from) {
      for await (const [k, v] of this.db.iterator({ gte: keys.block(from), lte: keys.block(to) })) {
        if (readU64(k, 1) !== next) break;
        yield decodeBlockRecord(next++, v);
      }
    }
    if (next <= to) throw new StoreError(`block ${next} missing from the log`);
  }

  async getBlockNumber(hash: Hex): Promise<bigint | undefined> {
    const v = await this.db.get(keys.blockHash(hash.toLowerCase() as Hex));
    return v === undefined ? undefined : readU64(v);
  }

  async getReceipts(n: bigint): Promise<Receipt[] | undefined> {
    if (n < 0n || this.headValue === null || n > this.headValue.number) return undefined;
    const hit = this.recent.get(n);
    if (hit) return hit.receipts;
    const v = await this.db.get(keys.receipts(n));
    if (v !== undefined) return unpackReceipts(v);
    // empty blocks are written without a receipts record
    const stored = await this.getBlock(n);
    return stored?.block.transactions.length === 0 ? [] : undefined;
  }

  async getTxPointer(hash: Hex): Promise<TxPointer | undefined> {
    const v = await this.db.get(keys.tx(hash.toLowerCase() as Hex));
    if (v === undefined) return undefined;
    return { blockNumber: readU64(v), index: new DataView(v.buffer, v.byteOffset, v.byteLength).getUint32(8) };
  }

  /** Which of these tx hashes are already in a block (one multi-get). */
  async includedOf(hashes: Hex[]): Promise<boolean[]> {
    if (hashes.length === 0) return [];
    const vs = await this.db.getMany(hashes.map((h) => keys.tx(h)));
    return vs.map((v) => v !== undefined);
  }

  /** Block numbers in [from, to] that have a log, optionally only those indexed under an address or topic. */
  async blocksWithLogs(from: bigint, to: bigint, index?: { address: Hex } | { topic: Hex }): Promise<bigint[]> {
    if (to < from) return [];
    let prefix: number;
    let part: Bytes;
    if (index === undefined) {
      prefix = PREFIX.logBlock;
      part = EMPTY;
    } else if ('address' in index) {
      prefix = PREFIX.logAddress;
      part = keys.logAddress(index.address.toLowerCase() as Hex, 0n).subarray(1, 21);
    } else {
      prefix = PREFIX.logTopic;
      part = keys.logTopic(index.topic.toLowerCase() as Hex, 0n).subarray(1, 33);
    }
    const gte = new Uint8Array(1 + part.length + 8);
    gte[0] = prefix;
    gte.set(part, 1);
    gte.set(u64(from), 1 + part.length);
    const lte = new Uint8Array(gte);
    lte.set(u64(to), 1 + part.length);
    const out: bigint[] = [];
    for await (const k of this.db.keys({ gte, lte })) out.push(readU64(k, 1 + part.length));
    return out;
  }

  /** The newest snapshot at or below block n, a pointer followed to the bytes it stands for. */
  async snapshotAtOrBelow(n: bigint): Promise<SnapshotRecord | undefined> {
    const { gte } = keys.range(PREFIX.snapshot);
    for await (const [k, v] of this.db.iterator({ gte, lte: keys.snapshot(n), reverse: true, limit: 1 })) {
      const number = readU64(k, 1);
      const source = pointerSource(v);
      if (source === null) return { number, source: number, data: v };
      const target = await this.db.get(keys.snapshot(source));
      // pointers always name a full snapshot; one that leads to another pointer is damage
      return { number, source, data: target === undefined || pointerSource(target) !== null ? null : target };
    }
    return undefined;
  }

  /** Every snapshot record: block number, and for a pointer the block whose bytes it stands for. */
  async snapshotRecords(): Promise<{ number: bigint; sameAs: bigint | null; bytes: number }[]> {
    const out: { number: bigint; sameAs: bigint | null; bytes: number }[] = [];
    for await (const [k, v] of this.db.iterator(keys.range(PREFIX.snapshot))) out.push({ number: readU64(k, 1), sameAs: pointerSource(v), bytes: v.length });
    return out;
  }

  async snapshotNumbers(): Promise<bigint[]> {
    return (await this.snapshotRecords()).map((r) => r.number);
  }

  /** Drops every snapshot. The log alone still determines every root; restarts just replay longer. */
  async deleteSnapshots(): Promise<number> {
    const ks: Bytes[] = [];
    for await (const k of this.db.keys(keys.range(PREFIX.snapshot))) ks.push(k);
    if (ks.length > 0) await this.db.batch(ks.map((key) => ({ type: 'del' as const, key })), { sync: true });
    return ks.length;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export function hexOfKeyHash(k: Bytes, offset: number): Hex {
  return bytesToHex(k.subarray(offset, offset + 32));
}
