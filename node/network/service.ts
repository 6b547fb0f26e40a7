// The node's network service: the libp2p host, block gossip (the sequencer publishes, a follower
// validates each block — shape, chain, signature, parent, re-execution — before gossipsub forwards
// it), status / block-range / snapshot request-response protocols, range sync when behind, peer
// scoring with bans, and bootstrap dialling with backoff.
import './polyfill.ts';
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub';
import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import type { Genesis } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { BlockInvalidError, type Block, type SignedTx } from '../../state-machine/index.ts';
import type { Chain } from '../chain/chain.ts';
import { PeerMessageError } from './errors.ts';
import { networkMetrics, type NetworkMetrics } from './metrics.ts';
import { createHost, type P2pHost } from './p2p.ts';
import { loadOrCreatePeerKey } from './peer-key.ts';
import { readFirst, request, sendFrame } from './reqresp.ts';
import { PeerScores, RateLimiter } from './scores.ts';
import {
  LIMITS,
  asRangeItem,
  asRangeRequest,
  asStatus,
  checkSigned,
  decodeGossipBlock,
  decodeGossipTxs,
  decodeMsgpack,
  encodeGossipBlock,
  encodeGossipTxs,
  frame,
  protocols,
  type Protocols,
  type StatusMessage,
} from './wire.ts';

export interface NetworkOptions {
  /** listen address (default 127.0.0.1) */
  host: string;
  /** TCP port, 0 = any */
  port: number;
  /** multiaddrs (with /p2p/<peer id>) to dial and keep dialling */
  bootstrap: string[];
  /** run as a follower: no sequencer key, import blocks from the network */
  follow: boolean;
  /** start an empty data dir from a peer's state snapshot */
  snapshotSync: boolean;
  /** the sequencer's JSON-RPC URL, where a follower forwards eth_sendRawTransaction */
  sequencerRpc: string | null;
  /** when `port` is taken, listen on any free port instead of failing (the devnet's default port) */
  anyPortIfTaken?: boolean;
}

export const DEFAULT_NETWORK: NetworkOptions = { host: '127.0.0.1', port: 0, bootstrap: [], follow: false, snapshotSync: false, sequencerRpc: null };

type Source = 'gossip' | 'range';
type Outcome = 'imported' | 'known' | 'ahead';

/** A peer's status is trusted this long before it is asked again (and ignored when older). */
const STATUS_TTL_MS = 30_000;
/** how long the sequencer gathers pooled txs into one gossip message */
const TX_GOSSIP_MS = 20;
const STATUS_POLL_MS = 2_000;
const REDIAL_MIN_MS = 500;
/** gossip blocks at most this far ahead of the head are kept (at most PENDING_MAX of them) */
const PENDING_AHEAD = 64n;
const PENDING_MAX = 64;
const REDIAL_MAX_MS = 30_000;

interface PeerHead extends StatusMessage {
  peer: PeerId;
  at: number;
}

export class NetworkService {
  readonly protocols: Protocols;
  private chain: Chain | null = null;
  private sequencer = false;
  private metrics: NetworkMetrics | null = null;
  readonly scores = new PeerScores();
  /** requests served per peer (status, ranges) */
  private readonly serveLimiter = new RateLimiter(20, 40);
  /** snapshots served per peer: they are large */
  private readonly snapshotLimiter = new RateLimiter(0.1, 2);
  /** gossip messages per propagating peer (the chain seals 4 blocks a second) */
  private readonly gossipLimiter = new RateLimiter(50, 200);
  /** tx gossip messages per peer: the sequencer sends ≤ 1 per TX_GOSSIP_MS when busy */
  private readonly txGossipLimiter = new RateLimiter(100, 400);
  readonly peerHeads = new Map<string, PeerHead>();
  /** highest block number seen with a valid sequencer signature */
  private gossipBest = 0n;
  /** signed gossip blocks a little ahead of the head, waiting for the gap to fill */
  private readonly pending = new Map<bigint, { block: Block; peer: PeerId }>();
  /** imports (gossip and range) run one at a time, checks and all */
  private lock: Promise<unknown> = Promise.resolve();
  private syncing: Promise<void> | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  private constructor(
    readonly host: P2pHost,
    private readonly genesis: Genesis,
    readonly opts: NetworkOptions,
    private readonly log: Logger,
  ) {
    this.protocols = protocols(genesis.chainId);
  }

