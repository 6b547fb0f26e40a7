// The L1 client: any Ethereum JSON-RPC (geth, anvil, the embedded L1, a provider) through a viem public
// client, with a timeout per request, retry with exponential backoff on transport failures and on
// answers that are not what the method promises, validation of every answer it returns (garbage is a
// typed error, never a crash or a NaN), chunked eth_getLogs, and L1HeadTracker: reorg detection by
// block hash. See docs/l1.md.
import { BaseError, createPublicClient, http, type PublicClient } from 'viem';
import type { Logger } from '../../infra/logger.ts';
import { L1BadResponseError, L1ReorgTooDeepError, L1RetriesExhaustedError, L1RpcError, L1TransportError } from './errors.ts';

export type Hex = `0x${string}`;

export interface L1Block {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

export interface L1Log {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: bigint;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: number;
  logIndex: number;
  removed: boolean;
}

export type BlockTag = 'latest' | 'safe' | 'finalized' | 'earliest' | 'pending';

export interface LogQuery {
  address?: Hex | Hex[];
  /** per position: a topic, any of several, or null for any */
  topics?: (Hex | Hex[] | null)[];
  fromBlock: bigint;
  toBlock: bigint;
  /** blocks per eth_getLogs request (default 2000); halved when the server says the range is too large */
  chunkSize?: number;
}

export interface L1ClientOptions {
  url: string;
  /** per request, ms (default 10 s) */
  timeoutMs?: number;
  /** retries after the first attempt (default 5) */
  retries?: number;
  /** first backoff, ms (default 250); doubles per retry up to maxBackoffMs (default 5 s), with jitter */
  backoffMs?: number;
  maxBackoffMs?: number;
  logger?: Logger;
}

// ---- answer validation -------------------------------------------------------------------------

const HEX_QUANTITY = /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/;
const HEX_LOOSE_QUANTITY = /^0x[0-9a-fA-F]{1,64}$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function qty(method: string, v: unknown, field: string): bigint {
  // some servers send leading zeros; accept them, refuse anything else
  if (typeof v !== 'string' || !(HEX_QUANTITY.test(v) || HEX_LOOSE_QUANTITY.test(v))) {
    throw new L1BadResponseError(method, `${field}: want a hex quantity, got ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return BigInt(v);
}

function hash(method: string, v: unknown, field: string): Hex {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw new L1BadResponseError(method, `${field}: want a 32-byte hash, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v.toLowerCase() as Hex;
}

function bytes(method: string, v: unknown, field: string): Hex {
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw new L1BadResponseError(method, `${field}: want hex bytes`);
  return v.toLowerCase() as Hex;
}

function addr(method: string, v: unknown, field: string): Hex {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw new L1BadResponseError(method, `${field}: want an address`);
  return v.toLowerCase() as Hex;
}

export function parseBlock(method: string, v: unknown): L1Block | null {
  if (v === null) return null;
  if (!isObj(v)) throw new L1BadResponseError(method, 'want a block object or null');
  return {
    number: qty(method, v.number, 'number'),
    hash: hash(method, v.hash, 'hash'),
    parentHash: hash(method, v.parentHash, 'parentHash'),
    timestamp: qty(method, v.timestamp, 'timestamp'),
  };
}

export function parseLog(method: string, v: unknown): L1Log {
  if (!isObj(v)) throw new L1BadResponseError(method, 'want a log object');
  if (!Array.isArray(v.topics) || v.topics.length > 4) throw new L1BadResponseError(method, 'topics: want an array of at most 4 hashes');
  return {
    address: addr(method, v.address, 'address'),
    topics: v.topics.map((t, i) => hash(method, t, `topics[${i}]`)),
    data: bytes(method, v.data, 'data'),
    blockNumber: qty(method, v.blockNumber, 'blockNumber'),
    blockHash: hash(method, v.blockHash, 'blockHash'),
    transactionHash: hash(method, v.transactionHash, 'transactionHash'),
    transactionIndex: Number(qty(method, v.transactionIndex, 'transactionIndex')),
    logIndex: Number(qty(method, v.logIndex, 'logIndex')),
    removed: v.removed === true,
  };
}

const q = (n: bigint): Hex => `0x${n.toString(16)}`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Transport failures and garbage are worth another try; a JSON-RPC error answer is not. */
function classify(method: string, e: unknown): L1TransportError | L1RpcError | L1BadResponseError {
  if (e instanceof L1BadResponseError || e instanceof L1TransportError || e instanceof L1RpcError) return e;
  if (e instanceof BaseError) {
    const rpc = e.walk((x) => typeof (x as { code?: unknown }).code === 'number' && (x as { code: number }).code !== -1);
    const name = e.walk((x) => x instanceof BaseError && (x.name === 'TimeoutError' || x.name === 'HttpRequestError'));
    if (name === null && rpc !== null) {
      const r = rpc as BaseError & { code: number; data?: unknown; cause?: unknown };
      const data = r.data ?? (isObj(r.cause) ? r.cause.data : undefined);
      return new L1RpcError(method, r.code, r.shortMessage, data);
    }
    return new L1TransportError(`${method}: ${e.shortMessage}`, { method, kind: name?.name ?? e.name });
  }
  return new L1TransportError(`${method}: ${e instanceof Error ? e.message : String(e)}`, { method });
}

export class L1Client {
  /** the underlying viem client (no retry of its own), for what this class does not wrap */
  readonly viem: PublicClient;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly log: Logger | undefined;

  constructor(readonly o: L1ClientOptions) {
    this.viem = createPublicClient({ transport: http(o.url, { timeout: o.timeoutMs ?? 10_000, retryCount: 0 }) });
    this.retries = o.retries ?? 5;
    this.backoffMs = o.backoffMs ?? 250;
    this.maxBackoffMs = o.maxBackoffMs ?? 5_000;
    this.log = o.logger?.child({ component: 'l1-client' });
  }

  /**
   * One JSON-RPC call, validated by `parse`. Transport failures and invalid answers are retried with
   * backoff; a JSON-RPC error answer is thrown at once as L1RpcError; after the last retry,
   * L1RetriesExhaustedError (its `cause` is the last failure).
   */
  async request<T>(method: string, params: unknown[], parse: (result: unknown) => T): Promise<T> {
    let last: unknown;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) {
        const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempt - 1));
        await sleep(base / 2 + Math.random() * (base / 2));
      }
      try {
        const result: unknown = await this.viem.request({ method: method as 'eth_chainId', params: params as never }, { retryCount: 0, dedupe: false });
        return parse(result);
      } catch (e) {
        const err = classify(method, e);
        if (err instanceof L1RpcError) throw err;
        last = err;
        this.log?.warn({ method, attempt, err: err.message }, 'L1 request failed, retrying');
      }
    }
    throw new L1RetriesExhaustedError(method, this.retries + 1, last);
  }

  async chainId(): Promise<bigint> {
    return this.request('eth_chainId', [], (r) => qty('eth_chainId', r, 'result'));
  }

  async blockNumber(): Promise<bigint> {
    return this.request('eth_blockNumber', [], (r) => qty('eth_blockNumber', r, 'result'));
  }

  /** A block header by number or tag; null when the L1 has no such block (yet). */
  async getBlock(at: bigint | BlockTag): Promise<L1Block | null> {
    const m = 'eth_getBlockByNumber';
    return this.request(m, [typeof at === 'bigint' ? q(at) : at, false], (r) => {
      const b = parseBlock(m, r);
      if (b !== null && typeof at === 'bigint' && b.number !== at) throw new L1BadResponseError(m, `asked for block ${at}, got ${b.number}`);
      return b;
    });
  }

  async getBlockByHash(h: Hex): Promise<L1Block | null> {
    const m = 'eth_getBlockByHash';
    return this.request(m, [h, false], (r) => {
      const b = parseBlock(m, r);
      if (b !== null && b.hash !== h.toLowerCase()) throw new L1BadResponseError(m, `asked for ${h}, got ${b.hash}`);
      return b;
    });
  }

  /** The newest block with at least `confirmations` confirmations (1 = the head itself; 0 is taken as 1). */
  async confirmedHead(confirmations: number): Promise<L1Block | null> {
    const head = await this.blockNumber();
    const n = head - BigInt(Math.max(1, confirmations)) + 1n;
    return n < 0n ? null : this.getBlock(n);
  }

  /** Logs of one block, by its hash: consistent even while the L1 reorgs (a vanished block is an L1RpcError). */
  async getLogsAtBlock(blockHash: Hex, filter: { address?: Hex | Hex[]; topics?: (Hex | Hex[] | null)[] } = {}): Promise<L1Log[]> {
    const m = 'eth_getLogs';
    return this.request(m, [{ blockHash, address: filter.address, topics: filter.topics }], (r) => this.parseLogs(m, r, { blockHash }));
  }

  /** Logs over [fromBlock, toBlock], in chunks; each chunk's answer is checked to lie in its range. */
  async getLogs(query: LogQuery): Promise<L1Log[]> {
    const m = 'eth_getLogs';
    let chunk = BigInt(Math.max(1, query.chunkSize ?? 2000));
    const out: L1Log[] = [];
    let from = query.fromBlock;
    while (from <= query.toBlock) {
      const to = from + chunk - 1n < query.toBlock ? from + chunk - 1n : query.toBlock;
      try {
        const logs = await this.request(m, [{ address: query.address, topics: query.topics, fromBlock: q(from), toBlock: q(to) }], (r) => this.parseLogs(m, r, { from, to }));
        out.push(...logs);
        from = to + 1n;
      } catch (e) {
        // providers cap ranges or result sizes with a JSON-RPC error: try a smaller range
        if (e instanceof L1RpcError && chunk > 1n && /range|limit|too (many|large)|exceed/i.test(e.message)) {
          chunk = chunk / 2n;
          continue;
        }
        throw e;
      }
    }
    return out;
  }

  private parseLogs(m: string, r: unknown, where: { from?: bigint; to?: bigint; blockHash?: Hex }): L1Log[] {
    if (!Array.isArray(r)) throw new L1BadResponseError(m, 'want an array of logs');
    const logs = r.map((x) => parseLog(m, x));
    for (const l of logs) {
      if (where.blockHash !== undefined && l.blockHash !== where.blockHash.toLowerCase()) throw new L1BadResponseError(m, `log of block ${l.blockHash}, asked for ${where.blockHash}`);
      if (where.from !== undefined && where.to !== undefined && (l.blockNumber < where.from || l.blockNumber > where.to)) {
        throw new L1BadResponseError(m, `log of block ${l.blockNumber} outside the range asked for [${where.from}, ${where.to}]`);
      }
    }
    return logs;
  }
}

