// The node's chain: event log + head state + pool. Opening it loads the newest snapshot, replays the
// log tail through applyBlock and reloads the pool journal. Sealing builds a block from the pool
// (an empty one when nothing is executable: the block clock never stops), writes it (with its
// indexes, an optional snapshot and the journal removals) in one fsynced batch, and only then
// publishes it.
import { EventEmitter } from 'node:events';
import { genesisToJson, type Genesis } from '../../genesis/index.ts';
import {
  BlockInvalidError,
  ChainState,
  applyDecodedBlock,
  buildBlock,
  decodeBlockTransaction,
  genesisBlock,
  intrinsicGas,
  nextBaseFee,
  privateKeyToAddress,
  type Address,
  type Block,
  type BlockHeader,
  type Receipt,
  type SignedTx,
} from '../../state-machine/index.ts';
import { bytesToHex, keccak256, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { ConfigError, StoreError, TxPoolError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { nodeMetrics, type NodeMetrics } from '../metrics.ts';
import { EventLog, openDb } from '../store/event-log.ts';
import { createDecoder, decodeFailure, type DecodeResult, type TxDecoder } from '../txpool/decode.ts';
import { Journal } from '../txpool/journal.ts';
import { TxPool, type PoolContext, type PoolLimits } from '../txpool/pool.ts';
import { StateHistory } from './state-history.ts';
import type { L1Feed } from './l1-feed.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { bridgeEnabled } from '../../state-machine/modules/bridge/params.ts';
import { nextDepositNonce } from '../../state-machine/modules/bridge/records.ts';
import { depositToSignedTx, encodeDepositTx } from '../../state-machine/tx/deposit.ts';

export interface ChainOptions {
  genesis: Genesis;
  dataDir: string;
  /** signs sealed blocks; must be the genesis sequencer's key */
  sequencerKey: Bytes | null;
  snapshotInterval: number;
  poolLimits: PoolLimits;
  recoverWorkers: number;
  logger: Logger;
  metrics?: NodeMetrics;
  /** milliseconds since the epoch; block timestamps come from it */
  now?: () => number;
}

/** A tx in one of the recent blocks kept decoded in memory (receipt polling hits this, not LevelDB). */
interface RecentTx {
  tx: SignedTx;
  receipt: Receipt;
  blockNumber: bigint;
  blockHash: Hex;
  index: number;
}

/** Bounds on recoverAhead: txs kept decoded (≈1 KiB each) and decodes in flight. */
const AHEAD_LIMIT = 32_768;
const AHEAD_IN_FLIGHT_LIMIT = 8_192;
/** Bound on the recent-tx cache (≈1 KiB each); whole blocks are evicted oldest first. */
const RECENT_TX_LIMIT = 50_000;
/** Skip reasons after which a tx can never become valid: it leaves the pool. */
/** Queued txs (behind a nonce gap) older than this leave the pool, as in geth. */
const QUEUED_LIFETIME_MS = 3 * 3600_000;
const EVICT_EVERY_MS = 10_000;
const DROP_ON_SKIP = new Set(['NONCE_TOO_LOW', 'INTRINSIC_GAS_TOO_LOW', 'INSUFFICIENT_FUNDS', 'WRONG_CHAIN', 'TIP_ABOVE_FEE_CAP']);

export class Chain {
  readonly events = new EventEmitter();
  readonly pool: TxPool;
  readonly metrics: NodeMetrics;
  readonly genesis: Genesis;
  readonly history: StateHistory;
  private head: ChainState;
  private headHeader: BlockHeader;
  private poolCtx: { header: BlockHeader; state: ChainState; ctx: PoolContext } | null = null;
  /** per decoded block: how many of its txs had their senders recovered ahead (from tx gossip) */
  private readonly aheadHits = new WeakMap<SignedTx[], number>();
  /** txs decoded by recoverAhead, by hash, oldest first; taken out when their block imports */
  private readonly recoveredAhead = new Map<Hex, SignedTx>();
  /** recoverAhead's decodes in flight, by tx hash (an import awaits one instead of decoding again) */
  private readonly aheadPending = new Map<Hex, Promise<DecodeResult>>();
  /** blocks announced by prepareImport: their decoding (sender recovery) in flight */
  private readonly decoding = new WeakMap<Block, Promise<SignedTx[]>>();
  private readonly recentTxs = new Map<Hex, RecentTx>();
  private readonly recentByBlock = new Map<bigint, Hex[]>();
  private sealing: Promise<Block | null> | null = null;
  private l1Feed: L1Feed | null = null;
  private driftWarned = false;
  private closed = false;
  /** newest block with a snapshot record on disk (full bytes or a pointer to earlier ones) */
  lastSnapshot: bigint | null = null;
  /** the newest full snapshot bytes known good (loaded or written by this process) and their root */
  private snapshotBytes: { source: bigint; root: Hex } | null = null;
  private readonly now: () => number;
  private lastEviction = 0;

  private constructor(
    private readonly opts: ChainOptions,
    readonly log: EventLog,
    readonly journal: Journal,
    private readonly decoder: TxDecoder,
    head: ChainState,
    headHeader: BlockHeader,
  ) {
    this.genesis = opts.genesis;
    this.metrics = opts.metrics ?? nodeMetrics();
    this.pool = new TxPool(opts.poolLimits);
    this.head = head;
    this.headHeader = headHeader;
    this.now = opts.now ?? Date.now;
    this.history = new StateHistory(opts.genesis, log, (n) => this.metrics.replayedBlocksTotal.inc(n));
    this.events.setMaxListeners(0);
    journal.onCommit = () => this.metrics.journalCommitsTotal.inc();
    this.metrics.headNumber.track(() => Number(this.headHeader.number));
    this.metrics.txpoolPendingTotal.track(() => this.pool.counts((a) => this.head.getNonce(a)).pending);
    this.metrics.txpoolQueuedTotal.track(() => this.pool.counts((a) => this.head.getNonce(a)).queued);
  }

  /** Opens (or initialises) the data dir: genesis check, snapshot + replay, journal reload. */
  static async open(opts: ChainOptions): Promise<Chain> {
    const g = opts.genesis;
    if (opts.sequencerKey !== null && privateKeyToAddress(opts.sequencerKey) !== g.sequencer) {
      throw new ConfigError('sequencerKey', `key is for ${privateKeyToAddress(opts.sequencerKey)}, genesis sequencer is ${g.sequencer}`);
    }
    const log = await EventLog.open(await openDb(opts.dataDir));
    try {
      const genesisState = ChainState.fromGenesis(g);
      const gBlock = genesisBlock(g, genesisState);
      // The genesis file itself is kept: parameters outside the genesis block (chain id, fee rules)
      // must match too.
      const json = genesisToJson(g);
      const known = log.head();
      if (known === null) {
        await log.putMeta('genesis', json);
        await log.writeBlock({ block: gBlock, senders: [], receipts: [] });
      } else {
        const stored0 = await log.getBlock(0n);
        const storedJson = await log.getMeta<string>('genesis');
        if (stored0?.block.hash !== gBlock.hash || storedJson !== json) {
          throw new ConfigError('genesis', `data dir holds a chain of another genesis (genesis block ${stored0?.block.hash ?? 'none'}, this one ${gBlock.hash})`);
        }
      }
      const head = log.head();
      if (head === null) throw new StoreError('no head after writing genesis');
      const history = new StateHistory(g, log);
      const t0 = performance.now();
      const { state, header, stats } = await history.rebuild(head.number);
      if (state.root() !== header.stateRoot) throw new StoreError(`replayed state root ${state.root()} differs from head ${header.stateRoot}`);
      opts.logger.info(
        { head: head.number, fromSnapshot: stats.fromSnapshot, replayed: stats.replayed, ms: Math.round(performance.now() - t0) },
        'state loaded',
      );
      const chain = new Chain(opts, log, new Journal(log.db), createDecoder(g.chainId, opts.recoverWorkers), state, header);
      chain.metrics.replayedBlocksTotal.inc(stats.replayed);
      chain.lastSnapshot = (await log.snapshotAtOrBelow(head.number))?.number ?? null;
      chain.snapshotBytes = stats.snapshotBytes;
      await chain.reloadJournal();
      return chain;
    } catch (e) {
      await log.close();
      throw e;
    }
  }

  /** Re-pools every journalled tx still valid against the head; drops the rest from the journal. */
  private async reloadJournal(): Promise<void> {
    const entries = await this.journal.all();
    const decoded: SignedTx[] = [];
    const stale: Hex[] = [];
    // one batch through the decode workers: a full journal is tens of thousands of recoveries
    const results = await Promise.all(entries.map((e) => this.decoder.decode(e.raw)));
    results.forEach((r, i) => {
      if (r.ok) decoded.push(r.tx);
      else stale.push(entries[i].hash);
    });
    // nonce order per sender, so each tx finds its predecessor already pooled
    decoded.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0));
    const ctx = this.poolContext();
    let pooled = 0;
    for (const tx of decoded) {
      try {
        this.pool.add(tx, ctx, this.now());
        pooled++;
      } catch (e) {
        if (!(e instanceof TxPoolError)) throw e;
        stale.push(tx.hash);
      }
    }
    this.journal.remove(stale);
    await this.journal.flushed();
    if (entries.length > 0) this.opts.logger.info({ pooled, dropped: stale.length }, 'pool journal reloaded');
  }

  headHeaderNow(): BlockHeader {
    return this.headHeader;
  }

  headState(): ChainState {
    return this.head;
  }

  /** State after block n (the head's without replay). */
  async stateAt(n: bigint): Promise<ChainState> {
    if (n >= this.headHeader.number) return this.head;
    return this.history.at(n);
  }

  nextBaseFee(): bigint {
    return nextBaseFee(this.headHeader, this.genesis.baseFee);
  }

  /** The pool's view of the head, built once per head: every submit reads it. */
  private poolContext(): PoolContext {
    const cached = this.poolCtx;
    if (cached !== null && cached.header === this.headHeader && cached.state === this.head) return cached.ctx;
    const head = this.head;
    const ctx: PoolContext = {
      chainId: this.genesis.chainId,
      blockGasLimit: this.genesis.gasLimit,
      baseFee: this.nextBaseFee(),
      intrinsicGas,
      nonceOf: (a) => head.getNonce(a),
      balanceOf: (a) => head.getBalance(a),
    };
    this.poolCtx = { header: this.headHeader, state: head, ctx };
    return ctx;
  }

  /**
   * Validates and pools a raw tx; resolves with its hash once the tx is durable in the journal.
   * Throws TxPoolError (geth's messages) on refusal.
   */
  async submit(raw: Bytes): Promise<Hex> {
    if (this.closed) throw new TxPoolError('NODE_CLOSED', 'node is shutting down');
    const t0 = performance.now();
    const r = await this.decoder.decode(raw);
    this.metrics.recoverSeconds.observe((performance.now() - t0) / 1000);
    if (!r.ok) {
      this.metrics.txpoolRejectedTotal.inc();
      throw decodeFailure(r);
    }
    const tx = r.tx;
    let dropped: Hex[];
    try {
      const r = this.pool.add(tx, this.poolContext(), this.now());
      dropped = [...(r.replaced ? [r.replaced.hash] : []), ...r.evicted.map((e) => e.hash)];
    } catch (e) {
      this.metrics.txpoolRejectedTotal.inc();
      throw e;
    }
    try {
      await this.journal.append([{ hash: tx.hash, raw: tx.raw }], dropped);
    } catch (e) {
      this.pool.remove(tx.hash);
      this.opts.logger.error({ err: e, tx: tx.hash }, 'journal write failed');
      throw new TxPoolError('TXPOOL_JOURNAL', 'could not persist the transaction');
    }
    this.metrics.txpoolAcceptedTotal.inc();
    this.events.emit('pendingTx', tx.hash, tx);
    return tx.hash;
  }

  /** Where the sequencer takes its L1 origin and deposits from (the L1 watcher); null: none. */
  setL1Feed(feed: L1Feed | null): void {
    this.l1Feed = feed;
  }

  /** The next block's L1 origin and deposits, and whether its timestamp is past the drift bound. */
  private l1Inputs(parent: BlockHeader, timestamp: bigint): { origin?: { number: bigint; hash: Hex }; deposits: SignedTx[]; drifted: boolean } {
    const p = this.genesis.modules.bridge;
    const o = this.l1Feed?.origin() ?? null;
    if (o === null || !bridgeEnabled(p) || o.number < parent.l1OriginNumber) return { deposits: [], drifted: false };
    if (o.number === parent.l1OriginNumber && o.hash !== parent.l1OriginHash) {
      // a confirmed L1 block was reorged out: stay on the parent's origin; the watcher re-scans
      this.opts.logger.error({ l1Block: Number(o.number), had: parent.l1OriginHash, now: o.hash }, 'L1 origin changed hash beyond the confirmation depth');
      return { deposits: [], drifted: false };
    }
    const fromNonce = nextDepositNonce(this.head.store);
    const deposits = this.l1Feed?.deposits(fromNonce, o.number, Number(p.maxDepositsPerBlock)) ?? [];
    const drifted = timestamp > o.timestamp + p.maxSequencerDriftSeconds;
    if (drifted !== this.driftWarned) {
      this.driftWarned = drifted;
      this.opts.logger.warn({ l1Origin: Number(o.number), l1Timestamp: Number(o.timestamp), timestamp: Number(timestamp) }, drifted ? 'L1 origin too old: sealing deposit-only blocks' : 'L1 origin caught up');
    }
    return {
      origin: { number: o.number, hash: o.hash },
      deposits: deposits.map((d) => depositToSignedTx(encodeDepositTx(d), d, this.genesis.chainId, MODULE_ADDRESSES.bridge)),
      drifted,
    };
  }

  /** True when the pool holds a tx that could go into the next block. */
  hasExecutable(): boolean {
    return this.pool.select(this.genesis.gasLimit, this.nextBaseFee(), (a) => this.head.getNonce(a)).length > 0;
  }

  /**
   * Seals the next block from the pool, an empty one when nothing is executable (null only without
   * a sequencer key or once closed). Calls are serialised. After the batch is on disk: head state
   * and pool move on, included txs leave the journal, 'block' fires.
   */
  seal(): Promise<Block | null> {
    const run = (this.sealing ?? Promise.resolve(null)).catch(() => null).then(() => this.sealOnce());
    this.sealing = run;
    return run;
  }

  private async sealOnce(): Promise<Block | null> {
    const key = this.opts.sequencerKey;
    if (key === null || this.closed) return null;
    this.evictExpired();
    // Everything selected below must already be durable in the journal (acknowledged == persisted).
    await this.journal.flushed();
    const t0 = performance.now();
    const parent = this.headHeader;
    const candidates = this.pool.select(this.genesis.gasLimit, this.nextBaseFee(), (a) => this.head.getNonce(a));
    const nowSec = BigInt(Math.floor(this.now() / 1000));
    const timestamp = nowSec > parent.timestamp ? nowSec : parent.timestamp;
    const l1 = this.l1Inputs(parent, timestamp);
    // past the drift bound the sequencer may only include deposits until its L1 view catches up
    const userTxs = l1.drifted ? [] : candidates;
    const built = buildBlock(this.head, parent, [...l1.deposits, ...userTxs], { timestamp, sequencerKey: key, l1Origin: l1.origin });
    const { block, receipts, included, skipped } = built;
    const n = block.header.number;
    const drop = skipped.filter((s) => DROP_ON_SKIP.has(s.code)).map((s) => s.tx.hash);
    await this.commitBlock(block, included, receipts, [...included.map((t) => t.hash), ...drop]);
    for (const h of drop) this.pool.remove(h);

    const seconds = (performance.now() - t0) / 1000;
    this.metrics.blockSealSeconds.observe(seconds);
    this.metrics.blocksSealedTotal.inc();
    this.metrics.blockTxs.observe(included.length);
    this.metrics.txsIncludedTotal.inc(included.length);
    // an idle devnet seals 345,600 empty blocks a day: those are not worth an info line each
    this.opts.logger[included.length + skipped.length > 0 ? 'info' : 'debug'](
      { block: Number(n), txs: included.length, skipped: skipped.length, gasUsed: block.header.gasUsed.toString(), ms: Math.round(seconds * 1000) },
      'sealed block',
    );
    this.events.emit('block', block, receipts);
    return block;
  }

  /**
   * Writes an executed block (the head state is already its post-state) in one fsynced batch with
   * its indexes and an optional snapshot, then moves head, snapshot bookkeeping, pool and the
   * recent-tx cache on. Shared by sealing and importing.
   */
  private async commitBlock(block: Block, txs: SignedTx[], receipts: Receipt[], journalRemovals: Hex[], durable = true): Promise<void> {
    const n = block.header.number;
    const snap = n % BigInt(this.opts.snapshotInterval) === 0n ? this.snapshotFor(block.header.stateRoot) : {};
    const tw = performance.now();
    try {
      await this.log.writeBlock({ block, senders: txs.map((t) => t.from), receipts, ...snap, journalRemovals, durable });
    } catch (e) {
      // The in-memory head already moved; the log did not. Rebuild the head from the log.
      this.opts.logger.error({ err: e, block: n }, 'block write failed; reloading head state from the log');
      const head = this.log.head();
      if (head === null) throw e;
      const { state, header } = await this.history.rebuild(head.number);
      this.head = state;
      this.headHeader = header;
      throw e;
    }
    this.metrics.blockWriteSeconds.observe((performance.now() - tw) / 1000);
    this.headHeader = block.header;
    if (snap.snapshot) this.snapshotBytes = { source: n, root: block.header.stateRoot };
    if (snap.snapshot || snap.snapshotSameAs !== undefined) this.lastSnapshot = n;
    const touched = new Set<Address>(txs.map((t) => t.from));
    const pruned = this.pool.prune(touched, (a) => this.head.getNonce(a));
    const inBlock = new Set(txs.map((t) => t.hash));
    this.journal.remove(pruned.filter((h) => !inBlock.has(h)));
    this.rememberTxs(block, txs, receipts);
  }

  /**
   * Follower: re-executes a received block on the head state with applyDecodedBlock (sequencer
   * signature, parent, every root) and persists it as sealing does. Serialised with sealing and
   * other imports; the senders are recovered from the moment of the call, in the decode workers, so
   * a caller that imports a range recovers block n+1 while block n executes. `durable: false` skips
   * the fsync (a block the follower can fetch again; see BlockWrite.durable).
   * Throws BlockInvalidError (state unchanged) when the block is not the valid next block.
   */
  importBlock(block: Block, opts: { durable?: boolean } = {}): Promise<Receipt[]> {
    const txs = this.decoding.get(block) ?? this.decodeForImport(block);
    this.decoding.delete(block);
    txs.catch(() => undefined); // awaited (and its error thrown) in importOnce
    const run = (this.sealing ?? Promise.resolve(null)).catch(() => null).then(() => this.importOnce(block, txs, opts.durable ?? true));
    this.sealing = run.then(
      () => block,
      () => null,
    );
    return run;
  }

  /**
   * Starts recovering the senders of a block that will be imported soon (range sync calls it as each
   * block arrives, so recovery runs ahead of execution); importBlock picks the result up.
   */
  prepareImport(block: Block): void {
    if (this.decoding.has(block)) return;
    const txs = this.decodeForImport(block);
    txs.catch(() => undefined);
    this.decoding.set(block, txs);
  }

  /**
   * Recovers the senders of pending txs before their block arrives (a follower hears them over tx
   * gossip), so that importing the block finds them decoded by tx hash and skips recovery, as geth's
   * sender cache does. Only this node's own decoder fills the cache, from the raw bytes whose hash
   * is the key; nothing a peer claims is trusted. Bounded in entries and in decodes in flight.
   */
  recoverAhead(raws: readonly Bytes[]): void {
    if (this.closed || this.aheadPending.size + raws.length > AHEAD_IN_FLIGHT_LIMIT) return;
    for (const raw of raws) {
      const hash = bytesToHex(keccak256(raw));
      if (this.recoveredAhead.has(hash) || this.aheadPending.has(hash)) continue;
      const decoding = this.decoder.decode(raw);
      this.aheadPending.set(hash, decoding);
      void decoding.then((r) => {
        this.aheadPending.delete(hash);
        if (!r.ok) return;
        this.recoveredAhead.set(hash, r.tx);
        if (this.recoveredAhead.size > AHEAD_LIMIT) {
          const oldest = this.recoveredAhead.keys().next().value;
          if (oldest !== undefined) this.recoveredAhead.delete(oldest);
        }
      });
    }
  }

  private async decodeForImport(block: Block): Promise<SignedTx[]> {
    if (!Array.isArray(block.transactions)) throw new BlockInvalidError('malformed transaction list');
    const raws: Bytes[] = block.transactions;
    // decoded ahead, or being decoded ahead (then its decode is awaited, not queued a second time)
    const awaited: Hex[] = [];
    const ahead: (SignedTx | Promise<DecodeResult> | undefined)[] = raws.map((raw) => {
      if ((this.recoveredAhead.size === 0 && this.aheadPending.size === 0) || !(raw instanceof Uint8Array)) return undefined;
      const hash = bytesToHex(keccak256(raw));
      const tx = this.recoveredAhead.get(hash);
      if (tx !== undefined) {
        this.recoveredAhead.delete(hash);
        return tx;
      }
      const pending = this.aheadPending.get(hash);
      if (pending !== undefined) awaited.push(hash);
      return pending;
    });
    // What the workers refuse (deposits, which carry no signature; invalid txs) decodes here.
    const decoded = await Promise.all(raws.map((raw, i) => {
      const a = ahead[i];
      return a === undefined ? this.decoder.decode(raw) : a instanceof Promise ? a : null;
    }));
    // recoverAhead filed the awaited ones too; this block has used them
    for (const h of awaited) this.recoveredAhead.delete(h);
    try {
      const txs = raws.map((raw, i) => {
        const known = ahead[i];
        if (known !== undefined && !(known instanceof Promise)) return known;
        const r = decoded[i];
        return r?.ok ? r.tx : decodeBlockTransaction(raw, this.genesis.chainId);
      });
      // counted when the block is imported: a block that arrives twice is decoded twice
      this.aheadHits.set(txs, ahead.filter((t) => t !== undefined).length);
      return txs;
    } catch (e) {
      if (e instanceof VerityError || e instanceof TypeError) throw new BlockInvalidError(`transaction does not decode: ${e.message}`);
      throw e;
    }
  }

  private async importOnce(block: Block, decoding: Promise<SignedTx[]>, durable: boolean): Promise<Receipt[]> {
    if (this.closed) throw new StoreError('chain is closed');
    const txs = await decoding;
    const receipts = applyDecodedBlock(this.head, this.headHeader, block, txs);
    // a pooled copy of an included tx (a node that was sequencer before) leaves the journal too
    await this.commitBlock(block, txs, receipts, txs.filter((t) => this.pool.get(t.hash) !== undefined).map((t) => t.hash), durable);
    const hits = this.aheadHits.get(txs) ?? 0;
    this.metrics.importSendersAheadTotal.inc(hits);
    this.metrics.importSendersAtImportTotal.inc(txs.length - hits);
    this.events.emit('block', block, receipts);
    return receipts;
  }

  /**
   * The snapshot part of a snapshot point's batch: the state's bytes, or, when the state root is that
   * of the newest full snapshot (an idle chain), a pointer to those bytes. Either way a restart finds
   * a snapshot within one interval below the head.
   */
  private snapshotFor(root: Hex): { snapshot?: Bytes; snapshotSameAs?: bigint } {
    if (this.snapshotBytes?.root === root) return { snapshotSameAs: this.snapshotBytes.source };
    return { snapshot: this.head.snapshot() };
  }

  private evictExpired(): void {
    const now = this.now();
    if (now - this.lastEviction < EVICT_EVERY_MS) return;
    this.lastEviction = now;
    const gone = this.pool.evictQueued(now - QUEUED_LIFETIME_MS, (a) => this.head.getNonce(a));
    if (gone.length === 0) return;
    this.journal.remove(gone);
    this.opts.logger.info({ txs: gone.length }, 'expired queued txs');
  }

  private rememberTxs(block: Block, txs: SignedTx[], receipts: Receipt[]): void {
    const n = block.header.number;
    const hashes: Hex[] = [];
    txs.forEach((tx, index) => {
      this.recentTxs.set(tx.hash, { tx, receipt: receipts[index], blockNumber: n, blockHash: block.hash, index });
      hashes.push(tx.hash);
    });
    this.recentByBlock.set(n, hashes);
    while (this.recentTxs.size > RECENT_TX_LIMIT) {
      const oldest = this.recentByBlock.keys().next().value;
      if (oldest === undefined || oldest === n) break;
      for (const h of this.recentByBlock.get(oldest) ?? []) this.recentTxs.delete(h);
      this.recentByBlock.delete(oldest);
    }
  }

  recentTx(hash: Hex): RecentTx | undefined {
    return this.recentTxs.get(hash);
  }

  /** Stops accepting txs, waits for a seal in progress, closes workers and the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sealing?.catch(() => null);
    await this.journal.flushed();
    await this.decoder.close();
    await this.log.close();
  }
}
