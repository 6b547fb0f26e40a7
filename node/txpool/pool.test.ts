import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { devnetAccounts } from '../../genesis/index.ts';
import { hexToBytes } from '../../state-machine/crypto/hash.ts';
import type { SignedTx } from '../../state-machine/chain/types.ts';
import type { Address } from '../../state-machine/types.ts';
import { signTx, type TxFields } from '../devnet/sign-tx.ts';
import { TxPoolError } from '../errors.ts';
import { decodeFailure, decodeRaw } from './decode.ts';
import { DEFAULT_POOL_LIMITS, TxPool, type PoolContext } from './pool.ts';

const CHAIN = 271828n;
const GWEI = 10n ** 9n;
const accts = devnetAccounts(4);
const keys = accts.map((a) => hexToBytes(a.privateKey));
const TO: Address = '0x00000000000000000000000000000000000000aa';

function ctxWith(nonces: Map<Address, bigint> = new Map(), balance = 10n ** 21n): PoolContext {
  return {
    chainId: CHAIN,
    blockGasLimit: 30_000_000n,
    baseFee: GWEI,
    intrinsicGas: (tx) => 21_000n + 16n * BigInt(tx.data.length),
    nonceOf: (a) => nonces.get(a) ?? 0n,
    balanceOf: () => balance,
  };
}

function tx(sender: number, nonce: bigint, over: Partial<TxFields> = {}): SignedTx {
  const raw = signTx(
    { chainId: CHAIN, nonce, to: TO, value: 1n, gasLimit: 21_000n, maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI, ...over },
    keys[sender],
  );
  const r = decodeRaw(raw, CHAIN);
  if (!r.ok) throw decodeFailure(r);
  return r.tx;
}

function rejection(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TxPoolError);
    return (e as TxPoolError).message;
  }
  throw new Error('expected a rejection');
}

describe('TxPool rejections carry geth messages', () => {
  it('nonce too low', () => {
    const pool = new TxPool();
    const ctx = ctxWith(new Map([[accts[0].address, 5n]]));
    expect(rejection(() => pool.add(tx(0, 4n), ctx))).toBe('nonce too low');
  });

  it('insufficient funds for the tx alone; overdraft on top of the earlier pooled txs (geth ErrOverdraft)', () => {
    const pool = new TxPool();
    const cost = 21_000n * 2n * GWEI + 1n;
    const ctx = ctxWith(new Map(), cost * 2n);
    expect(rejection(() => pool.add(tx(0, 0n, { value: cost * 2n }), ctx))).toBe('insufficient funds for gas * price + value');
    pool.add(tx(0, 0n), ctx);
    pool.add(tx(0, 1n), ctx);
    expect(rejection(() => pool.add(tx(0, 2n), ctx))).toBe('transaction would cause overdraft');
  });

  it('intrinsic gas too low', () => {
    expect(rejection(() => new TxPool().add(tx(0, 0n, { gasLimit: 20_999n }), ctxWith()))).toBe('intrinsic gas too low');
  });

  it('max fee per gas less than block base fee', () => {
    const t = tx(0, 0n, { maxFeePerGas: GWEI - 1n, maxPriorityFeePerGas: 1n });
    expect(rejection(() => new TxPool().add(t, ctxWith()))).toBe('max fee per gas less than block base fee');
  });

  it('already known', () => {
    const pool = new TxPool();
    const t = tx(0, 0n);
    pool.add(t, ctxWith());
    expect(rejection(() => pool.add(t, ctxWith()))).toBe('already known');
  });

  it('invalid chain id (decode refuses a tx signed for another chain)', () => {
    const raw = signTx({ chainId: 1n, nonce: 0n, to: TO, gasLimit: 21_000n, maxFeePerGas: GWEI, maxPriorityFeePerGas: 1n }, keys[0]);
    const legacy = signTx({ chainId: 1n, nonce: 0n, to: TO, gasLimit: 21_000n, maxFeePerGas: GWEI, maxPriorityFeePerGas: GWEI, type: 0 }, keys[0]);
    for (const r of [raw, legacy]) {
      const d = decodeRaw(r, CHAIN);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(decodeFailure(d).message).toBe('invalid chain id');
    }
  });

  it('oversized data', () => {
    const raw = signTx({ chainId: CHAIN, nonce: 0n, to: TO, data: new Uint8Array(130 * 1024), gasLimit: 25_000_000n, maxFeePerGas: GWEI, maxPriorityFeePerGas: 1n }, keys[0]);
    const d = decodeRaw(raw, CHAIN);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(decodeFailure(d).message).toBe('oversized data');
    // and the pool's own limit, for txs decoded elsewhere
    const small = new TxPool({ ...DEFAULT_POOL_LIMITS, maxTxBytes: 100 });
    expect(rejection(() => small.add(tx(0, 0n, { data: new Uint8Array(200) , gasLimit: 30_000n }), ctxWith()))).toBe('oversized data');
  });

  it('nonce too high: a gap beyond maxNonceGap; account limit exceeded: too many queued txs of one sender', () => {
    const pool = new TxPool({ ...DEFAULT_POOL_LIMITS, maxNonceGap: 10, maxQueuedPerSender: 2 });
    const ctx = ctxWith();
    expect(rejection(() => pool.add(tx(0, 10n), ctx))).toBe('nonce too high');
    pool.add(tx(0, 5n), ctx);
    pool.add(tx(0, 6n), ctx);
    expect(rejection(() => pool.add(tx(0, 7n), ctx))).toBe('account limit exceeded');
    // executable txs are not queued: the run from the state nonce is always accepted
    for (let n = 0n; n < 5n; n++) pool.add(tx(0, n), ctx);
    pool.add(tx(0, 7n), ctx);
    expect(pool.counts(ctx.nonceOf)).toEqual({ pending: 8, queued: 0 });
  });
});

