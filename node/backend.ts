// The node side of the RPC seam (rpc/backend.ts): reads come from the event log and the in-memory
// head, older states are rebuilt from snapshots + log, writes go through the pool.
import type { EventEmitter } from 'node:events';
import type {
  BlockTag,
  FeeHistory,
  LocatedLog,
  LogFilter,
  RpcBackend,
  StateProofJson,
  SyncStatus,
  TxLocation,
} from '../rpc/backend.ts';
import { logMatches } from '../rpc/feed.ts';
import {
  blockEnvFromHeader,
  decodeBlockTransaction,
  nextBlockEnv,
  type Address,
  type Block,
  type BlockHeader,
  type CallMsg,
  type CallResult,
  type ChainState,
  type Log,
  type Receipt,
  type SignedTx,
} from '../state-machine/index.ts';
import { bytesToHex, type Bytes, type Hex } from '../state-machine/crypto/hash.ts';
import type { BlockEnv } from '../state-machine/modules/framework.ts';
import type { Chain } from './chain/chain.ts';
import { QueryError } from './errors.ts';

/** Suggested tip: fees all go to the fee vault, so the tip only orders txs; 1 gwei like geth's default. */
const DEFAULT_TIP = 1_000_000_000n;
/** eth_getLogs never returns more than this (the RPC server may cap lower). */
const MAX_LOGS = 10_000;
/** How many of the newest blocks the in-memory log index covers (what log pollers ask for). */
const TIP_LOG_BLOCKS = 256n;
/** eth_call results kept per head block, and the largest calldata / return data kept. */
const CALL_CACHE_ENTRIES = 1024;
const CALL_CACHE_MAX_BYTES = 4096;

/** A block with logs near the tip: which addresses and topics its logs carry (lower case). */
interface TipLogBlock {
  n: bigint;
  addresses: Set<string>;
  topics: Set<string>;
}

function lower(a: string): Hex {
  return a.toLowerCase() as Hex;
}

export class NodeBackend implements RpcBackend {
  readonly chainId: bigint;
  readonly clientVersion = `verity/v0.1.0/node-${process.version}`;
  readonly events: EventEmitter;

  /** blocks with logs among the newest TIP_LOG_BLOCKS, ascending; covers every block from tipFrom to tipTo */
  private readonly tipLogs: TipLogBlock[] = [];
  private tipFrom: bigint | null = null;
  private tipTo: bigint | null = null;
  /** eth_call results at the head header they were computed under (a view polled every block runs once per block) */
  private readonly callCache = new Map<string, CallResult>();
  private callCacheHead: BlockHeader | null = null;

  constructor(private readonly chain: Chain) {
    this.chainId = chain.genesis.chainId;
    this.events = chain.events;
    chain.events.on('block', (block: Block, receipts: Receipt[]) => this.indexTipLogs(block.header.number, receipts));
  }

  /** Keeps which of the newest blocks have logs, so eth_getLogs over the tip needs no LevelDB index scan. */
  private indexTipLogs(n: bigint, receipts: Receipt[]): void {
    if (this.tipTo === null || n !== this.tipTo + 1n) {
      // first block seen, or a gap: start over from this block
      this.tipLogs.length = 0;
      this.tipFrom = n;
    }
    this.tipTo = n;
    const addresses = new Set<string>();
    const topics = new Set<string>();
    for (const r of receipts) {
      for (const l of r.logs) {
        addresses.add(l.address.toLowerCase());
        for (const t of l.topics) topics.add(t.toLowerCase());
      }
    }
    if (addresses.size > 0) this.tipLogs.push({ n, addresses, topics });
    const floor = n - TIP_LOG_BLOCKS + 1n;
    if (this.tipFrom !== null && this.tipFrom < floor) {
      this.tipFrom = floor;
      let drop = 0;
      while (drop < this.tipLogs.length && this.tipLogs[drop].n < floor) drop++;
      if (drop > 0) this.tipLogs.splice(0, drop);
    }
  }