  /** Starts the host and dials the bootstrap peers; blocks are handled once a chain is attached. */
  static async start(opts: NetworkOptions, genesis: Genesis, dataDir: string, logger: Logger): Promise<NetworkService> {
    const privateKey = await loadOrCreatePeerKey(dataDir);
    let svc: NetworkService | null = null;
    const isBanned = (p: PeerId): boolean => svc?.scores.isBanned(p.toString()) ?? false;
    let host: P2pHost;
    try {
      host = await createHost({ privateKey, host: opts.host, port: opts.port, isBanned });
    } catch (e) {
      if (!opts.anyPortIfTaken || opts.port === 0) throw e;
      logger.info({ port: opts.port, err: (e as Error).message }, 'p2p port taken: listening on any free port');
      host = await createHost({ privateKey, host: opts.host, port: 0, isBanned });
    }
    svc = new NetworkService(host, genesis, opts, logger);
    await svc.init();
    return svc;
  }

  private async init(): Promise<void> {
    const p = this.protocols;
    const limits = { maxInboundStreams: 32, maxOutboundStreams: 64 };
    await this.host.handle(p.status, (s, c) => this.serve(s, c, () => this.serveStatus(s)), limits);
    await this.host.handle(p.blocksByRange, (s, c) => this.serve(s, c, () => this.serveRange(s)), limits);
    await this.host.handle(p.snapshot, (s, c) => this.serve(s, c, () => this.serveSnapshot(s, c)), { maxInboundStreams: 4, maxOutboundStreams: 4 });
    this.host.addEventListener('peer:connect', (e) => {
      // identify runs first; ask for the peer's head a moment later
      const t = setTimeout(() => void this.refreshStatus(e.detail), 200);
      this.timers.push(t);
    });
    this.host.addEventListener('peer:disconnect', (e) => {
      this.peerHeads.delete(e.detail.toString());
      this.serveLimiter.forget(e.detail.toString());
    });
    for (const addr of this.opts.bootstrap) void this.keepDialling(multiaddr(addr));
    this.log.info({ peerId: this.host.peerId.toString(), listen: this.multiaddrs() }, 'p2p listening');
  }

  multiaddrs(): string[] {
    return this.host.getMultiaddrs().map((m) => m.toString());
  }

  peerCount(): number {
    return this.host.getPeers().length;
  }

  /** Highest head known: ours, a signed gossiped block's, or a fresh peer status. */
  bestKnown(): bigint {
    let best = this.chain?.headHeaderNow().number ?? 0n;
    if (this.gossipBest > best) best = this.gossipBest;
    const now = Date.now();
    for (const [p, h] of this.peerHeads) if (now - h.at < STATUS_TTL_MS && h.head > best && !this.scores.isBanned(p)) best = h.head;
    return best;
  }

  /** Serves the chain and follows (or, for the sequencer, publishes) its blocks. */
  attach(chain: Chain, opts: { sequencer: boolean }): void {
    this.chain = chain;
    this.sequencer = opts.sequencer;
    const m = networkMetrics(chain.metrics.registry);
    this.metrics = m;
    m.peers.track(() => this.peerCount());
    m.syncDistance.track(() => Number(this.bestKnown() - chain.headHeaderNow().number));
    const pubsub = this.host.services.pubsub;
    const topic = this.protocols.blocksTopic;
    pubsub.topicValidators.set(topic, (peer, msg) => this.validateGossip(peer, msg));
    pubsub.subscribe(topic);
    const txsTopic = this.protocols.txsTopic;
    if (opts.sequencer) {
      this.publishPendingTxs(chain, txsTopic);
    } else {
      pubsub.topicValidators.set(txsTopic, (peer, msg) => this.validateTxGossip(peer, msg));
      pubsub.subscribe(txsTopic);
    }
    if (opts.sequencer) {
      chain.events.on('block', (block: Block) => {
        if (this.stopped) return;
        const data = encodeGossipBlock(this.genesis.chainId, block);
        if (data.length > LIMITS.gossipBytes) {
          this.log.info({ block: Number(block.header.number), bytes: data.length }, 'block too large to gossip: followers range-sync it');
          return;
        }
        pubsub.publish(topic, data).catch((e: unknown) => this.log.warn({ err: e, block: Number(block.header.number) }, 'block publish failed'));
      });
    } else {
      const t = setInterval(() => void this.pollStatus(), STATUS_POLL_MS);
      this.timers.push(t);
      void this.pollStatus();
    }
  }

