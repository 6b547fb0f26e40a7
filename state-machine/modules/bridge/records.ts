// Typed read/write of the bridge module's records (keys.ts): the deposit nonce, bridged token
// balances and totals, withdrawals, and the withdrawals tree, stored node by node so a withdrawal
// costs 32 hashes and a proof 32 reads at any block.
import { encodeAbiParameters } from 'viem';
import { bytesToHex, hexToBytes, keccak256, type Bytes, type Hex } from '../../crypto/hash.ts';
import { checkedAdd, checkedSub } from '../../errors.ts';
import { hashPair, zeroHash } from '../../merkle/tree.ts';
import type { StateStore } from '../../store/store.ts';
import { encodeWords, readWord } from '../../store/words.ts';
import type { Address } from '../../types.ts';
import { NEXT_DEPOSIT_KEY, WITHDRAWAL_COUNT_KEY, tokenBalanceKey, tokenTotalsKey, treeNodeKey, withdrawalKey } from './keys.ts';

export const WITHDRAWALS_TREE_DEPTH = 32;
export const MAX_WITHDRAWALS = 1n << BigInt(WITHDRAWALS_TREE_DEPTH);
/** ZERO_NODES[h] = root of an empty subtree of height h */
const ZERO_NODES: readonly Bytes[] = Array.from({ length: WITHDRAWALS_TREE_DEPTH + 1 }, (_, h) => zeroHash(h, keccak256));
export const EMPTY_WITHDRAWALS_ROOT: Hex = bytesToHex(ZERO_NODES[WITHDRAWALS_TREE_DEPTH]);

export interface Withdrawal {
  nonce: bigint;
  l2Sender: Address;
  l1Recipient: Address;
  token: Address;
  amount: bigint;
}

export interface TokenTotals {
  /** bridged balance outstanding on L2 (ERC-20s only; ETH's is the native total supply) */
  supply: bigint;
  deposited: bigint;
  withdrawn: bigint;
}

function word(store: StateStore, key: Bytes): bigint {
  const v = store.get(key);
  return v === undefined ? 0n : readWord(v, 0);
}

function asAddress(w: bigint): Address {
  return `0x${w.toString(16).padStart(40, '0')}` as Address;
}

export function nextDepositNonce(store: StateStore): bigint {
  return word(store, NEXT_DEPOSIT_KEY);
}

export function setNextDepositNonce(store: StateStore, n: bigint): void {
  store.set(NEXT_DEPOSIT_KEY, encodeWords(n));
}

export function tokenBalance(store: StateStore, token: Address, owner: Address): bigint {
  return word(store, tokenBalanceKey(token, owner));
}

export function setTokenBalance(store: StateStore, token: Address, owner: Address, v: bigint): void {
  const k = tokenBalanceKey(token, owner);
  if (v === 0n) store.delete(k);
  else store.set(k, encodeWords(v));
}

export function tokenTotals(store: StateStore, token: Address): TokenTotals {
  const v = store.get(tokenTotalsKey(token));
  if (v === undefined) return { supply: 0n, deposited: 0n, withdrawn: 0n };
  return { supply: readWord(v, 0), deposited: readWord(v, 1), withdrawn: readWord(v, 2) };
}

export function addTokenTotals(store: StateStore, token: Address, deposited: bigint, withdrawn: bigint, isEth: boolean): void {
  const t = tokenTotals(store, token);
  const supply = isEth ? 0n : checkedSub(checkedAdd(t.supply, deposited), withdrawn);
  store.set(tokenTotalsKey(token), encodeWords(supply, checkedAdd(t.deposited, deposited), checkedAdd(t.withdrawn, withdrawn)));
}

export function withdrawalCount(store: StateStore): bigint {
  return word(store, WITHDRAWAL_COUNT_KEY);
}

/** The withdrawal hash, which is its leaf: keccak256(abi.encode(nonce, l2Sender, l1Recipient, token, amount)). */
export function withdrawalLeaf(w: Withdrawal): Hex {
  const enc = encodeAbiParameters(
    [{ type: 'uint256' }, { type: 'address' }, { type: 'address' }, { type: 'address' }, { type: 'uint256' }],
    [w.nonce, w.l2Sender, w.l1Recipient, w.token, w.amount],
  );
  return bytesToHex(keccak256(hexToBytes(enc)));
}

function node(store: StateStore, level: number, index: bigint): Bytes {
  return store.get(treeNodeKey(level, index)) ?? ZERO_NODES[level];
}

/** Appends `w` (whose nonce must be the current count) and updates the path to the root. */
export function appendWithdrawal(store: StateStore, w: Withdrawal): Hex {
  const index = withdrawalCount(store);
  if (w.nonce !== index) throw new RangeError(`withdrawal nonce ${w.nonce} is not the next index ${index}`);
  const leaf = withdrawalLeaf(w);
  store.set(withdrawalKey(index), encodeWords(w.nonce, BigInt(w.l2Sender), BigInt(w.l1Recipient), BigInt(w.token), w.amount));
  let h = hexToBytes(leaf);
  let i = index;
  store.set(treeNodeKey(0, i), h);
  for (let level = 0; level < WITHDRAWALS_TREE_DEPTH; level++) {
    const sibling = node(store, level, i ^ 1n);
    h = (i & 1n) === 0n ? hashPair(h, sibling, keccak256) : hashPair(sibling, h, keccak256);
    i >>= 1n;
    store.set(treeNodeKey(level + 1, i), h);
  }
  store.set(WITHDRAWAL_COUNT_KEY, encodeWords(index + 1n));
  return leaf;
}

export function withdrawalAt(store: StateStore, index: bigint): Withdrawal | undefined {
  const v = store.get(withdrawalKey(index));
  if (v === undefined) return undefined;
  return { nonce: readWord(v, 0), l2Sender: asAddress(readWord(v, 1)), l1Recipient: asAddress(readWord(v, 2)), token: asAddress(readWord(v, 3)), amount: readWord(v, 4) };
}

export function withdrawalsRootOf(store: StateStore): Hex {
  return bytesToHex(node(store, WITHDRAWALS_TREE_DEPTH, 0n));
}

export function withdrawalLeafAt(store: StateStore, index: bigint): Hex {
  return bytesToHex(node(store, 0, index));
}

/** The 32 siblings of leaf `index`, bottom-up (Portal.merkleRootOf's order). */
export function withdrawalSiblings(store: StateStore, index: bigint): Hex[] {
  const out: Hex[] = [];
  let i = index;
  for (let level = 0; level < WITHDRAWALS_TREE_DEPTH; level++) {
    out.push(bytesToHex(node(store, level, i ^ 1n)));
    i >>= 1n;
  }
  return out;
}
