// Errors the node raises on purpose. Mempool rejections carry geth's exact messages, because wallets
// and tools match on them; the RPC layer returns any VerityError with code -32000 and this message.
import { VerityError } from '../state-machine/errors.ts';

/** A transaction refused by the pool. `code` is stable; `message` is geth's text. */
export class TxPoolError extends VerityError {
  constructor(code: string, message: string, data?: Record<string, unknown>) {
    super(code, message, data);
  }
}

export const txPoolErrors = {
  nonceTooLow: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_NONCE_TOO_LOW', 'nonce too low', d),
  insufficientFunds: (d?: Record<string, unknown>) =>
    new TxPoolError('TXPOOL_INSUFFICIENT_FUNDS', 'insufficient funds for gas * price + value', d),
  /** geth's ErrOverdraft: the tx alone is affordable, not on top of the sender's pooled txs */
  overdraft: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_OVERDRAFT', 'transaction would cause overdraft', d),
  intrinsicGas: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_INTRINSIC_GAS', 'intrinsic gas too low', d),
  feeBelowBaseFee: (d?: Record<string, unknown>) =>
    new TxPoolError('TXPOOL_FEE_BELOW_BASE_FEE', 'max fee per gas less than block base fee', d),
  alreadyKnown: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_ALREADY_KNOWN', 'already known', d),
  underpriced: (d?: Record<string, unknown>) =>
    new TxPoolError('TXPOOL_REPLACEMENT_UNDERPRICED', 'replacement transaction underpriced', d),
  invalidChainId: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_INVALID_CHAIN_ID', 'invalid chain id', d),
  oversized: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_OVERSIZED', 'oversized data', d),
  full: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_FULL', 'txpool is full', d),
  /** the pool is full and the tx does not outbid the cheapest evictable one (geth's ErrUnderpriced) */
  poolUnderpriced: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_UNDERPRICED', 'transaction underpriced', d),
  /** a nonce too far ahead of the sender's state nonce */
  nonceTooHigh: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_NONCE_TOO_HIGH', 'nonce too high', d),
  /** the sender already has its share of queued (non-executable) txs (geth's ErrAccountLimitExceeded) */
  accountLimit: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_ACCOUNT_LIMIT', 'account limit exceeded', d),
  gasLimit: (d?: Record<string, unknown>) => new TxPoolError('TXPOOL_GAS_LIMIT', 'exceeds block gas limit', d),
  tipAboveFeeCap: (d?: Record<string, unknown>) =>
    new TxPoolError('TXPOOL_TIP_ABOVE_FEE_CAP', 'max priority fee per gas higher than max fee per gas', d),
  invalid: (reason: string) => new TxPoolError('TXPOOL_INVALID_TX', reason),
};

/** The event log or a snapshot is unreadable or inconsistent with itself. */
export class StoreError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('NODE_STORE', message, data);
  }
}

/** A query the node refuses (range too large, unknown block) — client error, not a node fault. */
export class QueryError extends VerityError {
  constructor(code: string, message: string, data?: Record<string, unknown>) {
    super(code, message, data);
  }
}

/** Bad configuration: names the setting. */
export class ConfigError extends VerityError {
  constructor(setting: string, message: string) {
    super('NODE_CONFIG', `${setting}: ${message}`, { setting });
  }
}