describe('TxPool capacity: a guaranteed share per sender, eviction when full', () => {
  it('a sender may go past its guaranteed share while the pool has room', () => {
    const pool = new TxPool({ ...DEFAULT_POOL_LIMITS, maxTotal: 10, minPerSender: 2 });
    const ctx = ctxWith();
    for (let n = 0n; n < 8n; n++) pool.add(tx(0, n), ctx);
    expect(pool.size).toBe(8);
  });

  it('a full pool evicts the cheapest tail tx of a sender over its share, never opening a gap', () => {
    const pool = new TxPool({ ...DEFAULT_POOL_LIMITS, maxTotal: 5, minPerSender: 2 });
    const ctx = ctxWith();
    for (let n = 0n; n < 4n; n++) pool.add(tx(0, n), ctx);
    pool.add(tx(1, 0n), ctx);
    // sender 2 tips more than sender 0's tail: sender 0's nonce-3 tx makes room
    const r = pool.add(tx(2, 0n, { maxPriorityFeePerGas: 2n * GWEI, maxFeePerGas: 3n * GWEI }), ctx);
    expect(r.evicted.map((t) => [t.from, t.nonce])).toEqual([[accts[0].address, 3n]]);
    expect(pool.pendingNonce(accts[0].address, 0n)).toBe(3n);
    // a newcomer that does not outbid the cheapest evictable tail is underpriced
    expect(rejection(() => pool.add(tx(3, 0n), ctx))).toBe('transaction underpriced');
    // a sender over its share cannot push its own earlier txs out by appending
    expect(rejection(() => pool.add(tx(0, 3n, { maxPriorityFeePerGas: 5n * GWEI, maxFeePerGas: 6n * GWEI }), ctx))).toBe('txpool is full');
  });

  it('txpool is full when every sender is within its guaranteed share', () => {
    const pool = new TxPool({ ...DEFAULT_POOL_LIMITS, maxTotal: 3, minPerSender: 2 });
    const ctx = ctxWith();
    pool.add(tx(0, 0n), ctx);
    pool.add(tx(0, 1n), ctx);
    pool.add(tx(1, 0n), ctx);
    const e = (() => {
      try {
        pool.add(tx(2, 0n, { maxPriorityFeePerGas: 9n * GWEI, maxFeePerGas: 10n * GWEI }), ctx);
      } catch (err) {
        return err as TxPoolError;
      }
      throw new Error('expected a rejection');
    })();
    expect(e.message).toBe('txpool is full');
    expect(e.data).toMatchObject({ reason: 'every sender is within its guaranteed share' });
  });

  it('one sender\'s burst of 1,000 sequential txs is pooled in full and selected in nonce order', () => {
    const pool = new TxPool();
    const nonces = new Map<Address, bigint>();
    const ctx = ctxWith(nonces);
    const burst = Array.from({ length: 1_000 }, (_, n) => tx(0, BigInt(n)));
    // batches may arrive out of order: the later one waits queued until the earlier fills the gap
    for (const t of [...burst.slice(500), ...burst.slice(0, 500)]) pool.add(t, ctx);
    expect(pool.counts(ctx.nonceOf)).toEqual({ pending: 1_000, queued: 0 });
    let mined = 0n;
    while (pool.size > 0) {
      const block = pool.select(10_000_000n, GWEI, ctx.nonceOf);
      expect(block.map((t) => t.nonce)).toEqual(block.map((_, i) => mined + BigInt(i)));
      mined += BigInt(block.length);
      nonces.set(accts[0].address, mined);
      pool.prune([accts[0].address], ctx.nonceOf);
    }
    expect(mined).toBe(1_000n);
  });
});

