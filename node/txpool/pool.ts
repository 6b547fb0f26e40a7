// The transaction pool. Per sender, txs are kept by nonce: the run of consecutive nonces starting at
// the sender's state nonce is "pending" (executable now), the rest is "queued" (waits for a gap to
// fill). A tx with the nonce of a pooled one replaces it only with a fee bump of at least 10 % on both
// the fee cap and the tip. Limits follow geth's: each sender is guaranteed `minPerSender` slots and
// may hold more while the pool has room; a full pool makes room by evicting the cheapest tail tx of a
// sender over its share; queued txs are bounded per sender, by nonce distance and by lifetime.
// Rejections use geth's messages and say the true reason (see ../errors.ts).
import type { SignedTx } from '../../state-machine/chain/types.ts';
import type { Address } from '../../state-machine/types.ts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { txPoolErrors } from '../errors.ts';

export interface PoolLimits {
  /** slots each sender is guaranteed; beyond them its txs may be evicted when the pool is full */
  minPerSender: number;
  /** queued (not yet executable) txs one sender may hold */
  maxQueuedPerSender: number;
  /** how far ahead of its state nonce a sender may pool a tx */
  maxNonceGap: number;
  /** txs in the whole pool */
  maxTotal: number;
  /** minimum fee bump for a replacement, in percent */
  priceBumpPercent: bigint;
  /** largest raw tx accepted, in bytes (geth: 128 KiB) */
  maxTxBytes: number;
}

export const DEFAULT_POOL_LIMITS: PoolLimits = {
  minPerSender: 64,
  maxQueuedPerSender: 1_024,
  maxNonceGap: 4_096,
  maxTotal: 50_000,
  priceBumpPercent: 10n,
  maxTxBytes: 128 * 1024,
};

/** What the pool needs to know about the chain to judge a tx: the head state and next block's rules. */
export interface PoolContext {
  chainId: bigint;
  blockGasLimit: bigint;
  /** base fee of the next block */
  baseFee: bigint;
  intrinsicGas(tx: SignedTx): bigint;
  nonceOf(address: Address): bigint;
  balanceOf(address: Address): bigint;
}

export interface PooledTx {
  tx: SignedTx;
  /** arrival order, breaks fee ties first-come first-served */
  seq: number;
  /** arrival time, ms since the epoch (queued txs expire) */
  arrivedMs: number;
}

export interface AddResult {
  /** the pooled tx this one replaced */
  replaced?: SignedTx;
  /** txs evicted to make room (the journal forgets them) */
  evicted: SignedTx[];
}

/**
 * One sender's pooled txs by nonce, with their lowest and highest nonce and summed max cost kept
 * so that the common add (the next nonce of a long burst) is O(1): without them each add walked the
 * sender's whole run, and a burst of n txs cost O(n²). Any delete marks the figures stale; they
 * are recomputed once, on the next add.
 */
class SenderTxs {
  readonly byNonce = new Map<bigint, PooledTx>();
  private min = 0n;
  private max = -1n;
  private cost = 0n;
  private stale = false;
  /** summed cost of the pooled txs below `below` (a state nonce that moved past them), while valid */
  private staleCost: { below: bigint; cost: bigint } | null = null;

  set(entry: PooledTx): void {
    const n = entry.tx.nonce;
    const old = this.byNonce.get(n);
    this.byNonce.set(n, entry);
    if (this.staleCost !== null && n < this.staleCost.below) this.staleCost = null;
    if (this.stale) return;
    if (old) this.cost -= maxCost(old.tx);
    this.cost += maxCost(entry.tx);
    if (this.byNonce.size === 1 || n < this.min) this.min = n;
    if (this.byNonce.size === 1 || n > this.max) this.max = n;
  }

  delete(nonce: bigint): void {
    if (this.byNonce.delete(nonce)) this.stale = true;
  }

  /** Lowest and highest pooled nonce and the sum of maxCost over all pooled txs. */
  stats(): { min: bigint; max: bigint; cost: bigint } {
    if (this.stale) {
      this.stale = false;
      this.staleCost = null;
      this.cost = 0n;
      this.min = 0n;
      this.max = -1n;
      let first = true;
      for (const [n, p] of this.byNonce) {
        this.cost += maxCost(p.tx);
        if (first || n < this.min) this.min = n;
        if (first || n > this.max) this.max = n;
        first = false;
      }
    }
    return { min: this.min, max: this.max, cost: this.cost };
  }

