// Typed read/write of the slashing module's records (keys.ts).
import { decodeAbiParameters, encodeAbiParameters, getAbiItem } from 'viem';
import { bytesToHex, hexToBytes } from '../../crypto/hash.ts';
import type { StateStore } from '../../store/store.ts';
import { encodeWords, readWord } from '../../store/words.ts';
import type { Address } from '../../types.ts';
import { slashingAbi } from './abi.ts';
import { BURNED_KEY, countKey, slashKey } from './keys.ts';

export interface SlashRecord {
  reason: number;
  taskId: bigint;
  blockNumber: bigint;
  amount: bigint;
  taken: bigint;
  beneficiary: Address;
  toBeneficiary: bigint;
  harmed: Address;
  toHarmed: bigint;
  burned: bigint;
}

const slashType = getAbiItem({ abi: slashingAbi, name: 'slashesOf' }).outputs[0].components;
const recordType = [{ type: 'tuple', components: slashType }] as const;

function word(store: StateStore, key: Uint8Array): bigint {
  const v = store.get(key);
  return v === undefined ? 0n : readWord(v, 0);
}

export function slashCount(store: StateStore, a: Address): bigint {
  return word(store, countKey(a));
}

export function appendSlash(store: StateStore, a: Address, r: SlashRecord): void {
  const n = slashCount(store, a);
  store.set(slashKey(a, n), hexToBytes(encodeAbiParameters(recordType, [r])));
  store.set(countKey(a), encodeWords(n + 1n));
}

export function slashesOf(store: StateStore, a: Address): SlashRecord[] {
  const out: SlashRecord[] = [];
  const n = slashCount(store, a);
  for (let i = 0n; i < n; i++) {
    const v = store.get(slashKey(a, i));
    if (v === undefined) continue;
    const [r] = decodeAbiParameters(recordType, bytesToHex(v));
    out.push({ ...r, beneficiary: r.beneficiary.toLowerCase() as Address, harmed: r.harmed.toLowerCase() as Address });
  }
  return out;
}

export function totalBurned(store: StateStore): bigint {
  return word(store, BURNED_KEY);
}

export function setTotalBurned(store: StateStore, v: bigint): void {
  store.set(BURNED_KEY, encodeWords(v));
}
