// The L1 watcher: reads the Portal's Deposit logs at N confirmations and serves them to the
// sequencer (L1Feed). Only blocks at least `confirmations` deep are scanned, so a reorg of the
// unconfirmed tip never reaches the feed. Every answer of the L1 RPC is checked before it counts:
// logs must come from the portal, decode, sit in the scanned range, carry the hash of their block,
// and continue the nonce sequence without a gap; otherwise nothing of that range is taken and the
// scan retries. Scan position and deposits are written in one fsynced LevelDB batch, so a restart
// neither misses a deposit nor feeds one twice (the L2 credits by nonce anyway).
import { getAbiItem, type Address, type Hex, type PublicClient } from 'viem';
import { portalAbi } from '../../bridge/artifacts.ts';
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import type { Deposit } from '../../state-machine/tx/deposit.ts';
import type { L1Feed, L1Origin } from '../chain/l1-feed.ts';
import type { Logger } from '../../infra/logger.ts';
import { openDb, type Db } from '../store/event-log.ts';
import { deepReorg, l1Garbage, RollupError } from './errors.ts';
import { pollLoop } from './l1.ts';

const DEPOSIT_EVENT = getAbiItem({ abi: portalAbi, name: 'Deposit' });
const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`;

const CURSOR_KEY = new TextEncoder().encode('cursor');
const DEPOSIT_PREFIX = 0x64; // 'd'

interface Cursor extends L1Origin {
  /** the nonce the next deposit must carry */
  nextNonce: bigint;
}

function depositKey(nonce: bigint): Uint8Array {
  const k = new Uint8Array(9);
  k[0] = DEPOSIT_PREFIX;
  new DataView(k.buffer).setBigUint64(1, nonce);
  return k;
}

const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export interface L1BlockRef {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

/** A block header, checked to be the block asked for. */
export async function l1Block(pub: PublicClient, n: bigint): Promise<L1BlockRef> {
  const b = await pub.getBlock({ blockNumber: n });
  if (b.number !== n || typeof b.hash !== 'string' || !/^0x[0-9a-f]{64}$/i.test(b.hash)) throw l1Garbage(`block ${n}`, { got: String(b.number) });
  return { number: n, hash: b.hash.toLowerCase() as Hex, parentHash: b.parentHash.toLowerCase() as Hex, timestamp: b.timestamp };
}

/**
 * The Portal deposits in L1 blocks [from, to], checked: from `portal` only, decoded, in range, in
 * canonical blocks (hash re-read), nonces contiguous from `nextNonce`. Throws ROLLUP_L1_GARBAGE.
 */
export async function scanDeposits(pub: PublicClient, portal: Address, from: bigint, to: bigint, nextNonce: bigint): Promise<Deposit[]> {
  const logs = await pub.getLogs({ address: portal, event: DEPOSIT_EVENT, fromBlock: from, toBlock: to, strict: true });
  const rows = [...logs].sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  const hashes = new Map<bigint, Hex>();
  const out: Deposit[] = [];
  let expect = nextNonce;
  for (const l of rows) {
    if (!sameAddress(l.address, portal)) throw l1Garbage('a Deposit log from a contract that is not the portal', { address: l.address });
    if (l.removed) throw l1Garbage('a removed log');
    if (l.blockNumber === null || l.blockNumber < from || l.blockNumber > to) throw l1Garbage('a log outside the asked range', { block: String(l.blockNumber) });
    const { nonce, from: sender, l2Recipient, token, amount } = l.args;
    if (nonce === undefined || sender === undefined || l2Recipient === undefined || token === undefined || amount === undefined) throw l1Garbage('an undecodable Deposit log');
    if (nonce !== expect) throw l1Garbage(`deposit nonce ${nonce} where ${expect} was due`);
    let hash = hashes.get(l.blockNumber);
    if (hash === undefined) {
      hash = (await l1Block(pub, l.blockNumber)).hash;
      hashes.set(l.blockNumber, hash);
    }
    if (l.blockHash?.toLowerCase() !== hash) throw l1Garbage(`deposit ${nonce}: log block hash is not that of block ${l.blockNumber}`);
    out.push({
      nonce,
      from: sender.toLowerCase() as Address,
      to: l2Recipient.toLowerCase() as Address,
      token: token.toLowerCase() as Address,
      amount,
      l1BlockNumber: l.blockNumber,
      l1BlockHash: hash,
      l1TxHash: l.transactionHash.toLowerCase() as Hex,
      logIndex: BigInt(l.logIndex),
    });
    expect++;
  }
  return out;
}

export interface WatcherOptions {
  pub: PublicClient;
  portal: Address;
  /** first L1 block that can hold a deposit (the portal's deployment block) */
  startBlock: bigint;
  /** a block counts once it has this many confirmations (1 = the head itself) */
  confirmations: bigint;
  /** the watcher's own LevelDB directory */
  dbDir: string;
  logger: Logger;
  pollMs?: number;
  /** most L1 blocks one eth_getLogs spans */
  maxRange?: bigint;
}

export class DepositWatcher implements L1Feed {
  private cursor: Cursor | null;
  private readonly byNonce = new Map<bigint, Deposit>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  /** set when a confirmed block left the chain; the feed no longer advances */
  halted: RollupError | null = null;
  /** notified after every poll that moved the cursor */
  onAdvance: (() => void) | null = null;

  private constructor(
    private readonly o: WatcherOptions,
    private readonly db: Db,
    cursor: Cursor | null,
    deposits: Deposit[],
  ) {
    this.cursor = cursor;
    for (const d of deposits) this.byNonce.set(d.nonce, d);
  }

  static async open(o: WatcherOptions): Promise<DepositWatcher> {
    const db = await openDb(o.dbDir);
    const cursorBytes = await db.get(CURSOR_KEY);
    const deposits: Deposit[] = [];
    for await (const v of db.values({ gte: depositKey(0n), lte: depositKey((1n << 64n) - 1n) })) deposits.push(unpack<Deposit>(v));
    return new DepositWatcher(o, db, cursorBytes === undefined ? null : unpack<Cursor>(cursorBytes), deposits);
  }

  origin(): L1Origin | null {
    if (this.cursor === null || this.cursor.hash === ZERO_HASH) return null;
    return { number: this.cursor.number, hash: this.cursor.hash, timestamp: this.cursor.timestamp };
  }

  deposits(fromNonce: bigint, maxL1Block: bigint, max: number): Deposit[] {
    const out: Deposit[] = [];
    for (let n = fromNonce; out.length < max; n++) {
      const d = this.byNonce.get(n);
      if (d === undefined || d.l1BlockNumber > maxL1Block) break;
      out.push(d);
    }
    return out;
  }

  /** Deposits known so far (confirmed), in nonce order. */
  allDeposits(): Deposit[] {
    return [...this.byNonce.values()].sort((a, b) => (a.nonce < b.nonce ? -1 : 1));
  }

  start(): void {
    this.loop ??= this.run();
  }

  private run(): Promise<void> {
    return pollLoop({
      step: () => this.poll(),
      pollMs: this.o.pollMs ?? 1000,
      signal: this.abort.signal,
      logger: this.o.logger,
      what: 'L1 deposit scan',
      fatal: (e: unknown) => {
        if (!(e instanceof RollupError && e.code === 'ROLLUP_L1_DEEP_REORG')) return false;
        this.halted = e;
        this.o.logger.fatal({ err: e }, 'confirmed L1 block reorged away: deposit feed halted');
        return true;
      },
    });
  }


  /** One scan up to the confirmed tip. Public so tests and derivation can drive it step by step. */
  async poll(): Promise<void> {
    const { pub, confirmations } = this.o;
    const maxRange = this.o.maxRange ?? 2000n;
    const head = await pub.getBlockNumber({ cacheTime: 0 });
    const depth = confirmations > 0n ? confirmations - 1n : 0n;
    const tip = head - depth;
    let cur = this.cursor;
    if (cur !== null && cur.hash !== ZERO_HASH) {
      const now = await l1Block(pub, cur.number);
      if (now.hash !== cur.hash) throw deepReorg(cur.number, cur.hash, now.hash);
    }
    let moved = false;
    for (;;) {
      const from = cur === null ? this.o.startBlock : cur.number + 1n;
      if (from > tip) break;
      const to = tip < from + maxRange - 1n ? tip : from + maxRange - 1n;
      const end = await l1Block(pub, to);
      // the range must hang off the block the cursor points at (checked for single-block steps)
      if (cur !== null && cur.hash !== ZERO_HASH && to === cur.number + 1n && end.parentHash !== cur.hash) {
        throw l1Garbage(`block ${to} does not extend block ${cur.number}`);
      }
      const found = await scanDeposits(pub, this.o.portal, from, to, cur?.nextNonce ?? 0n);
      const again = await l1Block(pub, to);
      if (again.hash !== end.hash) throw l1Garbage(`block ${to} changed during the scan`);
      const next: Cursor = { number: to, hash: end.hash, timestamp: end.timestamp, nextNonce: (cur?.nextNonce ?? 0n) + BigInt(found.length) };
      await this.db.batch(
        [...found.map((d) => ({ type: 'put' as const, key: depositKey(d.nonce), value: pack(d) })), { type: 'put' as const, key: CURSOR_KEY, value: pack(next) }],
        { sync: true },
      );
      for (const d of found) this.byNonce.set(d.nonce, d);
      this.cursor = cur = next;
      moved = true;
      if (found.length > 0) this.o.logger.info({ l1Block: Number(to), deposits: found.length, nextNonce: Number(next.nextNonce) }, 'L1 deposits confirmed');
    }
    if (moved) this.onAdvance?.();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.db.close();
  }
}