// ---- head tracking and reorg detection -----------------------------------------------------------

export interface Reorg {
  /** how many blocks the tracker had seen as canonical that are no longer */
  depth: number;
  /** the newest block both chains share */
  commonAncestor: L1Block;
  /** the blocks that left the canonical chain, oldest first */
  removed: L1Block[];
}

export interface HeadUpdate {
  head: L1Block;
  /** blocks newly canonical since the last poll, oldest first (after a jump longer than the window, only the newest `window`) */
  added: L1Block[];
  /** the first newly canonical block number (added[0].number, or lower after a long jump) */
  from: bigint;
  reorg: Reorg | null;
}

export interface HeadTrackerOptions {
  /** how many recent canonical blocks to remember (default 256): a deeper reorg is L1ReorgTooDeepError */
  window?: number;
}

/**
 * Follows the L1 head and notices reorgs by block hash. It remembers the recent canonical chain
 * (number → hash, bounded). Each poll walks back from the new head by parent hash until it meets a
 * block it remembers; remembered blocks above that meeting point were reorged out.
 */
export class L1HeadTracker {
  private readonly window: number;
  /** contiguous, ascending */
  private chain: L1Block[] = [];

  constructor(
    private readonly client: L1Client,
    o: HeadTrackerOptions = {},
  ) {
    this.window = Math.max(2, o.window ?? 256);
  }

