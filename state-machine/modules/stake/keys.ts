// State keys of the stake module (prefix 0x02).
//   0x02 ‖ 0x01 ‖ staker(20)   → abi.encode(uint256 bonded, withdrawable, locked, jailedUntil); absent = 0s
//   0x02 ‖ 0x02 ‖ staker(20)   → abi.encode((uint256 amount, startedAt, maturesAt)[]), oldest first
//   0x02 ‖ 0x03                → abi.encode(uint256 totalBonded)
//   0x02 ‖ 0x04 ‖ block(8, BE) → abi.encode(address[]) stakers with an entry maturing at that block
import { hexToBytes, uintToBytes, type Bytes } from '../../crypto/hash.ts';
import type { Address } from '../../types.ts';
import { MODULE_PREFIX } from '../addresses.ts';

const P = MODULE_PREFIX.stake;

function addressKey(tag: number, a: Address): Bytes {
  const k = new Uint8Array(22);
  k[0] = P;
  k[1] = tag;
  k.set(hexToBytes(a), 2);
  return k;
}

export const stakerKey = (a: Address): Bytes => addressKey(0x01, a);
export const unbondingKey = (a: Address): Bytes => addressKey(0x02, a);
export const TOTAL_KEY: Bytes = new Uint8Array([P, 0x03]);
export const STAKER_KEY_PREFIX: Bytes = new Uint8Array([P, 0x01]);
export const UNBONDING_KEY_PREFIX: Bytes = new Uint8Array([P, 0x02]);

export function maturityKey(block: bigint): Bytes {
  const k = new Uint8Array(10);
  k[0] = P;
  k[1] = 0x04;
  k.set(uintToBytes(block, 8), 2);
  return k;
}
