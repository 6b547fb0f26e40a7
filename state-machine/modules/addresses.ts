// Fixed system addresses of the native modules (ARCHITECTURE.md) and their 1-byte state-key prefixes.
import type { Address } from '../types.ts';

export const MODULE_ADDRESSES = {
  accounts: '0x0000000000000000000000000000000000000a01',
  stake: '0x0000000000000000000000000000000000000a02',
  task: '0x0000000000000000000000000000000000000a03',
  slashing: '0x0000000000000000000000000000000000000a04',
  verde: '0x0000000000000000000000000000000000000a05',
  bridge: '0x0000000000000000000000000000000000000a06',
  /** the canonical Multicall3 address, which viem and ethers know */
  multicall3: '0xca11bde05977b3631167028862be2a173976ca11',
} as const satisfies Record<string, Address>;

export type ModuleName = keyof typeof MODULE_ADDRESSES;

/** First byte of every state key a module owns. */
export const MODULE_PREFIX = {
  accounts: 0x01,
  stake: 0x02,
  task: 0x03,
  slashing: 0x04,
  verde: 0x05,
  bridge: 0x06,
  multicall3: 0x07, // reserved: Multicall3 keeps no state
} as const satisfies Record<ModuleName, number>;

/** Default fee vault: a plain account (no code) that receives every fee. */
export const DEFAULT_FEE_VAULT: Address = '0x0000000000000000000000000000000000000fee';

/**
 * What eth_getCode returns for a module address: 0xfe, the EVM's INVALID opcode. Tools see a
 * contract, and if anything ever tried to run it as EVM code it would revert rather than act.
 */
export const MODULE_CODE = '0xfe' as const;
