// Errors of the rollup glue (L1 watcher, batcher, proposer, derivation). Codes are stable.
import { VerityError } from '../../state-machine/errors.ts';

export class RollupError extends VerityError {
  constructor(code: string, message: string, data?: Record<string, unknown>) {
    super(code, message, data);
  }
}

/** The L1 answered something that cannot be right (a log from another contract, a nonce gap, a bad hash). */
export const l1Garbage = (what: string, data?: Record<string, unknown>) => new RollupError('ROLLUP_L1_GARBAGE', `L1 RPC returned bad data: ${what}`, data);

/** A block the watcher had taken as confirmed left the L1 chain: the feed stops (credits cannot be undone). */
export const deepReorg = (number: bigint, had: string, now: string) =>
  new RollupError('ROLLUP_L1_DEEP_REORG', `L1 block ${number} changed from ${had} to ${now} after it was confirmed`, { number: number.toString(), had, now });

/** An L1 transaction of the batcher or proposer reverted. */
export const l1TxReverted = (what: string, hash: string) => new RollupError('ROLLUP_L1_TX_REVERTED', `${what}: L1 transaction ${hash} reverted`, { hash });

/** Derivation found L2 data that disagrees with L1 (or with itself). Derivation stops. */
export class DerivationError extends RollupError {
  constructor(code: string, message: string, data?: Record<string, unknown>) {
    super(code, message, data);
  }
}
