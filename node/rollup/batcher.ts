// The batcher: posts sealed L2 blocks to BatchInbox, several per batch (batch-format.ts), one L1
// transaction at a time, each waited for. What is posted is read back from L1 (the inbox's
// batchCount and the newest batch's header), so a restart continues after the last block on L1:
// no gap, no duplicate. A local cursor (own LevelDB) only remembers where the newest batch is on
// L1 so the restart finds it without a long log search. While an earlier post is still in the
// L1 mempool (pending nonce ahead of the mined one) nothing is sent; every send uses the mined nonce.
import { encodeFunctionData, type Address, type PublicClient } from 'viem';
import { batchInboxAbi } from '../../bridge/artifacts.ts';
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import type { Block } from '../../state-machine/index.ts';
import type { Logger } from '../../infra/logger.ts';
import type { Chain } from '../chain/chain.ts';
import { openDb, type Db } from '../store/event-log.ts';
import { BATCH_SUBMITTED, batchOfLog, decodeBatchHeader, encodeBatch } from './batch-format.ts';
import { l1Garbage } from './errors.ts';
import { pollLoop, type L1Sender } from './l1.ts';

const CURSOR_KEY = new TextEncoder().encode('cursor');

interface BatcherCursor {
  /** batches on L1 when last read */
  batchCount: bigint;
  /** newest L2 block inside them (0: none; the genesis block is never posted) */
  posted: bigint;
  /** L1 block of the newest batch (log search starts here) */
  l1Block: bigint;
}

export interface BatcherOptions {
  chain: Chain;
  pub: PublicClient;
  /** null: only track what is on L1 (another process batches) */
  sender: L1Sender | null;
  inbox: Address;
  /** L1 block the inbox was deployed in */
  startBlock: bigint;
  dbDir: string;
  logger: Logger;
  /** post at least this often while blocks wait (ms) */
  intervalMs?: number;
  /** at most this many L2 blocks per batch */
  maxBlocks?: number;
  /** keep each batch's frame under this many bytes (L1 tx size limits) */
  maxFrameBytes?: number;
  pollMs?: number;
}

export interface BatchStats {
  batches: number;
  blocks: number;
  txs: number;
  rawTxBytes: number;
  payloadBytes: number;
  frameBytes: number;
}

export class Batcher {
  private cursor: BatcherCursor;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private lastPostAt = performance.now();
  readonly stats: BatchStats = { batches: 0, blocks: 0, txs: 0, rawTxBytes: 0, payloadBytes: 0, frameBytes: 0 };
  /** called with the newest posted L2 block after each post (and after the first read of L1) */
  onPosted: ((l2Block: bigint) => void) | null = null;

  private constructor(
    private readonly o: BatcherOptions,
    private readonly db: Db,
    cursor: BatcherCursor | null,
  ) {
    this.cursor = cursor ?? { batchCount: 0n, posted: 0n, l1Block: o.startBlock };
  }

  static async open(o: BatcherOptions): Promise<Batcher> {
    const db = await openDb(o.dbDir);
    const c = await db.get(CURSOR_KEY);
    const b = new Batcher(o, db, c === undefined ? null : unpack<BatcherCursor>(c));
    return b;
  }

  /** Newest L2 block known to be in a batch on L1 (0n: none). */
  posted(): bigint {
    return this.cursor.posted;
  }

  /** Re-reads what L1 holds when its batch count differs from the cursor's. */
  async syncFromL1(): Promise<void> {
    const count = await this.o.pub.readContract({ address: this.o.inbox, abi: batchInboxAbi, functionName: 'batchCount' });
    if (count === this.cursor.batchCount) return;
    let next: BatcherCursor;
    if (count === 0n) next = { batchCount: 0n, posted: 0n, l1Block: this.o.startBlock };
    else {
      // the newest batch: search from the cursor's block when it can still be ahead, else from the start
      const fromBlock = count > this.cursor.batchCount ? this.cursor.l1Block : this.o.startBlock;
      const logs = await this.o.pub.getLogs({ address: this.o.inbox, event: BATCH_SUBMITTED, args: { index: count - 1n }, fromBlock, toBlock: 'latest', strict: true });
      const log = logs.find((l) => l.address.toLowerCase() === this.o.inbox.toLowerCase() && l.args.index === count - 1n);
      if (log === undefined) throw l1Garbage(`no BatchSubmitted log for batch ${count - 1n}`);
      const batch = await batchOfLog(this.o.pub, this.o.inbox, log);
      const h = decodeBatchHeader(batch.frame);
      next = { batchCount: count, posted: h.first + BigInt(h.count) - 1n, l1Block: batch.l1BlockNumber };
    }
    if (next.posted !== this.cursor.posted) this.o.logger.info({ batches: Number(count), posted: Number(next.posted) }, 'batcher position read from L1');
    await this.save(next);
    this.onPosted?.(next.posted);
  }

