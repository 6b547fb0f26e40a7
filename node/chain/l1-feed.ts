// What the sequencer asks of L1 at every seal: the newest confirmed L1 block (the next block's
// l1Origin) and the confirmed deposits to include. The L1 watcher (node/rollup) provides it.
import type { Hex } from '../../state-machine/crypto/hash.ts';
import type { Deposit } from '../../state-machine/tx/deposit.ts';

export interface L1Origin {
  number: bigint;
  hash: Hex;
  /** seconds */
  timestamp: bigint;
}

export interface L1Feed {
  /** newest L1 block with the configured confirmations that the watcher has fully scanned (null: none yet) */
  origin(): L1Origin | null;
  /** confirmed deposits with nonce >= fromNonce and l1BlockNumber <= maxL1Block, in nonce order, at most `max`, contiguous from fromNonce */
  deposits(fromNonce: bigint, maxL1Block: bigint, max: number): Deposit[];
}
