// Typed read/write of the task module's records (keys.ts). Records are ABI-encoded with the
// structs of ITask.sol, so getTask returns the stored bytes' meaning unchanged.
import { decodeAbiParameters, encodeAbiParameters, getAbiItem } from 'viem';
import { bytesToHex, bytesToUint, hexToBytes, type Bytes, type Hex } from '../../crypto/hash.ts';
import type { StateStore } from '../../store/store.ts';
import { encodeWords, readWord } from '../../store/words.ts';
import type { Address } from '../../types.ts';
import { taskAbi } from './abi.ts';
import {
  COUNT_KEY, SCORE_PREFIX, attestMaskKey, dataChallengeKey, drawQueueKey, participantKey, participantPrefix, partialTensorKey,
  postedHashesKey, scoreKey, seedKey, specKey, taskKey,
} from './keys.ts';

export const Status = { Open: 1, Claimed: 2, Committed: 3, Disputed: 4, Finalized: 5, Expired: 6, Cancelled: 7 } as const;
export type StatusCode = (typeof Status)[keyof typeof Status];
export const STATUS_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Status).map(([k, v]) => [v, k]));

/** Verifier status within a task. */
export const VerifierStatus = { Pending: 0, Attested: 1, Challenged: 2, Silent: 3 } as const;

const taskType = getAbiItem({ abi: taskAbi, name: 'getTask' }).outputs;
const dataType = getAbiItem({ abi: taskAbi, name: 'dataChallengeOf' }).outputs;
const scoreType = getAbiItem({ abi: taskAbi, name: 'scoreOf' }).outputs;
const uintsType = [{ type: 'uint256[]' }] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? Mutable<U>[] : T[K] };
export type TaskRecord = Mutable<ReturnType<typeof decodeTask>>;
export type DataChallengeRecord = ReturnType<typeof decodeData>;
export type ScoreRecord = ReturnType<typeof decodeScore>;

function decodeTask(v: Bytes) {
  return decodeAbiParameters(taskType, bytesToHex(v))[0];
}
function decodeData(v: Bytes) {
  return decodeAbiParameters(dataType, bytesToHex(v))[0];
}
function decodeScore(v: Bytes) {
  return decodeAbiParameters(scoreType, bytesToHex(v))[0];
}

function lowerAll(t: TaskRecord): TaskRecord {
  return {
    ...t,
    submitter: lower(t.submitter),
    solver: lower(t.solver),
    challenger: lower(t.challenger),
    verifiers: t.verifiers.map(lower),
    verifierSegments: t.verifierSegments.map((s) => [...s]),
    verifierStatus: [...t.verifierStatus],
  };
}

function lower(a: string): Address {
  return a.toLowerCase() as Address;
}

export function getTask(store: StateStore, id: bigint): TaskRecord | undefined {
  const v = store.get(taskKey(id));
  return v === undefined ? undefined : lowerAll(decodeTask(v) as TaskRecord);
}

export function setTask(store: StateStore, t: TaskRecord): void {
  store.set(taskKey(t.id), hexToBytes(encodeAbiParameters(taskType, [t])));
}

export function getSpec(store: StateStore, id: bigint): Bytes | undefined {
  return store.get(specKey(id));
}

export function setSpec(store: StateStore, id: bigint, spec: Bytes): void {
  store.set(specKey(id), spec);
}

export function taskCount(store: StateStore): bigint {
  const v = store.get(COUNT_KEY);
  return v === undefined ? 0n : readWord(v, 0);
}

export function setTaskCount(store: StateStore, n: bigint): void {
  store.set(COUNT_KEY, encodeWords(n));
}

export function addParticipant(store: StateStore, a: Address, id: bigint): void {
  store.set(participantKey(a, id), new Uint8Array([1]));
}

export function tasksOf(store: StateStore, a: Address): bigint[] {
  return store.entriesWithPrefix(participantPrefix(a)).map(([k]) => bytesToUint(k.subarray(22)));
}

const EMPTY_SCORE: ScoreRecord = { tasksSolved: 0n, tasksVerified: 0n, disputesWon: 0n, disputesLost: 0n, rewardEarned: 0n };

export function getScore(store: StateStore, a: Address): ScoreRecord {
  const v = store.get(scoreKey(a));
  return v === undefined ? { ...EMPTY_SCORE } : decodeScore(v);
}

export function updateScore(store: StateStore, a: Address, change: Partial<ScoreRecord>): void {
  const s = getScore(store, a);
  const next = {
    tasksSolved: s.tasksSolved + (change.tasksSolved ?? 0n),
    tasksVerified: s.tasksVerified + (change.tasksVerified ?? 0n),
    disputesWon: s.disputesWon + (change.disputesWon ?? 0n),
    disputesLost: s.disputesLost + (change.disputesLost ?? 0n),
    rewardEarned: s.rewardEarned + (change.rewardEarned ?? 0n),
  };
  store.set(scoreKey(a), hexToBytes(encodeAbiParameters(scoreType, [next])));
}

export function listScores(store: StateStore): [Address, ScoreRecord][] {
  return store.entriesWithPrefix(SCORE_PREFIX).map(([k, v]) => [bytesToHex(k.subarray(2)), decodeScore(v)]);
}

function getUints(store: StateStore, key: Bytes): bigint[] {
  const v = store.get(key);
  return v === undefined ? [] : [...decodeAbiParameters(uintsType, bytesToHex(v))[0]];
}

function setUints(store: StateStore, key: Bytes, list: readonly bigint[]): void {
  if (list.length === 0) store.delete(key);
  else store.set(key, hexToBytes(encodeAbiParameters(uintsType, [list])));
}

export const getDrawQueue = (store: StateStore, block: bigint): bigint[] => getUints(store, drawQueueKey(block));
export const setDrawQueue = (store: StateStore, block: bigint, ids: readonly bigint[]): void => setUints(store, drawQueueKey(block), ids);
export const getAttestMasks = (store: StateStore, id: bigint): bigint[] => getUints(store, attestMaskKey(id));
export const setAttestMasks = (store: StateStore, id: bigint, masks: readonly bigint[]): void => setUints(store, attestMaskKey(id), masks);

export function getSeed(store: StateStore, id: bigint): Bytes | undefined {
  return store.get(seedKey(id));
}

export function setSeed(store: StateStore, id: bigint, seed: Bytes | undefined): void {
  if (seed === undefined) store.delete(seedKey(id));
  else store.set(seedKey(id), seed);
}

export function getDataChallenge(store: StateStore, id: bigint): DataChallengeRecord | undefined {
  const v = store.get(dataChallengeKey(id));
  if (v === undefined) return undefined;
  const d = decodeData(v);
  return { ...d, requester: lower(d.requester) };
}

export function setDataChallenge(store: StateStore, id: bigint, d: DataChallengeRecord | undefined): void {
  if (d === undefined) store.delete(dataChallengeKey(id));
  else store.set(dataChallengeKey(id), hexToBytes(encodeAbiParameters(dataType, [d])));
}

export function getBytes(store: StateStore, key: Bytes): Bytes {
  return store.get(key) ?? new Uint8Array(0);
}

export function setBytes(store: StateStore, key: Bytes, v: Bytes): void {
  if (v.length === 0) store.delete(key);
  else store.set(key, v);
}

export { partialTensorKey, postedHashesKey };
export type { Hex };