  /**
   * Sequencer: gossips the txs it pools, gathered for TX_GOSSIP_MS (one message per ≤ 1,024 txs
   * and ≤ 1 MiB), so followers recover their senders before the block that holds them arrives.
   * Nothing is sent while no peer listens.
   */
  private publishPendingTxs(chain: Chain, topic: string): void {
    const pubsub = this.host.services.pubsub;
    let queue: Uint8Array[] = [];
    let bytes = 0;
    let timer: NodeJS.Timeout | null = null;
    const flush = (): void => {
      timer = null;
      const txs = queue;
      queue = [];
      bytes = 0;
      if (this.stopped || txs.length === 0 || pubsub.getSubscribers(topic).length === 0) return;
      for (let i = 0; i < txs.length; ) {
        let size = 0;
        let j = i;
        while (j < txs.length && j - i < LIMITS.gossipTxs && size + txs[j].length + 16 <= LIMITS.gossipTxBytes - 64) size += txs[j++].length + 16;
        pubsub.publish(topic, encodeGossipTxs(this.genesis.chainId, txs.slice(i, j))).catch((e: unknown) => this.log.debug({ err: e }, 'tx gossip publish failed'));
        i = j;
      }
    };
    chain.events.on('pendingTx', (_hash: Hex, tx: SignedTx) => {
      if (this.stopped) return;
      queue.push(tx.raw);
      bytes += tx.raw.length;
      if (queue.length >= LIMITS.gossipTxs || bytes >= LIMITS.gossipTxBytes / 2) flush();
      else if (timer === null) timer = setTimeout(flush, TX_GOSSIP_MS);
    });
  }

  /** Follower: a peer's pending txs go to the chain's ahead-of-block sender recovery, then on to other peers. */
  private async validateTxGossip(peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    const chain = this.chain;
    if (chain === null || this.sequencer) return TopicValidatorResult.Ignore;
    const id = peer.toString();
    if (this.scores.isBanned(id)) return TopicValidatorResult.Reject;
    try {
      if (!this.txGossipLimiter.take(id)) throw new PeerMessageError('flood', 'tx gossip rate above the limit');
      chain.recoverAhead(decodeGossipTxs(msg.data, this.genesis.chainId));
      return TopicValidatorResult.Accept;
    } catch (e) {
      return this.refusal(peer, e, 'tx gossip validation failed');
    }
  }

  /** A gossip message that failed validation: the peer is scored for its offence (a flood is only ignored). */
  private refusal(peer: PeerId, e: unknown, what: string): TopicValidatorResult {
    if (e instanceof PeerMessageError) {
      this.offend(peer, e);
      return e.offence === 'flood' ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject;
    }
    this.log.error({ err: e, peer: peer.toString() }, what);
    return TopicValidatorResult.Ignore;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await this.host.stop();
    await this.syncing?.catch(() => undefined);
    await this.lock.catch(() => undefined);
  }

  // ---- scoring ----

  /** Records a refused message: metric, log, score; bans and drops the peer past the threshold. */
  offend(peer: PeerId, e: PeerMessageError): void {
    const id = peer.toString();
    this.metrics?.refused.inc({ offence: e.offence });
    this.log.warn({ peer: id, offence: e.offence, reason: e.message.slice(0, 200) }, 'refused peer message');
    if (!this.scores.penalise(id, e.offence)) return;
    this.metrics?.bans.inc();
    this.peerHeads.delete(id);
    this.log.warn({ peer: id, score: this.scores.score(id) }, 'peer banned');
    this.host.hangUp(peer).catch(() => undefined);
  }

