// One listener on the backend's events, fanned out to filters and subscriptions, so a thousand
// subscribers cost one EventEmitter listener and the logs of a block are located once.
import type { Hex } from '../state-machine/crypto/hash.ts';
import type { Block, Receipt } from '../state-machine/chain/types.ts';
import type { LocatedLog, RpcBackend } from './backend.ts';
import { locateLogs } from './format.ts';

export interface BlockEvent {
  block: Block;
  receipts: Receipt[];
  logs: LocatedLog[];
}

export type BlockListener = (e: BlockEvent) => void;
export type PendingTxListener = (hash: Hex) => void;

export class ChainFeed {
  private readonly blockListeners = new Set<BlockListener>();
  private readonly pendingListeners = new Set<PendingTxListener>();
  private readonly onBlock = (block: Block, receipts: Receipt[]): void => {
    if (this.blockListeners.size === 0) return;
    const e: BlockEvent = { block, receipts, logs: locateLogs(block, receipts) };
    for (const l of [...this.blockListeners]) this.safely(() => l(e));
  };
  private readonly onPendingTx = (hash: Hex): void => {
    for (const l of [...this.pendingListeners]) this.safely(() => l(hash));
  };

  constructor(
    private readonly backend: RpcBackend,
    private readonly onListenerError: (err: unknown) => void,
  ) {
    backend.events.on('block', this.onBlock);
    backend.events.on('pendingTx', this.onPendingTx);
  }

  onBlocks(l: BlockListener): () => void {
    this.blockListeners.add(l);
    return () => this.blockListeners.delete(l);
  }

  onPendingTxs(l: PendingTxListener): () => void {
    this.pendingListeners.add(l);
    return () => this.pendingListeners.delete(l);
  }

  close(): void {
    this.backend.events.off('block', this.onBlock);
    this.backend.events.off('pendingTx', this.onPendingTx);
    this.blockListeners.clear();
    this.pendingListeners.clear();
  }

  // A failing subscriber must never break the node's emit (the sequencer loop calls it).
  private safely(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.onListenerError(err);
    }
  }
}

/**
 * Does a log match an address set and a topic filter? As geth: per position null or [] = any, else
 * any of the listed topics; a filter with more positions than the log has topics never matches.
 */
export function logMatches(
  log: { address: Hex; topics: Hex[] },
  addresses: readonly Hex[],
  topics: readonly (readonly Hex[] | null)[],
): boolean {
  if (addresses.length > 0 && !addresses.includes(log.address.toLowerCase() as Hex)) return false;
  if (topics.length > log.topics.length) return false;
  for (let i = 0; i < topics.length; i++) {
    const want = topics[i];
    if (want === null || want.length === 0) continue;
    const have = log.topics[i].toLowerCase() as Hex;
    if (!want.includes(have)) return false;
  }
  return true;
}
