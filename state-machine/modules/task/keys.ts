// State keys of the task module (prefix 0x03).
//   0x03 ‖ 0x01 ‖ id(8)               → abi.encode(Task) (ITask.sol), the view getTask returns
//   0x03 ‖ 0x02 ‖ id(8)               → the spec bytes as submitted
//   0x03 ‖ 0x03                       → abi.encode(uint256 taskCount)
//   0x03 ‖ 0x04 ‖ account(20) ‖ id(8) → 0x01: `account` takes part in task `id` (tasksOf)
//   0x03 ‖ 0x05 ‖ account(20)         → abi.encode(Score)
//   0x03 ‖ 0x06 ‖ block(8)            → abi.encode(uint256[]) tasks whose draw uses block's hash
//   0x03 ‖ 0x07 ‖ id(8)               → bytes32 draw seed = sha256(hash(drawBlock) ‖ id)
//   0x03 ‖ 0x08 ‖ id(8)               → abi.encode(DataChallenge)
//   0x03 ‖ 0x09 ‖ id(8)               → tensor hashes of the posted checkpoint so far (32 bytes each)
//   0x03 ‖ 0x0a ‖ id(8)               → bytes of the tensor being posted
//   0x03 ‖ 0x0b ‖ id(8)               → abi.encode(uint256[]) per verifier: bit m = its m-th segment attested
import { hexToBytes, uintToBytes, type Bytes } from '../../crypto/hash.ts';
import type { Address } from '../../types.ts';
import { MODULE_PREFIX } from '../addresses.ts';

const P = MODULE_PREFIX.task;

function idKey(tag: number, id: bigint): Bytes {
  const k = new Uint8Array(10);
  k.set([P, tag]);
  k.set(uintToBytes(id, 8), 2);
  return k;
}

function accountKey(tag: number, a: Address, id?: bigint): Bytes {
  const k = new Uint8Array(id === undefined ? 22 : 30);
  k.set([P, tag]);
  k.set(hexToBytes(a), 2);
  if (id !== undefined) k.set(uintToBytes(id, 8), 22);
  return k;
}

export const taskKey = (id: bigint): Bytes => idKey(0x01, id);
export const specKey = (id: bigint): Bytes => idKey(0x02, id);
export const COUNT_KEY: Bytes = new Uint8Array([P, 0x03]);
export const participantKey = (a: Address, id: bigint): Bytes => accountKey(0x04, a, id);
export const participantPrefix = (a: Address): Bytes => accountKey(0x04, a);
export const scoreKey = (a: Address): Bytes => accountKey(0x05, a);
export const SCORE_PREFIX: Bytes = new Uint8Array([P, 0x05]);
export const drawQueueKey = (block: bigint): Bytes => idKey(0x06, block);
export const seedKey = (id: bigint): Bytes => idKey(0x07, id);
export const dataChallengeKey = (id: bigint): Bytes => idKey(0x08, id);
export const postedHashesKey = (id: bigint): Bytes => idKey(0x09, id);
export const partialTensorKey = (id: bigint): Bytes => idKey(0x0a, id);
export const attestMaskKey = (id: bigint): Bytes => idKey(0x0b, id);
