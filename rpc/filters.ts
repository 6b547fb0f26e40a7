// Polling filters for HTTP clients (eth_newFilter, eth_newBlockFilter,
// eth_newPendingTransactionFilter, eth_getFilterChanges): viem's watchers and ethers use these when
// they have no WebSocket. Like geth, a filter not polled for `timeoutMs` is dropped.
import type { Hex } from '../state-machine/crypto/hash.ts';
import type { LocatedLog } from './backend.ts';
import { RpcCode, RpcError } from './errors.ts';
import { logMatches, type ChainFeed } from './feed.ts';
import { formatLog, type Json } from './format.ts';
import { newId } from './ids.ts';
import type { FilterObject } from './params.ts';

/** Per-filter buffer bound: a client that never polls cannot grow memory without limit. */
export const MAX_BUFFERED = 10_000;
/** Installed filters across all clients; filters are anonymous, so this is the memory bound. */
export const MAX_FILTERS = 10_000;

type Filter =
  | { kind: 'blocks'; items: Hex[]; lastPoll: number }
  | { kind: 'pendingTxs'; items: Hex[]; lastPoll: number }
  | { kind: 'logs'; criteria: FilterObject; items: LocatedLog[]; lastPoll: number };

export class FilterManager {
  private readonly filters = new Map<Hex, Filter>();
  private readonly unsubscribe: (() => void)[];
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    feed: ChainFeed,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = [
      feed.onBlocks(({ block, logs }) => {
        for (const f of this.filters.values()) {
          if (f.kind === 'blocks') push(f.items, block.hash);
          else if (f.kind === 'logs' && inRange(f.criteria, block.header.number, block.hash)) {
            for (const l of logs) if (logMatches(l, f.criteria.addresses, f.criteria.topics)) push(f.items, l);
          }
        }
      }),
      feed.onPendingTxs((hash) => {
        for (const f of this.filters.values()) if (f.kind === 'pendingTxs') push(f.items, hash);
      }),
    ];
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.floor(timeoutMs / 4)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.filters.size;
  }

  newBlockFilter(): Hex {
    return this.add({ kind: 'blocks', items: [], lastPoll: this.now() });
  }

  newPendingTxFilter(): Hex {
    return this.add({ kind: 'pendingTxs', items: [], lastPoll: this.now() });
  }

  newLogFilter(criteria: FilterObject): Hex {
    return this.add({ kind: 'logs', criteria, items: [], lastPoll: this.now() });
  }

  /** What arrived since the last poll, formatted; throws geth's "filter not found" for unknown ids. */
  changes(id: Hex): Json[] {
    const f = this.get(id);
    f.lastPoll = this.now();
    if (f.kind === 'logs') return f.items.splice(0).map(formatLog);
    return f.items.splice(0);
  }

  /** The criteria of a log filter, for eth_getFilterLogs. */
  logCriteria(id: Hex): FilterObject {
    const f = this.get(id);
    if (f.kind !== 'logs') throw new RpcError(RpcCode.server, 'filter not found');
    f.lastPoll = this.now();
    return f.criteria;
  }

  uninstall(id: Hex): boolean {
    return this.filters.delete(id);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const u of this.unsubscribe) u();
    this.filters.clear();
  }

  private add(f: Filter): Hex {
    if (this.filters.size >= MAX_FILTERS) {
      this.sweep();
      if (this.filters.size >= MAX_FILTERS) {
        throw new RpcError(RpcCode.limitExceeded, `too many installed filters (max ${MAX_FILTERS}); uninstall unused ones`);
      }
    }
    const id = newId();
    this.filters.set(id, f);
    return id;
  }

  private get(id: Hex): Filter {
    const f = this.filters.get(id);
    if (!f) throw new RpcError(RpcCode.server, 'filter not found');
    return f;
  }

  private sweep(): void {
    const cutoff = this.now() - this.timeoutMs;
    for (const [id, f] of this.filters) if (f.lastPoll < cutoff) this.filters.delete(id);
  }
}

function push<T>(items: T[], item: T): void {
  items.push(item);
  if (items.length > MAX_BUFFERED) items.splice(0, items.length - MAX_BUFFERED);
}

/** Whether a new block falls inside a log filter's range; tags other than numbers never end it. */
export function inRange(c: FilterObject, n: bigint, hash: Hex): boolean {
  if (c.blockHash) return c.blockHash === hash;
  if (typeof c.fromBlock === 'bigint' && n < c.fromBlock) return false;
  if (typeof c.toBlock === 'bigint' && n > c.toBlock) return false;
  return true;
}
