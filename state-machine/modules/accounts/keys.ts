// State keys of the accounts module (prefix 0x01).
//   0x01 ‖ 0x01 ‖ address(20) → abi.encode(uint256 nonce, uint256 balance); absent = (0, 0)
//   0x01 ‖ 0x02               → abi.encode(uint256 totalSupply)
import { hexToBytes, type Bytes } from '../../crypto/hash.ts';
import type { Address } from '../../chain/types.ts';
import { MODULE_PREFIX } from '../addresses.ts';

const P = MODULE_PREFIX.accounts;

export function accountKey(address: Address): Bytes {
  const k = new Uint8Array(22);
  k[0] = P;
  k[1] = 0x01;
  k.set(hexToBytes(address), 2);
  return k;
}

export const ACCOUNT_KEY_PREFIX: Bytes = new Uint8Array([P, 0x01]);
export const SUPPLY_KEY: Bytes = new Uint8Array([P, 0x02]);
