// Typed read/write of the stake module's state records (ABI-encoded values, see keys.ts).
import { decodeAbiParameters, encodeAbiParameters } from 'viem';
import { bytesToHex, hexToBytes } from '../../crypto/hash.ts';
import { encodeWords, readWord } from '../../store/words.ts';
import type { Address } from '../../types.ts';
import type { StateStore } from '../../store/store.ts';
import { STAKER_KEY_PREFIX, TOTAL_KEY, UNBONDING_KEY_PREFIX, maturityKey, stakerKey, unbondingKey } from './keys.ts';

export interface StakerRecord {
  bonded: bigint;
  withdrawable: bigint;
  /** part of bonded held as collateral by other modules; cannot be unbonded */
  locked: bigint;
  /** block until which the staker is jailed (0 = never jailed) */
  jailedUntil: bigint;
}

export interface UnbondingEntry {
  amount: bigint;
  /** block the entry was created: a slash for an offence at or before it can take from it */
  startedAt: bigint;
  maturesAt: bigint;
}

const EMPTY: StakerRecord = { bonded: 0n, withdrawable: 0n, locked: 0n, jailedUntil: 0n };
const entriesType = [
  { type: 'tuple[]', components: [{ name: 'amount', type: 'uint256' }, { name: 'startedAt', type: 'uint256' }, { name: 'maturesAt', type: 'uint256' }] },
] as const;
const addressesType = [{ type: 'address[]' }] as const;

export function getStaker(store: StateStore, a: Address): StakerRecord {
  const v = store.get(stakerKey(a));
  return v === undefined ? { ...EMPTY } : decodeStaker(v);
}

export function setStaker(store: StateStore, a: Address, r: StakerRecord): void {
  const key = stakerKey(a);
  if (r.bonded === 0n && r.withdrawable === 0n && r.locked === 0n && r.jailedUntil === 0n) store.delete(key);
  else store.set(key, encodeWords(r.bonded, r.withdrawable, r.locked, r.jailedUntil));
}

function decodeStaker(v: Uint8Array): StakerRecord {
  return { bonded: readWord(v, 0), withdrawable: readWord(v, 1), locked: readWord(v, 2), jailedUntil: readWord(v, 3) };
}

/** Every staker record, sorted by address (invariant checks, exports). */
export function listStakers(store: StateStore): [Address, StakerRecord][] {
  return store.entriesWithPrefix(STAKER_KEY_PREFIX).map(([k, v]) => [bytesToHex(k.subarray(2)), decodeStaker(v)]);
}

/** Every staker with unbonding entries, sorted by address. */
export function listUnbonding(store: StateStore): [Address, UnbondingEntry[]][] {
  return store.entriesWithPrefix(UNBONDING_KEY_PREFIX).map(([k]) => {
    const a = bytesToHex(k.subarray(2));
    return [a, getUnbonding(store, a)];
  });
}

export function getUnbonding(store: StateStore, a: Address): UnbondingEntry[] {
  const v = store.get(unbondingKey(a));
  if (v === undefined) return [];
  const [entries] = decodeAbiParameters(entriesType, bytesToHex(v));
  return entries.map((e) => ({ amount: e.amount, startedAt: e.startedAt, maturesAt: e.maturesAt }));
}

export function setUnbonding(store: StateStore, a: Address, entries: readonly UnbondingEntry[]): void {
  const key = unbondingKey(a);
  if (entries.length === 0) store.delete(key);
  else store.set(key, hexToBytes(encodeAbiParameters(entriesType, [entries])));
}

export function getTotalBonded(store: StateStore): bigint {
  const v = store.get(TOTAL_KEY);
  return v === undefined ? 0n : readWord(v, 0);
}

export function setTotalBonded(store: StateStore, total: bigint): void {
  if (total === 0n) store.delete(TOTAL_KEY);
  else store.set(TOTAL_KEY, encodeWords(total));
}

export function getMaturing(store: StateStore, block: bigint): Address[] {
  const v = store.get(maturityKey(block));
  if (v === undefined) return [];
  const [list] = decodeAbiParameters(addressesType, bytesToHex(v));
  return list.map((x) => x.toLowerCase() as Address);
}

export function setMaturing(store: StateStore, block: bigint, stakers: readonly Address[]): void {
  const key = maturityKey(block);
  if (stakers.length === 0) store.delete(key);
  else store.set(key, hexToBytes(encodeAbiParameters(addressesType, [stakers])));
}