  // ---- importing ----

  private locked<T>(f: () => Promise<T>): Promise<T> {
    const run = this.lock.then(f, f);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Checks and imports a block a peer sent. Known blocks are 'known', blocks beyond head + 1 are
   * 'ahead' (not buffered: range sync fetches them). Throws PeerMessageError for a bad block.
   */
  private importFromPeer(block: Block, source: Source, peer?: PeerId, durable = true): Promise<Outcome> {
    return this.locked(async () => {
      const outcome = await this.checkAndImport(block, source, peer, durable);
      if (outcome === 'imported') await this.drainPending();
      return outcome;
    });
  }

  /** Imports buffered gossip blocks that now follow the head (each was signature-checked on arrival). */
  private async drainPending(): Promise<void> {
    const chain = this.chain;
    if (chain === null) return;
    for (;;) {
      const head = chain.headHeaderNow().number;
      for (const n of this.pending.keys()) if (n <= head) this.pending.delete(n);
      const next = this.pending.get(head + 1n);
      if (next === undefined || this.stopped) return;
      this.pending.delete(head + 1n);
      try {
        await this.checkAndImport(next.block, 'gossip', next.peer);
      } catch (e) {
        if (!(e instanceof PeerMessageError)) throw e;
        this.offend(next.peer, e);
        return;
      }
    }
  }

  private async checkAndImport(block: Block, source: Source, peer?: PeerId, durable = true): Promise<Outcome> {
    {
      const chain = this.chain;
      if (chain === null || this.stopped) return 'known';
      const head = chain.headHeaderNow().number;
      const n = block.header.number;
      if (n <= head) {
        const ours = await chain.log.getBlock(n);
        if (ours?.block.hash === block.hash) return 'known';
        checkSigned(block, this.genesis.sequencer);
        throw new PeerMessageError('conflict', `a second signed block at height ${n}`);
      }
      if (source === 'gossip' && n > this.bestKnown() + LIMITS.aheadWindow) throw new PeerMessageError('far-future', `block ${n} is far beyond the best known head`);
      checkSigned(block, this.genesis.sequencer);
      if (n > this.gossipBest) this.gossipBest = n;
      if (peer !== undefined) {
        // the peer that relayed a signed block has it: range sync may ask it
        const known = this.peerHeads.get(peer.toString());
        if (known === undefined || known.head < n) this.peerHeads.set(peer.toString(), { head: n, hash: block.hash, snapshot: known?.snapshot ?? null, peer, at: Date.now() });
      }
      if (this.sequencer) return 'ahead';
      if (n > head + 1n) {
        // a few blocks ahead wait here for the gap to fill; never more than PENDING_MAX
        if (peer !== undefined && n <= head + PENDING_AHEAD && this.pending.size < PENDING_MAX) this.pending.set(n, { block, peer });
        return 'ahead';
      }
      const t0 = performance.now();
      try {
        await chain.importBlock(block, { durable });
      } catch (e) {
        if (e instanceof BlockInvalidError) throw new PeerMessageError('invalid-block', e.message);
        throw e;
      }
      this.metrics?.importSeconds.observe({ source }, (performance.now() - t0) / 1000);
      this.metrics?.imported.inc({ source });
      this.metrics?.txsImported.inc({ source }, block.transactions.length);
      return 'imported';
    }
  }

  private async validateGossip(peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    if (this.chain === null) return TopicValidatorResult.Ignore;
    const id = peer.toString();
    if (this.scores.isBanned(id)) return TopicValidatorResult.Reject;
    try {
      if (!this.gossipLimiter.take(id)) throw new PeerMessageError('flood', 'gossip rate above the limit');
      const block = decodeGossipBlock(msg.data, this.genesis.chainId);
      const outcome = await this.importFromPeer(block, 'gossip', peer);
      if (outcome === 'ahead' && !this.sequencer) this.kickSync();
      // a block we checked and imported goes on; anything else stops here
      return outcome === 'imported' ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore;
    } catch (e) {
      return this.refusal(peer, e, 'gossip validation failed');
    }
  }

  // ---- range sync ----

  /** Asks every connected peer for its head (and snapshot). */
  async refreshStatuses(): Promise<void> {
    await Promise.all(this.host.getPeers().map((p) => this.refreshStatus(p)));
  }

  private async refreshStatus(peer: PeerId): Promise<void> {
    if (this.stopped) return;
    try {
      for await (const v of request(this.host, peer, this.protocols.status, {}, LIMITS.requestBytes, 5_000)) {
        const s = asStatus(decodeMsgpack(v));
        this.peerHeads.set(peer.toString(), { ...s, peer, at: Date.now() });
        break;
      }
    } catch (e) {
      if (e instanceof PeerMessageError && e.offence !== 'timeout') this.offend(peer, e);
      else this.log.debug({ peer: peer.toString(), err: e }, 'status request failed');
    }
  }

  private async pollStatus(): Promise<void> {
    if (this.stopped) return;
    await this.refreshStatuses();
    this.kickSync();
  }

  /** Starts range sync unless it runs already or nothing is ahead. */
  kickSync(): void {
    if (this.syncing || this.stopped || this.chain === null || this.sequencer) return;
    this.syncing = this.syncLoop()
      .catch((e: unknown) => this.log.error({ err: e }, 'range sync failed'))
      .finally(() => {
        this.syncing = null;
      });
  }

  private async syncLoop(): Promise<void> {
    const chain = this.chain;
    if (chain === null) return;
    while (!this.stopped) {
      const head = chain.headHeaderNow().number;
      const now = Date.now();
      const ahead = [...this.peerHeads.values()]
        .filter((h) => h.head > head && now - h.at < STATUS_TTL_MS && !this.scores.isBanned(h.peer.toString()))
        .sort((a, b) => (a.head > b.head ? -1 : a.head < b.head ? 1 : 0));
      if (ahead.length === 0) return;
      const target = ahead[0];
      const gap = target.head - head;
      const count = gap > BigInt(LIMITS.rangeBlocks) ? LIMITS.rangeBlocks : Number(gap);
      const t0 = performance.now();
      let imported = 0;
      try {
        imported = await this.fetchRange(target.peer, head + 1n, count);
      } catch (e) {
        this.peerHeads.delete(target.peer.toString());
        if (e instanceof PeerMessageError) this.offend(target.peer, e);
        else this.log.debug({ err: e, peer: target.peer.toString() }, 'range request failed');
        continue;
      }
      if (imported === 0 && chain.headHeaderNow().number === head) {
        // it claimed a head it does not serve: ask it again later
        this.peerHeads.delete(target.peer.toString());
        continue;
      }
      this.log.info({ from: Number(head + 1n), blocks: imported, target: Number(target.head), ms: Math.round(performance.now() - t0) }, 'range synced');
    }
  }

  /**
   * Asks `peer` for `count` blocks from `from` and imports them in order; returns how many were new.
   * Pipelined: each block's senders are recovered (decode workers) as it arrives, while the blocks
   * before it execute; only the last block of a full response is fsynced (the others survive a
   * process kill in the OS cache, and a power loss only costs a re-fetch).
   */
  private async fetchRange(peer: PeerId, from: bigint, count: number): Promise<number> {
    let i = 0;
    let bytes = 0;
    let imported = 0;
    let importing: Promise<void> = Promise.resolve();
    let failed: { error: unknown } | null = null;
    try {
      for await (const f of request(this.host, peer, this.protocols.blocksByRange, { from, count, receipts: false }, LIMITS.frameBytes, LIMITS.requestTimeoutMs)) {
        bytes += f.length;
        if (i >= count || bytes > LIMITS.rangeBytes) throw new PeerMessageError('oversize', 'range response beyond the request');
        const { block } = asRangeItem(decodeMsgpack(f), false);
        if (block.header.number !== from + BigInt(i)) throw new PeerMessageError('malformed', `range response: block ${block.header.number} where ${from + BigInt(i)} was due`);
        i++;
        if (failed !== null) break;
        this.chain?.prepareImport(block);
        const durable = i === count;
        importing = importing.then(async () => {
          if (failed !== null) return;
          try {
            if ((await this.importFromPeer(block, 'range', peer, durable)) === 'imported') imported++;
          } catch (e) {
            failed = { error: e };
          }
        });
      }
    } finally {
      await importing;
    }
    if (failed !== null) throw (failed as { error: unknown }).error;
    return imported;
  }

  // ---- serving ----

  private async serve(stream: Stream, conn: Connection, handler: () => Promise<void>): Promise<void> {
    const peer = conn.remotePeer;
    try {
      if (this.chain === null) throw new Error('not serving yet');
      if (!this.serveLimiter.take(peer.toString())) throw new PeerMessageError('flood', 'request rate above the limit');
      await handler();
    } catch (e) {
      if (e instanceof PeerMessageError) this.offend(peer, e);
      else this.log.debug({ err: e, peer: peer.toString(), protocol: stream.protocol }, 'request not served');
      stream.abort(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private async serveStatus(stream: Stream): Promise<void> {
    const chain = this.chain as Chain;
    await readFirst(stream, LIMITS.requestBytes);
    const head = chain.log.head();
    const msg: StatusMessage = { head: head?.number ?? 0n, hash: head?.hash ?? '0x', snapshot: chain.lastSnapshot };
    await sendFrame(stream, msg);
    await stream.close();
  }

  private async serveRange(stream: Stream): Promise<void> {
    const chain = this.chain as Chain;
    const req = asRangeRequest(await readFirst(stream, LIMITS.requestBytes));
    const head = chain.log.head()?.number ?? 0n;
    const last = req.from + BigInt(req.count) - 1n;
    const to = last < head ? last : head;
    let bytes = 0;
    if (req.count > 0 && req.from <= to) {
      for await (const stored of chain.log.blockRange(req.from, to)) {
        const item = req.receipts ? { block: stored.block, receipts: (await chain.log.getReceipts(stored.block.header.number)) ?? [] } : { block: stored.block };
        const f = frame(item);
        bytes += f.length;
        if (bytes > LIMITS.rangeBytes && bytes !== f.length) break;
        if (!stream.send(f)) await stream.onDrain();
      }
    }
    await stream.close();
  }

  private async serveSnapshot(stream: Stream, conn: Connection): Promise<void> {
    const chain = this.chain as Chain;
    await readFirst(stream, LIMITS.requestBytes);
    if (!this.snapshotLimiter.take(conn.remotePeer.toString())) throw new PeerMessageError('flood', 'snapshot requests above the limit');
    const at = chain.lastSnapshot;
    const rec = at === null ? undefined : await chain.log.snapshotAtOrBelow(at);
    const stored = rec ? await chain.log.getBlock(rec.number) : undefined;
    if (!rec || rec.data === null || !stored) throw new Error('no snapshot to serve');
    await sendFrame(stream, { block: stored.block, size: rec.data.length });
    for (let o = 0; o < rec.data.length; o += LIMITS.snapshotChunk) await sendFrame(stream, rec.data.subarray(o, o + LIMITS.snapshotChunk));
    await stream.close();
  }

  // ---- bootstrap ----

  /** Keeps a connection to a bootstrap peer: dials, and redials with backoff whenever it drops. */
  private async keepDialling(addr: Multiaddr): Promise<void> {
    const id = addr.getComponents().find((c) => c.name === 'p2p')?.value;
    const peer = id === undefined ? null : peerIdFromString(id);
    let backoff = REDIAL_MIN_MS;
    while (!this.stopped) {
      const connected = peer !== null && this.host.getConnections(peer).length > 0;
      if (!connected) {
        try {
          await this.host.dial(addr, { signal: AbortSignal.timeout(5_000) });
          backoff = REDIAL_MIN_MS;
          this.log.info({ addr: addr.toString() }, 'connected to bootstrap peer');
        } catch (e) {
          this.log.debug({ addr: addr.toString(), err: (e as Error).message, retryMs: backoff }, 'bootstrap dial failed');
          backoff = Math.min(REDIAL_MAX_MS, backoff * 2);
        }
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, connected ? 1_000 : backoff);
        this.timers.push(t);
        if (this.timers.length > 64) this.timers.splice(0, 32);
      });
    }
  }
}
