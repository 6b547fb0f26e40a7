// State keys of the bridge module (prefix 0x06).
//   0x06 ‖ 0x01                          → abi.encode(uint256 nextDepositNonce)
//   0x06 ‖ 0x02                          → abi.encode(uint256 withdrawalCount)
//   0x06 ‖ 0x03 ‖ level(1) ‖ index(4)    → bytes32 node of the withdrawals tree (level 0 = leaves;
//                                          absent = the empty subtree's hash of that level)
//   0x06 ‖ 0x04 ‖ index(4)               → abi.encode(Withdrawal) (IBridge.sol)
//   0x06 ‖ 0x05 ‖ token(20) ‖ owner(20)  → abi.encode(uint256) bridged token balance
//   0x06 ‖ 0x06 ‖ token(20)              → abi.encode(uint256 supply, uint256 deposited, uint256 withdrawn)
//                                          (token = zero address: ETH; supply unused for ETH)
import { hexToBytes, uintToBytes, type Bytes } from '../../crypto/hash.ts';
import type { Address } from '../../types.ts';
import { MODULE_PREFIX } from '../addresses.ts';

const P = MODULE_PREFIX.bridge;

export const NEXT_DEPOSIT_KEY: Bytes = new Uint8Array([P, 0x01]);
export const WITHDRAWAL_COUNT_KEY: Bytes = new Uint8Array([P, 0x02]);

export function treeNodeKey(level: number, index: bigint): Bytes {
  const k = new Uint8Array(7);
  k.set([P, 0x03, level]);
  k.set(uintToBytes(index, 4), 3);
  return k;
}

export function withdrawalKey(index: bigint): Bytes {
  const k = new Uint8Array(6);
  k.set([P, 0x04]);
  k.set(uintToBytes(index, 4), 2);
  return k;
}

export function tokenBalanceKey(token: Address, owner: Address): Bytes {
  const k = new Uint8Array(42);
  k.set([P, 0x05]);
  k.set(hexToBytes(token), 2);
  k.set(hexToBytes(owner), 22);
  return k;
}

export function tokenTotalsKey(token: Address): Bytes {
  const k = new Uint8Array(22);
  k.set([P, 0x06]);
  k.set(hexToBytes(token), 2);
  return k;
}
