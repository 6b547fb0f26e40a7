// State keys of the verde module (prefix 0x05).
//   0x05 ‖ 0x01 ‖ id(8)              → abi.encode(Dispute) (IVerde.sol)
//   0x05 ‖ 0x02 ‖ id(8)              → abi.encode(Trail): roots of finished levels, first reveal of a round
//   0x05 ‖ 0x03                      → abi.encode(uint256 disputeCount)
//   0x05 ‖ 0x04 ‖ taskId(8)          → abi.encode(uint256 disputeId) of the task's latest dispute
//   0x05 ‖ 0x05 ‖ id(8) ‖ input(4)   → a proven referee input: dtype(1) ‖ rank(1) ‖ u32le dims ‖ bytes
//   0x05 ‖ 0x06 ‖ id(8) ‖ input(4)   → bytes uploaded so far for an input
import { uintToBytes, type Bytes } from '../../crypto/hash.ts';
import { MODULE_PREFIX } from '../addresses.ts';

const P = MODULE_PREFIX.verde;

function key(tag: number, id: bigint, input?: number): Bytes {
  const k = new Uint8Array(input === undefined ? 10 : 14);
  k.set([P, tag]);
  k.set(uintToBytes(id, 8), 2);
  if (input !== undefined) k.set(uintToBytes(BigInt(input), 4), 10);
  return k;
}

export const disputeKey = (id: bigint): Bytes => key(0x01, id);
export const trailKey = (id: bigint): Bytes => key(0x02, id);
export const COUNT_KEY: Bytes = new Uint8Array([P, 0x03]);
export const taskDisputeKey = (taskId: bigint): Bytes => key(0x04, taskId);
export const inputKey = (id: bigint, input: number): Bytes => key(0x05, id, input);
export const uploadKey = (id: bigint, input: number): Bytes => key(0x06, id, input);