  private async save(c: BatcherCursor): Promise<void> {
    await this.db.put(CURSOR_KEY, pack(c), { sync: true });
    this.cursor = c;
  }

  start(): void {
    this.loop ??= this.run();
  }

  private run(): Promise<void> {
    return pollLoop({
      step: () => this.step(),
      pollMs: this.o.pollMs ?? 250,
      signal: this.abort.signal,
      logger: this.o.logger,
      what: 'batcher step',
    });
  }


  /** Posts one batch when one is due. Returns the number of L2 blocks posted (0: nothing sent). */
  async step(force = false): Promise<number> {
    await this.syncFromL1();
    const sender = this.o.sender;
    if (sender === null) return 0;
    const head = this.o.chain.headHeaderNow().number;
    const waiting = head - this.cursor.posted;
    const maxBlocks = this.o.maxBlocks ?? 200;
    if (waiting <= 0n) return 0;
    if (!force && waiting < BigInt(maxBlocks) && performance.now() - this.lastPostAt < (this.o.intervalMs ?? 2_000)) return 0;
    const blocks = await this.collect(this.cursor.posted + 1n, head, maxBlocks);
    let enc = await encodeBatch(blocks);
    const maxFrame = this.o.maxFrameBytes ?? 100_000;
    while (enc.frame.length > maxFrame && blocks.length > 1) {
      blocks.length = Math.max(1, Math.floor(blocks.length / 2));
      enc = await encodeBatch(blocks);
    }
    const data = encodeFunctionData({ abi: batchInboxAbi, functionName: 'submitBatch', args: [`0x${Buffer.from(enc.frame).toString('hex')}`] });
    const r = await sender.send('submitBatch', this.o.inbox, data);
    if (r.kind === 'in-flight') {
      this.o.logger.info('an earlier batch is still pending on L1; waiting for it');
      return 0;
    }
    this.lastPostAt = performance.now();
    await this.syncFromL1();
    const last = blocks[blocks.length - 1].header.number;
    if (this.cursor.posted < last) throw l1Garbage(`batch mined but L1 shows block ${this.cursor.posted} as the newest posted, not ${last}`);
    const txs = blocks.reduce((s, b) => s + b.transactions.length, 0);
    const rawTxBytes = blocks.reduce((s, b) => s + b.transactions.reduce((t, x) => t + x.length, 0), 0);
    Object.assign(this.stats, {
      batches: this.stats.batches + 1,
      blocks: this.stats.blocks + blocks.length,
      txs: this.stats.txs + txs,
      rawTxBytes: this.stats.rawTxBytes + rawTxBytes,
      payloadBytes: this.stats.payloadBytes + enc.rawBytes,
      frameBytes: this.stats.frameBytes + enc.frame.length,
    });
    this.o.logger.info(
      { first: Number(blocks[0].header.number), last: Number(last), txs, frameBytes: enc.frame.length, payloadBytes: enc.rawBytes, l1Block: Number(r.receipt.blockNumber) },
      'batch posted',
    );
    return blocks.length;
  }

  private async collect(from: bigint, to: bigint, max: number): Promise<Block[]> {
    const out: Block[] = [];
    for (let n = from; n <= to && out.length < max; n++) {
      const s = await this.o.chain.log.getBlock(n);
      if (s === undefined) break;
      out.push(s.block);
    }
    return out;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.db.close();
  }
}