describe('TxPool replacement', () => {
  it('needs +10 % on both fee cap and tip', () => {
    const pool = new TxPool();
    const ctx = ctxWith();
    const first = tx(0, 0n, { maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 10n * GWEI });
    pool.add(first, ctx);
    const nine = tx(0, 0n, { maxFeePerGas: 109n * GWEI, maxPriorityFeePerGas: 11n * GWEI });
    expect(rejection(() => pool.add(nine, ctx))).toBe('replacement transaction underpriced');
    const capOnly = tx(0, 0n, { maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: 10n * GWEI });
    expect(rejection(() => pool.add(capOnly, ctx))).toBe('replacement transaction underpriced');
    const ten = tx(0, 0n, { maxFeePerGas: 110n * GWEI, maxPriorityFeePerGas: 11n * GWEI });
    expect(pool.add(ten, ctx).replaced?.hash).toBe(first.hash);
    expect(pool.has(first.hash)).toBe(false);
    expect(pool.has(ten.hash)).toBe(true);
    expect(pool.size).toBe(1);
  });
});

describe('TxPool nonce ordering', () => {
  it('keeps gaps queued until filled, then selects in nonce order', () => {
    const pool = new TxPool();
    const nonces = new Map<Address, bigint>();
    const ctx = ctxWith(nonces);
    const nonceOf = ctx.nonceOf;
    pool.add(tx(0, 0n), ctx);
    pool.add(tx(0, 2n), ctx);
    expect(pool.counts(nonceOf)).toEqual({ pending: 1, queued: 1 });
    expect(pool.pendingNonce(accts[0].address, 0n)).toBe(1n);
    expect(pool.select(30_000_000n, GWEI, nonceOf).map((t) => t.nonce)).toEqual([0n]);
    pool.add(tx(0, 1n), ctx);
    expect(pool.counts(nonceOf)).toEqual({ pending: 3, queued: 0 });
    expect(pool.select(30_000_000n, GWEI, nonceOf).map((t) => t.nonce)).toEqual([0n, 1n, 2n]);
    // after a block with nonces 0 and 1 the pool keeps only 2
    nonces.set(accts[0].address, 2n);
    expect(pool.prune([accts[0].address], nonceOf)).toHaveLength(2);
    expect(pool.all().map((t) => t.nonce)).toEqual([2n]);
  });

  it('expires queued txs after their lifetime, never pending ones', () => {
    const pool = new TxPool();
    const ctx = ctxWith();
    pool.add(tx(0, 0n), ctx, 1_000);
    pool.add(tx(0, 2n), ctx, 1_000);
    pool.add(tx(0, 3n), ctx, 5_000);
    expect(pool.evictQueued(2_000, ctx.nonceOf)).toHaveLength(1);
    expect(pool.all().map((t) => t.nonce)).toEqual([0n, 3n]);
    expect(pool.evictQueued(10_000, ctx.nonceOf)).toHaveLength(1);
    expect(pool.all().map((t) => t.nonce)).toEqual([0n]);
  });

  it('orders senders by effective tip, ties by arrival, and stops at the gas limit', () => {
    const pool = new TxPool();
    const ctx = ctxWith();
    pool.add(tx(0, 0n, { maxPriorityFeePerGas: 1n }), ctx);
    pool.add(tx(1, 0n, { maxPriorityFeePerGas: 5n }), ctx);
    pool.add(tx(2, 0n, { maxPriorityFeePerGas: 5n }), ctx);
    pool.add(tx(1, 1n, { maxPriorityFeePerGas: 1n }), ctx);
    const picked = pool.select(30_000_000n, GWEI, ctx.nonceOf);
    expect(picked.map((t) => [t.from, t.nonce])).toEqual([
      [accts[1].address, 0n],
      [accts[2].address, 0n],
      [accts[0].address, 0n],
      [accts[1].address, 1n],
    ]);
    expect(pool.select(42_000n, GWEI, ctx.nonceOf)).toHaveLength(2);
  });

  it('property: a selection is gas-bounded and each sender runs consecutive nonces from its state nonce', () => {
    // pre-sign a small universe of txs, then add random subsets in random order
    const universe: SignedTx[] = [];
    for (let s = 0; s < 3; s++) for (let n = 0n; n < 5n; n++) universe.push(tx(s, n, { maxPriorityFeePerGas: BigInt(1 + ((s * 7 + Number(n)) % 4)) }));
    fc.assert(
      fc.property(fc.array(fc.nat(universe.length - 1), { maxLength: 40 }), fc.nat(10), (order, gasTxs) => {
        const pool = new TxPool();
        const ctx = ctxWith();
        for (const i of order) {
          try {
            pool.add(universe[i], ctx);
          } catch (e) {
            if (!(e instanceof TxPoolError)) throw e;
          }
        }
        const picked = pool.select(BigInt(gasTxs) * 21_000n, GWEI, ctx.nonceOf);
        expect(picked.length).toBeLessThanOrEqual(gasTxs);
        const next = new Map<Address, bigint>();
        for (const t of picked) {
          expect(t.nonce).toBe(next.get(t.from) ?? 0n);
          next.set(t.from, t.nonce + 1n);
        }
        const { pending, queued } = pool.counts(ctx.nonceOf);
        expect(pending + queued).toBe(pool.size);
      }),
      { numRuns: 200 },
    );
  });
});

