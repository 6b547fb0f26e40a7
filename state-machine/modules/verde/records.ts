// Typed read/write of the verde module's records (keys.ts).
import { decodeAbiParameters, encodeAbiParameters, getAbiItem } from 'viem';
import { bytesToHex, hexToBytes, type Bytes, type Hex } from '../../crypto/hash.ts';
import type { StateStore } from '../../store/store.ts';
import { encodeWords, readWord } from '../../store/words.ts';
import type { Tensor } from '../../repops/tensor.ts';
import { tensorBytes, tensorFromBytes } from '../../repops/tensor-hash.ts';
import type { Address } from '../../types.ts';
import { verdeAbi } from './abi.ts';
import { COUNT_KEY, disputeKey, inputKey, taskDisputeKey, trailKey, uploadKey } from './keys.ts';

export const Level = { Checkpoints: 1, Steps: 2, Ops: 3, Referee: 4, Resolved: 5 } as const;
export const Outcome = { Open: 0, SolverWon: 1, ChallengerWon: 2, BothLost: 3 } as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];

const disputeType = getAbiItem({ abi: verdeAbi, name: 'getDispute' }).outputs;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type DisputeRecord = Mutable<ReturnType<typeof decodeDispute>>;
function decodeDispute(v: Bytes) {
  return decodeAbiParameters(disputeType, bytesToHex(v))[0];
}

/** What the game keeps beyond the public record: earlier levels' roots and a round's first reveal. */
export interface Trail {
  /** 0: whistleblower (level 1 entry); 1: spot-check (entered at level 2 with a segment) */
  entry: number;
  solverTrace: Hex;
  challengerTrace: Hex;
  solverSegment: Hex;
  challengerSegment: Hex;
  /** C_{t-1} once proven at level 4 */
  agreedState: Hex;
  /** the first reveal of the current round, by `pendingBy` */
  pending: Hex[];
  pendingBy: Address;
}

const trailType = [{
  type: 'tuple',
  components: [
    { name: 'entry', type: 'uint8' },
    { name: 'solverTrace', type: 'bytes32' },
    { name: 'challengerTrace', type: 'bytes32' },
    { name: 'solverSegment', type: 'bytes32' },
    { name: 'challengerSegment', type: 'bytes32' },
    { name: 'agreedState', type: 'bytes32' },
    { name: 'pending', type: 'bytes32[]' },
    { name: 'pendingBy', type: 'address' },
  ],
}] as const;

const lower = (a: string): Address => a.toLowerCase() as Address;

export function getDispute(store: StateStore, id: bigint): DisputeRecord | undefined {
  const v = store.get(disputeKey(id));
  if (v === undefined) return undefined;
  const d = decodeDispute(v);
  return { ...d, solver: lower(d.solver), challenger: lower(d.challenger) };
}

export function setDispute(store: StateStore, d: DisputeRecord): void {
  store.set(disputeKey(d.id), hexToBytes(encodeAbiParameters(disputeType, [d])));
}

export function getTrail(store: StateStore, id: bigint): Trail {
  const v = store.get(trailKey(id));
  if (v === undefined) throw new RangeError(`dispute ${id} has no trail`);
  const [t] = decodeAbiParameters(trailType, bytesToHex(v));
  return { ...t, pending: [...t.pending], pendingBy: lower(t.pendingBy) };
}

export function setTrail(store: StateStore, id: bigint, t: Trail | undefined): void {
  if (t === undefined) store.delete(trailKey(id));
  else store.set(trailKey(id), hexToBytes(encodeAbiParameters(trailType, [t])));
}

export function disputeCount(store: StateStore): bigint {
  const v = store.get(COUNT_KEY);
  return v === undefined ? 0n : readWord(v, 0);
}

export function setDisputeCount(store: StateStore, n: bigint): void {
  store.set(COUNT_KEY, encodeWords(n));
}

export function disputeOfTask(store: StateStore, taskId: bigint): bigint {
  const v = store.get(taskDisputeKey(taskId));
  return v === undefined ? 0n : readWord(v, 0);
}

export function setDisputeOfTask(store: StateStore, taskId: bigint, id: bigint): void {
  store.set(taskDisputeKey(taskId), encodeWords(id));
}

/** A proven input tensor, kept until the referee runs: dtype ‖ rank ‖ u32le dims ‖ LE bytes. */
export function setInput(store: StateStore, id: bigint, input: number, t: Tensor | undefined): void {
  if (t === undefined) {
    store.delete(inputKey(id, input));
    return;
  }
  const head = new Uint8Array(2 + 4 * t.shape.length);
  const view = new DataView(head.buffer);
  head[0] = t.dtype === 'f32' ? 0 : 1;
  head[1] = t.shape.length;
  t.shape.forEach((d, i) => view.setUint32(2 + 4 * i, d, true));
  const body = tensorBytes(t);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  store.set(inputKey(id, input), out);
}

export function getInput(store: StateStore, id: bigint, input: number): Tensor | undefined {
  const v = store.get(inputKey(id, input));
  if (v === undefined) return undefined;
  const rank = v[1];
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(2 + 4 * i, true));
  return tensorFromBytes(v[0] === 0 ? 'f32' : 'i32', shape, v.subarray(2 + 4 * rank));
}

export function getUpload(store: StateStore, id: bigint, input: number): Bytes {
  return store.get(uploadKey(id, input)) ?? new Uint8Array(0);
}

export function setUpload(store: StateStore, id: bigint, input: number, bytes: Bytes): void {
  if (bytes.length === 0) store.delete(uploadKey(id, input));
  else store.set(uploadKey(id, input), bytes);
}