  /** Blocks in [from, to] whose logs may match, from the tip index; undefined when the range is not all covered. */
  private tipCandidates(from: bigint, to: bigint, addresses: Set<Hex>, topics: (Set<Hex> | null)[]): bigint[] | undefined {
    if (this.tipFrom === null || this.tipTo === null || from < this.tipFrom || to > this.tipTo) return undefined;
    const out: bigint[] = [];
    for (const b of this.tipLogs) {
      if (b.n < from || b.n > to) continue;
      if (addresses.size > 0 && ![...addresses].some((a) => b.addresses.has(a))) continue;
      if (!topics.every((t) => t === null || t.size === 0 || [...t].some((x) => b.topics.has(x)))) continue;
      out.push(b.n);
    }
    return out;
  }

  headNumber(): bigint {
    return this.chain.headHeaderNow().number;
  }

  private tagNumber(tag: BlockTag): bigint {
    if (typeof tag === 'bigint') return tag;
    return tag === 'earliest' ? 0n : this.headNumber();
  }

  async getBlock(tag: BlockTag | Hex): Promise<Block | undefined> {
    let n: bigint | undefined;
    if (typeof tag === 'string' && tag.startsWith('0x')) n = await this.chain.log.getBlockNumber(tag as Hex);
    else n = this.tagNumber(tag as BlockTag);
    if (n === undefined) return undefined;
    return (await this.chain.log.getBlock(n))?.block;
  }

  getReceipts(blockNumber: bigint): Promise<Receipt[] | undefined> {
    return this.chain.log.getReceipts(blockNumber);
  }

  /** A mined tx from the recent in-memory index. */
  private recentMined(h: Hex): { tx: SignedTx; receipt: Receipt; location: TxLocation } | undefined {
    const recent = this.chain.recentTx(h);
    return recent && { tx: recent.tx, receipt: recent.receipt, location: { blockNumber: recent.blockNumber, blockHash: recent.blockHash, index: recent.index } };
  }

  /**
   * A mined tx by hash: from the recent in-memory index, else from the log (decoded with its stored
   * sender). A pooled tx is not mined: receipt polling for pending txs never reaches LevelDB.
   */
  private async mined(hash: Hex): Promise<{ tx: SignedTx; receipt: Receipt; location: TxLocation } | undefined> {
    const h = lower(hash);
    const recent = this.recentMined(h);
    if (recent) return recent;
    if (this.chain.pool.get(h) !== undefined) return undefined;
    const ptr = await this.chain.log.getTxPointer(h);
    if (!ptr) return undefined;
    // the block may have been committed while the pointer was read: its txs are in memory by now
    const late = this.recentMined(h);
    if (late) return late;
    const stored = await this.chain.log.getBlock(ptr.blockNumber);
    const receipts = await this.chain.log.getReceipts(ptr.blockNumber);
    if (!stored || !receipts) return undefined;
    const tx = decodeBlockTransaction(stored.block.transactions[ptr.index], this.chainId, stored.senders[ptr.index]);
    return { tx, receipt: receipts[ptr.index], location: { blockNumber: ptr.blockNumber, blockHash: stored.block.hash, index: ptr.index } };
  }

  async getTransaction(hash: Hex): Promise<{ tx: SignedTx; location: TxLocation | null } | undefined> {
    const pooled = this.chain.pool.get(lower(hash));
    if (pooled) return { tx: pooled, location: null };
    const m = await this.mined(hash);
    return m ? { tx: m.tx, location: m.location } : undefined;
  }

  getReceipt(hash: Hex): Promise<{ receipt: Receipt; tx: SignedTx; location: TxLocation } | undefined> {
    return this.mined(hash);
  }

