// State keys of the slashing module (prefix 0x04).
//   0x04 ‖ 0x01 ‖ offender(20)             → abi.encode(uint256 count)
//   0x04 ‖ 0x02 ‖ offender(20) ‖ index(8)  → abi.encode(Slash) (ISlashing.sol), oldest first
//   0x04 ‖ 0x03                            → abi.encode(uint256 totalBurned)
import { hexToBytes, uintToBytes, type Bytes } from '../../crypto/hash.ts';
import type { Address } from '../../types.ts';
import { MODULE_PREFIX } from '../addresses.ts';

const P = MODULE_PREFIX.slashing;

export function countKey(a: Address): Bytes {
  const k = new Uint8Array(22);
  k.set([P, 0x01]);
  k.set(hexToBytes(a), 2);
  return k;
}

export function slashKey(a: Address, index: bigint): Bytes {
  const k = new Uint8Array(30);
  k.set([P, 0x02]);
  k.set(hexToBytes(a), 2);
  k.set(uintToBytes(index, 8), 22);
  return k;
}

export const BURNED_KEY: Bytes = new Uint8Array([P, 0x03]);