  /** The remembered canonical blocks, oldest first (to persist across restarts). */
  recent(): L1Block[] {
    return [...this.chain];
  }

  /** Starts from remembered blocks (contiguous, ascending), e.g. after a restart. */
  load(blocks: L1Block[]): void {
    for (let i = 1; i < blocks.length; i++) {
      if (blocks[i].number !== blocks[i - 1].number + 1n || blocks[i].parentHash !== blocks[i - 1].hash) throw new Error('load: blocks are not a chain');
    }
    this.chain = blocks.slice(-this.window);
  }

  head(): L1Block | undefined {
    return this.chain[this.chain.length - 1];
  }

  /** The remembered canonical hash at `n`, if within the window. */
  hashAt(n: bigint): Hex | undefined {
    const first = this.chain[0];
    if (first === undefined || n < first.number) return undefined;
    return this.chain[Number(n - first.number)]?.hash;
  }

  private known(b: L1Block): boolean {
    return this.hashAt(b.number) === b.hash;
  }

  async poll(): Promise<HeadUpdate> {
    const head = await this.client.getBlock('latest');
    if (head === null) throw new L1BadResponseError('eth_getBlockByNumber', 'no latest block');
    const tip = this.head();
    if (tip === undefined) {
      this.chain = [head];
      return { head, added: [head], from: head.number, reorg: null };
    }
    const oldest = this.chain[0];
    // walk back by parent hash: consistent even if the L1 reorgs while we walk
    const fresh: L1Block[] = [];
    let cursor = head;
    let jumped = false;
    while (!this.known(cursor)) {
      fresh.push(cursor);
      if (cursor.number <= oldest.number) throw new L1ReorgTooDeepError(this.chain.length, oldest.number);
      if (fresh.length >= this.window && cursor.number > tip.number + 1n) {
        // a long jump: do not walk thousands of blocks by hash; our tip must still be canonical
        jumped = true;
        break;
      }
      const parent = await this.client.getBlockByHash(cursor.parentHash);
      if (parent === null || parent.number !== cursor.number - 1n) {
        throw new L1BadResponseError('eth_getBlockByHash', `parent ${cursor.parentHash} of block ${cursor.number} is missing or misnumbered`);
      }
      cursor = parent;
    }
    fresh.reverse();
    if (jumped) return this.afterJump(head, tip, fresh);
    const ancestor = cursor;
    const keep = Number(ancestor.number - oldest.number) + 1;
    const removed = this.chain.slice(keep);
    this.chain = [...this.chain.slice(0, keep), ...fresh].slice(-this.window);
    return {
      head,
      added: fresh,
      from: ancestor.number + 1n,
      reorg: removed.length > 0 ? { depth: removed.length, commonAncestor: ancestor, removed } : null,
    };
  }

  /** The head moved more than a window ahead: check our tip by number, then keep only the fresh blocks. */
  private async afterJump(head: L1Block, tip: L1Block, fresh: L1Block[]): Promise<HeadUpdate> {
    const now = await this.client.getBlock(tip.number);
    let reorg: Reorg | null = null;
    if (now === null || now.hash !== tip.hash) {
      // find the newest remembered block still canonical, by number
      let i = this.chain.length - 1;
      for (; i >= 0; i--) {
        const b = await this.client.getBlock(this.chain[i].number);
        if (b !== null && b.hash === this.chain[i].hash) break;
      }
      if (i < 0) throw new L1ReorgTooDeepError(this.chain.length, this.chain[0].number);
      const removed = this.chain.slice(i + 1);
      reorg = { depth: removed.length, commonAncestor: this.chain[i], removed };
    }
    const from = (reorg?.commonAncestor.number ?? tip.number) + 1n;
    this.chain = fresh.slice(-this.window);
    return { head, added: fresh, from, reorg };
  }
}