  async getLogs(filter: LogFilter): Promise<LocatedLog[]> {
    const head = this.headNumber();
    const from = filter.fromBlock;
    const to = filter.toBlock > head ? head : filter.toBlock;
    const addresses = new Set(filter.addresses.map(lower));
    const topics = filter.topics.map((t) => (t === null ? null : new Set(t.map(lower))));
    // Candidate blocks from the cheapest index that applies; every log is still matched exactly.
    let blocks: bigint[];
    const tip = this.tipCandidates(from, to, addresses, topics);
    if (tip !== undefined) {
      blocks = tip;
    } else if (addresses.size > 0) {
      const found = new Set<bigint>();
      for (const a of addresses) for (const n of await this.chain.log.blocksWithLogs(from, to, { address: a })) found.add(n);
      blocks = [...found].sort((x, y) => (x < y ? -1 : 1));
    } else {
      const first = topics.find((t) => t !== null && t.size > 0);
      if (first) {
        const found = new Set<bigint>();
        for (const t of first) for (const n of await this.chain.log.blocksWithLogs(from, to, { topic: t })) found.add(n);
        blocks = [...found].sort((x, y) => (x < y ? -1 : 1));
      } else {
        blocks = await this.chain.log.blocksWithLogs(from, to);
      }
    }
    const wantAddresses = [...addresses];
    const wantTopics = topics.map((t) => (t === null ? null : [...t]));
    const matches = (l: Log): boolean => logMatches(l, wantAddresses, wantTopics);
    const out: LocatedLog[] = [];
    for (const n of blocks) {
      const stored = await this.chain.log.getBlock(n);
      const receipts = await this.chain.log.getReceipts(n);
      if (!stored || !receipts) continue;
      if (filter.blockHash !== undefined && lower(stored.block.hash) !== lower(filter.blockHash)) continue;
      let logIndex = 0;
      receipts.forEach((r, txIndex) => {
        for (const l of r.logs) {
          if (matches(l)) {
            out.push({ ...l, blockNumber: n, blockHash: stored.block.hash, transactionHash: r.txHash, transactionIndex: txIndex, logIndex });
          }
          logIndex++;
        }
      });
      if (out.length > MAX_LOGS) throw new QueryError('QUERY_LIMIT', `query returned more than ${MAX_LOGS} results`);
    }
    return out;
  }

  private state(tag: BlockTag): Promise<ChainState> {
    return this.chain.stateAt(this.tagNumber(tag));
  }

  /** The block a call at `tag` runs in: the next block for 'pending', else the block itself. */
  private async env(tag: BlockTag): Promise<BlockEnv> {
    const head = this.chain.headHeaderNow();
    if (tag === 'pending') return nextBlockEnv(head, this.chain.genesis, BigInt(Math.floor(Date.now() / 1000)));
    const n = this.tagNumber(tag);
    if (n === head.number) return blockEnvFromHeader(head);
    const stored = await this.chain.log.getBlock(n);
    if (!stored) throw new QueryError('UNKNOWN_BLOCK', 'header not found');
    return blockEnvFromHeader(stored.block.header);
  }

  async getBalance(address: Address, tag: BlockTag): Promise<bigint> {
    return (await this.state(tag)).getBalance(address);
  }

  async getNonce(address: Address, tag: BlockTag): Promise<bigint> {
    const n = (await this.state(tag)).getNonce(address);
    return tag === 'pending' ? this.chain.pool.pendingNonce(lower(address), n) : n;
  }

  async getCode(address: Address, tag: BlockTag): Promise<Hex> {
    return (await this.state(tag)).getCode(address);
  }

  async call(msg: CallMsg, tag: BlockTag): Promise<CallResult> {
    const env = await this.env(tag);
    const state = await this.state(tag);
    // at the head (not 'pending', whose env has the clock's timestamp) a call's result depends only
    // on the message and the head block: repeated views are answered once per block
    const head = this.chain.headHeaderNow();
    if (tag === 'pending' || env.number !== head.number || state !== this.chain.headState()) return state.call(msg, env);
    const data = msg.data ?? new Uint8Array(0);
    if (data.length > CALL_CACHE_MAX_BYTES) return state.call(msg, env);
    if (this.callCacheHead !== head) {
      this.callCache.clear();
      this.callCacheHead = head;
    }
    const key = `${msg.from ?? ''}|${msg.to ?? ''}|${msg.value ?? ''}|${msg.gas ?? ''}|${bytesToHex(data)}`.toLowerCase();
    const hit = this.callCache.get(key);
    if (hit) return hit;
    const result = state.call(msg, env);
    if (result.returnData.length <= CALL_CACHE_MAX_BYTES && this.callCache.size < CALL_CACHE_ENTRIES) this.callCache.set(key, result);
    return result;
  }