  /** Next nonce after the run of consecutive pooled nonces from `stateNonce`. */
  pendingEnd(stateNonce: bigint): bigint {
    const { min, max } = this.stats();
    // the pooled nonces are one run [min, max] (the usual case, stale ones below the state nonce
    // included until the block's prune): no walk needed
    if (max - min + 1n === BigInt(this.byNonce.size)) return stateNonce < min || stateNonce > max + 1n ? stateNonce : max + 1n;
    let n = stateNonce;
    while (this.byNonce.has(n)) n++;
    return n;
  }

  /** Summed maxCost of the pooled txs with stateNonce ≤ nonce < `below` (they run before a tx at `below`). */
  costBefore(stateNonce: bigint, below: bigint): bigint {
    const { min, max, cost } = this.stats();
    if (below > max && min >= stateNonce) return cost;
    if (below > max && max - min + 1n === BigInt(this.byNonce.size)) {
      // one run with stale txs below the state nonce (a block just included them, its prune is
      // pending): subtract those, summed once per state nonce
      if (this.staleCost?.below !== stateNonce) {
        let stale = 0n;
        for (let n = min; n < stateNonce && n <= max; n++) stale += maxCost((this.byNonce.get(n) as PooledTx).tx);
        this.staleCost = { below: stateNonce, cost: stale };
      }
      return cost - this.staleCost.cost;
    }
    let sum = 0n;
    for (const [n, p] of this.byNonce) if (n < below && n >= stateNonce) sum += maxCost(p.tx);
    return sum;
  }
}

/** max cost a tx can charge: gasLimit * maxFeePerGas + value */
export function maxCost(tx: SignedTx): bigint {
  return tx.gasLimit * tx.maxFeePerGas + tx.value;
}

/** Tip the sequencer earns per gas at this base fee; negative when the tx cannot pay the base fee. */
export function effectiveTip(tx: SignedTx, baseFee: bigint): bigint {
  const room = tx.maxFeePerGas - baseFee;
  return room < tx.maxPriorityFeePerGas ? room : tx.maxPriorityFeePerGas;
}

export class TxPool {
  private readonly byHash = new Map<Hex, PooledTx>();
  private readonly senders = new Map<Address, SenderTxs>();
  private seq = 0;

  constructor(readonly limits: PoolLimits = DEFAULT_POOL_LIMITS) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  get(hash: Hex): SignedTx | undefined {
    return this.byHash.get(hash)?.tx;
  }

  /**
   * Checks a decoded, sender-recovered tx against the pool rules and pools it. Throws a TxPoolError
   * with geth's message when refused. Checks run in geth's order, so the same tx gets the same error.
   */
  add(tx: SignedTx, ctx: PoolContext, nowMs = 0): AddResult {
    if (tx.raw.length > this.limits.maxTxBytes) throw txPoolErrors.oversized({ size: tx.raw.length });
    if (this.byHash.has(tx.hash)) throw txPoolErrors.alreadyKnown({ hash: tx.hash });
    if (tx.chainId !== ctx.chainId) throw txPoolErrors.invalidChainId({ got: tx.chainId.toString(), want: ctx.chainId.toString() });
    if (tx.to === null) throw txPoolErrors.invalid('contract creation is not supported');
    if (tx.gasLimit > ctx.blockGasLimit) throw txPoolErrors.gasLimit({ gas: tx.gasLimit.toString() });
    if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) throw txPoolErrors.tipAboveFeeCap();
    if (tx.gasLimit < ctx.intrinsicGas(tx)) throw txPoolErrors.intrinsicGas({ gas: tx.gasLimit.toString() });
    if (tx.maxFeePerGas < ctx.baseFee) {
      throw txPoolErrors.feeBelowBaseFee({ maxFeePerGas: tx.maxFeePerGas.toString(), baseFee: ctx.baseFee.toString() });
    }
    const stateNonce = ctx.nonceOf(tx.from);
    if (tx.nonce < stateNonce) throw txPoolErrors.nonceTooLow({ next: stateNonce.toString(), got: tx.nonce.toString() });

