// State keys of the accounts module (prefix 0x01).
//   0x01 ‖ 0x01 ‖ address(20) → abi.encode(uint256 nonce, uint256 balance); absent = (0, 0)
//   0x01 ‖ 0x02               → abi.encode(uint256 totalSupply)
import { hexToBytes, type Bytes } from '../../crypto/hash.ts';
import type { Address } from '../../types.ts';
import { MODULE_PREFIX } from '../addresses.ts';

const P = MODULE_PREFIX.accounts;

// Keys by address (shared: callers must not mutate them); each tx needs its sender's ~8 times.
// Bounded: cleared when it fills.
const keys = new Map<Address, Bytes>();
const MAX_CACHED_KEYS = 1 << 16;

export function accountKey(address: Address): Bytes {
  let k = keys.get(address);
  if (k === undefined) {
    k = new Uint8Array(22);
    k[0] = P;
    k[1] = 0x01;
    k.set(hexToBytes(address), 2);
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(address, k);
  }
  return k;
}

export const ACCOUNT_KEY_PREFIX: Bytes = new Uint8Array([P, 0x01]);
export const SUPPLY_KEY: Bytes = new Uint8Array([P, 0x02]);