describe('TxPool per-sender bookkeeping', () => {
  // signing is slow: one pool of signed txs (sender 0, nonces 0..23, two fee levels) reused by every run
  const signed = new Map<string, SignedTx>();
  const txAt = (nonce: number, bump: boolean): SignedTx => {
    const k = `${nonce}:${bump}`;
    let t = signed.get(k);
    if (!t) {
      t = tx(0, BigInt(nonce), bump ? { maxFeePerGas: 4n * GWEI, maxPriorityFeePerGas: 2n * GWEI, value: 7n } : {});
      signed.set(k, t);
    }
    return t;
  };

  it('counts only txs at or above the state nonce while the prune of a block is pending, also after a removal', () => {
    const pool = new TxPool();
    const c = 21_000n * 2n * GWEI + 1n;
    let balance = 100n * c;
    let stateNonce = 0n;
    const ctx = { ...ctxWith(), nonceOf: () => stateNonce, balanceOf: () => balance };
    for (let n = 0n; n < 4n; n++) pool.add(tx(0, n), ctx);
    // a block included nonces 0..2; its prune has not run yet
    stateNonce = 3n;
    balance = 3n * c - 1n;
    pool.add(tx(0, 4n), ctx); // 3 and 4: 2c
    pool.remove(pool.all()[0].hash); // a stale tx leaves
    // 3, 4 and 5 cost 3c > balance
    expect(rejection(() => pool.add(tx(0, 5n), ctx))).toBe('transaction would cause overdraft');
    expect(pool.pendingNonce(accts[0].address, stateNonce)).toBe(5n);
  });

  it('pending nonce and affordability agree with a walk over the pooled txs, whatever the order of adds, replacements and prunes', () => {
    // mostly adds near the pending end (long runs, as bursts make), some gaps, blocks and removals
    const op = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('add' as const), ahead: fc.integer({ min: -2, max: 6 }), bump: fc.boolean() }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('next' as const), bump: fc.boolean() }), weight: 4 },
      { arbitrary: fc.record({ kind: fc.constant('block' as const), advance: fc.integer({ min: 0, max: 3 }), prune: fc.boolean() }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('remove' as const), nonce: fc.integer({ min: 0, max: 23 }) }), weight: 1 },
    );
    // balances on the edges of whole numbers of txs make the affordability boundary matter
    const balances = fc.oneof(fc.bigInt({ min: 0n, max: 10n * 21_000n * 4n * GWEI }), fc.integer({ min: 0, max: 12 }).map((k) => BigInt(k) * (21_000n * 2n * GWEI + 1n)));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), balances, (ops, balance) => {
        const pool = new TxPool({ ...DEFAULT_POOL_LIMITS, maxNonceGap: 64 });
        const a = accts[0].address;
        let stateNonce = 0n;
        const ctx = { ...ctxWith(new Map(), balance), nonceOf: () => stateNonce };
        for (const o of ops) {
          if (o.kind === 'block') {
            // a block includes the sender's next `advance` txs (or other txs of its: the state nonce moves on)
            stateNonce += BigInt(o.advance);
            // without a prune the pool holds stale txs below the state nonce for a while
            if (o.prune) pool.prune([a], () => stateNonce);
          } else if (o.kind === 'remove') {
            const p = pool.all().find((t) => t.nonce === BigInt(o.nonce));
            if (p) pool.remove(p.hash);
          } else {
            const n = o.kind === 'next' ? Number(pool.pendingNonce(a, stateNonce)) : Number(stateNonce) + o.ahead;
            const t = txAt(n < 0 ? 0 : n > 23 ? 23 : n, o.bump);
            const pooled = pool.all();
            // the reference: what runs before this tx, and where the sender's run of nonces ends
            const before = pooled.filter((p) => p.nonce < t.nonce && p.nonce >= stateNonce).reduce((s, p) => s + p.gasLimit * p.maxFeePerGas + p.value, 0n);
            const affordable = balance >= before + t.gasLimit * t.maxFeePerGas + t.value;
            let err: unknown = null;
            try {
              pool.add(t, ctx);
            } catch (e) {
              err = e;
            }
            if (err !== null && ['insufficient funds for gas * price + value', 'transaction would cause overdraft'].includes((err as TxPoolError).message)) expect(affordable).toBe(false);
            else if (t.nonce >= stateNonce && err === null) expect(affordable).toBe(true);
          }
          let walk = stateNonce;
          const nonces = new Set(pool.all().map((p) => p.nonce));
          while (nonces.has(walk)) walk++;
          expect(pool.pendingNonce(a, stateNonce)).toBe(walk);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