    const s = this.senders.get(tx.from);
    const old = s?.byNonce.get(tx.nonce);
    if (old) {
      const bump = 100n + this.limits.priceBumpPercent;
      const o = old.tx;
      if (
        tx.maxFeePerGas <= o.maxFeePerGas ||
        tx.maxPriorityFeePerGas <= o.maxPriorityFeePerGas ||
        tx.maxFeePerGas * 100n < o.maxFeePerGas * bump ||
        tx.maxPriorityFeePerGas * 100n < o.maxPriorityFeePerGas * bump
      ) {
        throw txPoolErrors.underpriced({ hash: o.hash });
      }
    } else {
      if (tx.nonce >= stateNonce + BigInt(this.limits.maxNonceGap)) {
        throw txPoolErrors.nonceTooHigh({ next: stateNonce.toString(), got: tx.nonce.toString(), maxGap: this.limits.maxNonceGap });
      }
      const pendingEnd = s ? s.pendingEnd(stateNonce) : stateNonce;
      if (tx.nonce > pendingEnd && s) {
        const queued = s.byNonce.size - Number(pendingEnd - stateNonce);
        if (queued >= this.limits.maxQueuedPerSender) throw txPoolErrors.accountLimit({ queued, max: this.limits.maxQueuedPerSender });
      }
    }

    // The sender must afford this tx on top of its pooled txs with lower nonces (they run first).
    const committed = s ? s.costBefore(stateNonce, tx.nonce) : 0n;
    const balance = ctx.balanceOf(tx.from);
    const cost = maxCost(tx);
    if (balance < cost) throw txPoolErrors.insufficientFunds({ balance: balance.toString(), cost: cost.toString() });
    if (balance < committed + cost) throw txPoolErrors.overdraft({ balance: balance.toString(), pooled: committed.toString(), cost: cost.toString() });

