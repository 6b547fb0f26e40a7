// eth_subscribe over WebSocket: newHeads, logs (with a filter), newPendingTransactions. One
// instance per connection. Notifications of a new subscription are held until its id has been sent
// (the server calls `release()` after each response), so a client never sees a notification for an
// id it does not know yet.
import type { Hex } from '../state-machine/crypto/hash.ts';
import type { Address } from '../state-machine/types.ts';
import type { RpcBackend } from './backend.ts';
import { logMatches, type ChainFeed } from './feed.ts';
import { formatHeader, formatLog, formatTx, type Json } from './format.ts';
import { newId } from './ids.ts';
import type { FilterObject } from './params.ts';
import { inRange } from './filters.ts';

/** Per-connection cap; each subscription is cheap but not free. */
export const MAX_SUBSCRIPTIONS = 1000;

export type SubscriptionKind =
  | { kind: 'newHeads' }
  | { kind: 'logs'; criteria: FilterObject }
  | { kind: 'newPendingTransactions'; fullTransactions: boolean };

/** What a method sees of a connection's subscriptions. */
export interface SubscriptionScope {
  readonly size: number;
  subscribe(what: SubscriptionKind): Hex;
  unsubscribe(id: Hex): boolean;
  release(): void;
}

interface Sub {
  stop: () => void;
  /** null once released: notifications go straight out */
  held: Json[] | null;
}

export class Subscriptions {
  private readonly subs = new Map<Hex, Sub>();

  constructor(
    private readonly feed: ChainFeed,
    private readonly backend: RpcBackend,
    private readonly feeVault: Address,
    private readonly send: (notification: string) => void,
  ) {}

  get size(): number {
    return this.subs.size;
  }

  subscribe(what: SubscriptionKind): Hex {
    const id = newId();
    const sub: Sub = { stop: () => {}, held: [] };
    const emit = (result: Json): void => {
      if (!this.subs.has(id)) return;
      if (sub.held) sub.held.push(result);
      else this.send(notification(id, result));
    };
    if (what.kind === 'newHeads') {
      sub.stop = this.feed.onBlocks(({ block }) => emit(formatHeader(block.hash, block.header, this.feeVault)));
    } else if (what.kind === 'logs') {
      const c = what.criteria;
      sub.stop = this.feed.onBlocks(({ block, logs }) => {
        if (!inRange(c, block.header.number, block.hash)) return;
        for (const l of logs) if (logMatches(l, c.addresses, c.topics)) emit(formatLog(l));
      });
    } else if (what.fullTransactions) {
      sub.stop = this.feed.onPendingTxs((hash) => {
        // Looked up after the event: a tx already sealed or evicted is skipped, as geth does.
        this.backend.getTransaction(hash).then(
          (found) => found && emit(formatTx(found.tx, null)),
          () => {},
        );
      });
    } else {
      sub.stop = this.feed.onPendingTxs((hash) => emit(hash));
    }
    this.subs.set(id, sub);
    return id;
  }

  unsubscribe(id: Hex): boolean {
    const sub = this.subs.get(id);
    if (!sub) return false;
    sub.stop();
    this.subs.delete(id);
    return true;
  }

  /**
   * A view for one request: subscriptions it creates stay held until `release()`, which the server
   * calls once that request's response is on the socket.
   */
  scope(): SubscriptionScope {
    const created: Hex[] = [];
    const size = (): number => this.subs.size;
    return {
      get size() {
        return size();
      },
      subscribe: (what) => {
        const id = this.subscribe(what);
        created.push(id);
        return id;
      },
      unsubscribe: (id) => this.unsubscribe(id),
      release: () => {
        for (const id of created.splice(0)) this.release(id);
      },
    };
  }

  private release(id: Hex): void {
    const sub = this.subs.get(id);
    if (!sub?.held) return;
    const held = sub.held;
    sub.held = null;
    for (const r of held) this.send(notification(id, r));
  }

  close(): void {
    for (const sub of this.subs.values()) sub.stop();
    this.subs.clear();
  }
}

function notification(subscription: Hex, result: Json): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription, result } });
}