  async estimateGas(msg: CallMsg, tag: BlockTag): Promise<bigint> {
    const env = await this.env(tag);
    return (await this.state(tag)).estimateGas(msg, env);
  }

  async getProof(key: Bytes, tag: BlockTag): Promise<StateProofJson> {
    const n = this.tagNumber(tag);
    const state = await this.state(tag);
    const value = state.store.get(key);
    return { key: bytesToHex(key), value: value === undefined ? null : bytesToHex(value), stateRoot: state.root(), blockNumber: n, proof: state.prove(key) };
  }

  sendRawTransaction(raw: Bytes): Promise<Hex> {
    return this.chain.submit(raw);
  }

  pendingTransactions(): SignedTx[] {
    return this.chain.pool.all();
  }

  gasPrice(): bigint {
    return this.chain.nextBaseFee() + DEFAULT_TIP;
  }

  maxPriorityFeePerGas(): bigint {
    return DEFAULT_TIP;
  }

  async feeHistory(blockCount: number, newest: BlockTag, percentiles: number[]): Promise<FeeHistory> {
    const last = this.tagNumber(newest);
    const count = BigInt(Math.max(0, Math.min(blockCount, Number(last) + 1)));
    const oldest = last - count + 1n;
    const baseFeePerGas: bigint[] = [];
    const gasUsedRatio: number[] = [];
    const reward: bigint[][] = [];
    for (let n = oldest; n <= last; n++) {
      const stored = await this.chain.log.getBlock(n);
      if (!stored) throw new QueryError('UNKNOWN_BLOCK', 'header not found');
      const h = stored.block.header;
      baseFeePerGas.push(h.baseFee);
      gasUsedRatio.push(h.gasLimit === 0n ? 0 : Number(h.gasUsed) / Number(h.gasLimit));
      if (percentiles.length > 0) reward.push(await this.rewards(n, h.baseFee, h.gasUsed, percentiles));
    }
    // and the base fee of the block after the newest, as eth_feeHistory defines
    const lastHeader = (await this.chain.log.getBlock(last))?.block.header;
    if (lastHeader) baseFeePerGas.push(nextBlockEnv(lastHeader, this.chain.genesis, lastHeader.timestamp).baseFee);
    const out: FeeHistory = { oldestBlock: oldest, baseFeePerGas, gasUsedRatio };
    if (percentiles.length > 0) out.reward = reward;
    return out;
  }

  /** Tips at the given gas-weighted percentiles of one block (geth's eth_feeHistory rule). */
  private async rewards(n: bigint, baseFee: bigint, gasUsed: bigint, percentiles: number[]): Promise<bigint[]> {
    const receipts = (await this.chain.log.getReceipts(n)) ?? [];
    if (receipts.length === 0 || gasUsed === 0n) return percentiles.map(() => 0n);
    const tips = receipts.map((r) => ({ tip: r.effectiveGasPrice - baseFee, gas: r.gasUsed })).sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
    const out: bigint[] = [];
    let i = 0;
    let sum = tips[0].gas;
    for (const p of percentiles) {
      const threshold = (Number(gasUsed) * p) / 100;
      while (Number(sum) < threshold && i < tips.length - 1) {
        i++;
        sum += tips[i].gas;
      }
      out.push(tips[i].tip);
    }
    return out;
  }

  /** The node holds no user keys. */
  accounts(): Address[] {
    return [];
  }

  syncStatus(): SyncStatus {
    const head = this.chain.headHeaderNow();
    return {
      role: 'sequencer',
      headNumber: head.number,
      headHash: this.chain.log.head()?.hash ?? '0x',
      targetNumber: head.number,
      pendingTxs: this.chain.pool.size,
      snapshotNumber: this.chain.lastSnapshot,
    };
  }

  metricsText(): Promise<string> {
    return this.chain.metrics.registry.render();
  }
}
