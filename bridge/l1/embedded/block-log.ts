// The embedded L1's durable block log (LevelDB): what is needed to rebuild each mined block exactly
// (its raw transactions, timestamp, coinbase, and the dev-control edits made before it), written with
// sync before the block is announced. A restart replays it and checks every block hash it recorded.
import { Level } from 'level';
import { pack, unpack } from '../../../state-machine/codec/msgpack.ts';
import type { Hex } from './chain.ts';

/** A state edit made outside a transaction (anvil_setBalance), replayed before the block it preceded. */
export interface StateOp {
  kind: 'balance';
  address: Hex;
  balance: bigint;
}

export interface LoggedBlock {
  number: bigint;
  timestamp: bigint;
  coinbase: Hex;
  txs: Uint8Array[];
  ops: StateOp[];
  /** the hash the block had; replay must reach it */
  hash: Hex;
}

export interface LogMeta {
  genesisTimestamp: bigint;
  genesisHash: Hex;
  chainId: bigint;
}

const META = new TextEncoder().encode('meta');
const BLOCK_PREFIX = 0x62; // 'b'

function blockKey(n: bigint): Uint8Array {
  const k = new Uint8Array(9);
  k[0] = BLOCK_PREFIX;
  new DataView(k.buffer).setBigUint64(1, n);
  return k;
}

export class BlockLog {
  private constructor(private readonly db: Level<Uint8Array, Uint8Array>) {}

  static async open(dir: string): Promise<BlockLog> {
    const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    return new BlockLog(db);
  }

  async meta(): Promise<LogMeta | undefined> {
    const v = await this.db.get(META);
    return v === undefined ? undefined : unpack<LogMeta>(v);
  }

  async writeMeta(m: LogMeta): Promise<void> {
    await this.db.put(META, pack(m), { sync: true });
  }

  /** Durable when it resolves (fsync). */
  async append(b: LoggedBlock): Promise<void> {
    await this.db.put(blockKey(b.number), pack(b), { sync: true });
  }

  /** Blocks in order, from 1. */
  async *entries(): AsyncGenerator<LoggedBlock> {
    for await (const [, v] of this.db.iterator({ gte: blockKey(0n), lte: blockKey(2n ** 64n - 1n) })) {
      yield unpack<LoggedBlock>(v);
    }
  }

  /** Forgets every block after `n` (evm_revert), durably. */
  async truncateAfter(n: bigint): Promise<void> {
    const keys: Uint8Array[] = [];
    for await (const k of this.db.keys({ gt: blockKey(n), lte: blockKey(2n ** 64n - 1n) })) keys.push(k);
    if (keys.length > 0) await this.db.batch(keys.map((key) => ({ type: 'del' as const, key })), { sync: true });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
