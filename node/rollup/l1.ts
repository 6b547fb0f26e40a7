// The L1 connection the rollup services share: a viem public client with a per-request timeout and
// retries, and a sender that posts one transaction at a time from a key and waits for its receipt.
// The sender refuses to send while an earlier transaction of the same account is still pending
// (pending nonce > mined nonce): after a crash that left a post in the L1 mempool, the caller waits
// for it to be mined and then reads L1 again, so a post is never sent twice.
import {
  createPublicClient,
  createWalletClient,
  http,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { l1TxReverted } from './errors.ts';
import type { Logger } from '../../infra/logger.ts';

export interface L1ConnectOptions {
  /** per request, ms */
  timeoutMs?: number;
  retryCount?: number;
}

export function l1PublicClient(url: string, o: L1ConnectOptions = {}): PublicClient {
  return createPublicClient({ transport: http(url, { timeout: o.timeoutMs ?? 5_000, retryCount: o.retryCount ?? 2, retryDelay: 200 }) });
}

export type SendResult = { kind: 'mined'; receipt: TransactionReceipt } | { kind: 'in-flight' };

export class L1Sender {
  readonly account: Account;
  private readonly wallet: WalletClient;

  constructor(
    readonly pub: PublicClient,
    url: string,
    key: Hex,
    o: L1ConnectOptions = {},
  ) {
    this.account = privateKeyToAccount(key);
    this.wallet = createWalletClient({ account: this.account, transport: http(url, { timeout: o.timeoutMs ?? 5_000, retryCount: 0 }) });
  }

  get address(): Address {
    return this.account.address;
  }

  /** True when a transaction of this account sits in the L1 mempool. */
  async hasPending(): Promise<boolean> {
    const [mined, pending] = await Promise.all([
      this.pub.getTransactionCount({ address: this.address, blockTag: 'latest' }),
      this.pub.getTransactionCount({ address: this.address, blockTag: 'pending' }),
    ]);
    return pending > mined;
  }

  /**
   * Sends `data` to `to` with the mined nonce (so two sends can never both land) and waits for the
   * receipt; a revert throws ROLLUP_L1_TX_REVERTED. Returns in-flight without sending while an
   * earlier transaction is pending.
   */
  async send(what: string, to: Address, data: Hex, receiptTimeoutMs = 60_000): Promise<SendResult> {
    if (await this.hasPending()) return { kind: 'in-flight' };
    const nonce = await this.pub.getTransactionCount({ address: this.address, blockTag: 'latest' });
    const hash = await this.wallet.sendTransaction({ account: this.account, chain: null, to, data, nonce });
    const receipt = await this.pub.waitForTransactionReceipt({ hash, timeout: receiptTimeoutMs, pollingInterval: 250 });
    if (receipt.status !== 'success') throw l1TxReverted(what, hash);
    return { kind: 'mined', receipt };
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `step` every `pollMs` until the signal aborts. A failed step is retried after an exponential
 * backoff (up to 30 s), logged as `${what} failed; retrying`; when `fatal(e)` says retrying cannot
 * mend an error, the loop ends instead (the caller has recorded why).
 */
export async function pollLoop(o: { step: () => Promise<unknown>; pollMs: number; signal: AbortSignal; logger: Logger; what: string; fatal?: (e: unknown) => boolean }): Promise<void> {
  let failures = 0;
  while (!o.signal.aborted) {
    try {
      await o.step();
      failures = 0;
      await sleep(o.pollMs, o.signal);
    } catch (e) {
      if (o.fatal?.(e)) return;
      failures++;
      const backoff = Math.min(o.pollMs * 2 ** Math.min(failures, 5), 30_000);
      o.logger.warn({ err: e, failures, retryMs: backoff }, `${o.what} failed; retrying`);
      await sleep(backoff, o.signal);
    }
  }
}