    const evicted = old ? [] : this.makeRoom(tx);
    const entry: PooledTx = { tx, seq: this.seq++, arrivedMs: nowMs };
    let senderTxs = s;
    if (!senderTxs) {
      senderTxs = new SenderTxs();
      this.senders.set(tx.from, senderTxs);
    }
    if (old) this.byHash.delete(old.tx.hash);
    senderTxs.set(entry);
    this.byHash.set(tx.hash, entry);
    return old ? { replaced: old.tx, evicted } : { evicted };
  }

  /**
   * When the pool is full: evicts the last (highest-nonce) tx of the sender over its guaranteed share
   * whose last tx tips least, if `tx` tips more (geth evicts its cheapest remote txs the same way;
   * taking a tail never opens a nonce gap). Throws when no room can be made.
   */
  private makeRoom(tx: SignedTx): SignedTx[] {
    if (this.byHash.size < this.limits.maxTotal) return [];
    let victim: PooledTx | undefined;
    for (const [a, s] of this.senders) {
      const own = a === tx.from ? 1 : 0;
      if (s.byNonce.size + own <= this.limits.minPerSender) continue;
      let last: PooledTx | undefined;
      for (const p of s.byNonce.values()) if (!last || p.tx.nonce > last.tx.nonce) last = p;
      if (last && (!victim || cheaper(last, victim))) victim = last;
    }
    if (!victim) throw txPoolErrors.full({ reason: 'every sender is within its guaranteed share', size: this.byHash.size });
    if (victim.tx.from === tx.from && victim.tx.nonce < tx.nonce) {
      throw txPoolErrors.full({ reason: 'the pool is full and this sender is over its share', sender: tx.from });
    }
    if (victim.tx.maxPriorityFeePerGas >= tx.maxPriorityFeePerGas && victim.tx.from !== tx.from) {
      throw txPoolErrors.poolUnderpriced({ cheapestTip: victim.tx.maxPriorityFeePerGas.toString() });
    }
    this.remove(victim.tx.hash);
    return [victim.tx];
  }

  /** Takes a tx out again (its journal write failed). */
  remove(hash: Hex): void {
    const p = this.byHash.get(hash);
    if (!p) return;
    this.byHash.delete(hash);
    const s = this.senders.get(p.tx.from);
    if (!s) return;
    if (s.byNonce.get(p.tx.nonce) === p) s.delete(p.tx.nonce);
    if (s.byNonce.size === 0) this.senders.delete(p.tx.from);
  }

  /**
   * After a block: drops every tx of the given senders whose nonce is now below the state nonce
   * (included, or made stale by another tx). Returns the dropped hashes (for the journal).
   */
  prune(senders: Iterable<Address>, nonceOf: (a: Address) => bigint): Hex[] {
    const dropped: Hex[] = [];
    for (const a of senders) {
      const s = this.senders.get(a);
      if (!s) continue;
      const next = nonceOf(a);
      for (const [n, p] of s.byNonce) {
        if (n < next) {
          s.delete(n);
          this.byHash.delete(p.tx.hash);
          dropped.push(p.tx.hash);
        }
      }
      if (s.byNonce.size === 0) this.senders.delete(a);
    }
    return dropped;
  }

  /**
   * Drops queued txs (behind a nonce gap) that arrived before `cutoffMs`, as geth does after its
   * lifetime (3 h): a gap that never fills must not hold pool slots for ever. Returns the hashes.
   */
  evictQueued(cutoffMs: number, nonceOf: (a: Address) => bigint): Hex[] {
    const dropped: Hex[] = [];
    for (const [a, s] of this.senders) {
      let n = nonceOf(a);
      while (s.byNonce.has(n)) n++;
      for (const [nonce, p] of s.byNonce) {
        if (nonce > n && p.arrivedMs < cutoffMs) {
          s.delete(nonce);
          this.byHash.delete(p.tx.hash);
          dropped.push(p.tx.hash);
        }
      }
      if (s.byNonce.size === 0) this.senders.delete(a);
    }
    return dropped;
  }

  /** Next nonce the sender can use: state nonce plus its run of consecutive pooled nonces. */
  pendingNonce(address: Address, stateNonce: bigint): bigint {
    return this.senders.get(address)?.pendingEnd(stateNonce) ?? stateNonce;
  }

  /** Counts of executable (pending) and waiting (queued) txs. */
  counts(nonceOf: (a: Address) => bigint): { pending: number; queued: number } {
    let pending = 0;
    for (const [a, s] of this.senders) {
      let n = nonceOf(a);
      while (s.byNonce.has(n)) {
        pending++;
        n++;
      }
    }
    return { pending, queued: this.byHash.size - pending };
  }

  /** Every pooled tx, per sender in nonce order. */
  all(): SignedTx[] {
    const out: SignedTx[] = [];
    for (const s of this.senders.values()) {
      const ps = [...s.byNonce.values()].sort((x, y) => (x.tx.nonce < y.tx.nonce ? -1 : 1));
      for (const p of ps) out.push(p.tx);
    }
    return out;
  }

  /**
   * Txs for the next block, best effective tip first, each sender's txs in nonce order, until the gas
   * limit. A sender whose next tx cannot pay the base fee or does not fit is skipped for this block.
   */
  select(gasLimit: bigint, baseFee: bigint, nonceOf: (a: Address) => bigint, minTxGas = 21_000n): SignedTx[] {
    const heap = new TipHeap(baseFee);
    for (const [a, s] of this.senders) {
      const p = s.byNonce.get(nonceOf(a));
      if (p && p.tx.maxFeePerGas >= baseFee) heap.push(p);
    }
    const out: SignedTx[] = [];
    let gasLeft = gasLimit;
    while (heap.size > 0 && gasLeft >= minTxGas) {
      const p = heap.pop();
      if (p.tx.gasLimit > gasLeft) continue;
      out.push(p.tx);
      gasLeft -= p.tx.gasLimit;
      const next = this.senders.get(p.tx.from)?.byNonce.get(p.tx.nonce + 1n);
      if (next && next.tx.maxFeePerGas >= baseFee) heap.push(next);
    }
    return out;
  }
}

/** True when `a` is the better eviction victim: lower tip, then later arrival. */
function cheaper(a: PooledTx, b: PooledTx): boolean {
  return a.tx.maxPriorityFeePerGas !== b.tx.maxPriorityFeePerGas ? a.tx.maxPriorityFeePerGas < b.tx.maxPriorityFeePerGas : a.seq > b.seq;
}

/** Binary max-heap on (effective tip desc, arrival asc). */
class TipHeap {
  private readonly items: { p: PooledTx; tip: bigint }[] = [];
  constructor(private readonly baseFee: bigint) {}

  get size(): number {
    return this.items.length;
  }

  push(p: PooledTx): void {
    const it = { p, tip: effectiveTip(p.tx, this.baseFee) };
    const a = this.items;
    a.push(it);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): PooledTx {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < a.length && this.before(a[l], a[best])) best = l;
        if (r < a.length && this.before(a[r], a[best])) best = r;
        if (best === i) break;
        [a[i], a[best]] = [a[best], a[i]];
        i = best;
      }
    }
    return top.p;
  }

  private before(x: { p: PooledTx; tip: bigint }, y: { p: PooledTx; tip: bigint }): boolean {
    return x.tip !== y.tip ? x.tip > y.tip : x.p.seq < y.p.seq;
  }
}
