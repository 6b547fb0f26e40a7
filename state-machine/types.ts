// Primitives every part of the state machine shares: addresses and logs. Chain-level records
// (transactions, receipts, headers) live in chain/types.ts; module records beside their module.
import type { Hex } from './crypto/hash.ts';

/** 0x + 40 lowercase hex digits. */
export type Address = Hex;

/** An Ethereum log: emitted by a module, carried in a receipt, matched by eth_getLogs. */
export interface Log {
  address: Address;
  topics: Hex[];
  data: Hex;
}
