// What other modules may do with stake (handed to them by app.ts through their expected.ts
// interfaces): lock and unlock collateral, slash, jail, and list who may be drawn.
// Slashed value stays in the stake account; the slashing module moves it out (pays or burns).
import { checkedAdd, checkedSub } from '../../errors.ts';
import type { Address } from '../../types.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { eventLog } from '../events.ts';
import type { ModuleContext } from '../framework.ts';
import { getAbiItem } from 'viem';
import { stakeAbi } from './abi.ts';
import { stakeErrors } from './errors.ts';
import { getStaker, getTotalBonded, getUnbonding, listStakers, setStaker, setTotalBonded, setUnbonding } from './records.ts';

const ADDRESS = MODULE_ADDRESSES.stake;
const lockedEvent = getAbiItem({ abi: stakeAbi, name: 'Locked' });
const unlockedEvent = getAbiItem({ abi: stakeAbi, name: 'Unlocked' });
const slashedEvent = getAbiItem({ abi: stakeAbi, name: 'StakeSlashed' });
const jailedEvent = getAbiItem({ abi: stakeAbi, name: 'Jailed' });

export interface Candidate {
  address: Address;
  /** unlocked bond: the weight of a stake-weighted draw */
  weight: bigint;
}

export function unlockedOf(ctx: Pick<ModuleContext, 'store'>, a: Address): bigint {
  const r = getStaker(ctx.store, a);
  return r.bonded - r.locked;
}

/** Jailed at `block`: jailed until a block at or after it (0 = never jailed). */
export function isJailedAt(until: bigint, block: bigint): boolean {
  return until !== 0n && until >= block;
}

export function jailedUntil(ctx: Pick<ModuleContext, 'store'>, a: Address): bigint {
  return getStaker(ctx.store, a).jailedUntil;
}

/** Locks `amount` of `a`'s unlocked bond; reverts when there is not enough. */
export function lock(ctx: ModuleContext, a: Address, amount: bigint, what: string): void {
  const r = getStaker(ctx.store, a);
  const unlocked = r.bonded - r.locked;
  if (amount > unlocked) throw stakeErrors.insufficientUnlocked(unlocked, amount, what);
  if (amount === 0n) return;
  const locked = checkedAdd(r.locked, amount);
  setStaker(ctx.store, a, { ...r, locked });
  ctx.logs.push(eventLog(ADDRESS, lockedEvent, [a, amount, locked]));
}

/** Releases up to `amount` of `a`'s lock (less when a slash already took the bond below it). */
export function unlock(ctx: ModuleContext, a: Address, amount: bigint): void {
  const r = getStaker(ctx.store, a);
  const released = amount < r.locked ? amount : r.locked;
  if (released === 0n) return;
  const locked = r.locked - released;
  setStaker(ctx.store, a, { ...r, locked });
  ctx.logs.push(eventLog(ADDRESS, unlockedEvent, [a, released, locked]));
}

/**
 * Takes up to `amount` from `a`: first the bond (a lock shrinks with it), then unbonding entries
 * that started at or after `offenceBlock`, newest first (an entry begun earlier escaped before the
 * offence, as in Cosmos). Returns what was taken; it stays in the stake account.
 */
export function slashStake(ctx: ModuleContext, a: Address, amount: bigint, offenceBlock: bigint): bigint {
  const r = getStaker(ctx.store, a);
  const fromBond = amount < r.bonded ? amount : r.bonded;
  let rest = amount - fromBond;
  if (fromBond > 0n) {
    const bonded = r.bonded - fromBond;
    setStaker(ctx.store, a, { ...r, bonded, locked: r.locked < bonded ? r.locked : bonded });
    setTotalBonded(ctx.store, checkedSub(getTotalBonded(ctx.store), fromBond));
  }
  let fromUnbonding = 0n;
  if (rest > 0n) {
    const entries = getUnbonding(ctx.store, a);
    for (let i = entries.length - 1; i >= 0 && rest > 0n; i--) {
      const e = entries[i];
      if (e.startedAt < offenceBlock) continue;
      const take = rest < e.amount ? rest : e.amount;
      entries[i] = { ...e, amount: e.amount - take };
      rest -= take;
      fromUnbonding += take;
    }
    // a fully taken entry is dropped; its maturity queue entry finds nothing and is harmless
    if (fromUnbonding > 0n) setUnbonding(ctx.store, a, entries.filter((e) => e.amount > 0n));
  }
  const taken = fromBond + fromUnbonding;
  if (taken > 0n) ctx.logs.push(eventLog(ADDRESS, slashedEvent, [a, fromBond, fromUnbonding]));
  return taken;
}

/** Jails `a` until block `until` (never shortens an existing jail). */
export function jail(ctx: ModuleContext, a: Address, until: bigint): void {
  const r = getStaker(ctx.store, a);
  if (until <= r.jailedUntil) return;
  setStaker(ctx.store, a, { ...r, jailedUntil: until });
  ctx.logs.push(eventLog(ADDRESS, jailedEvent, [a, until]));
}

/**
 * Stakers not jailed at `block` whose unlocked bond is at least `minUnlocked`, sorted by address
 * (a deterministic order for the draw). O(stakers).
 */
export function candidates(ctx: Pick<ModuleContext, 'store'>, minUnlocked: bigint, block: bigint): Candidate[] {
  const out: Candidate[] = [];
  for (const [address, r] of listStakers(ctx.store)) {
    const weight = r.bonded - r.locked;
    if (weight >= minUnlocked && weight > 0n && !isJailedAt(r.jailedUntil, block)) out.push({ address, weight });
  }
  return out;
}

/** The keeper object app.ts hands to modules that expect stake. */
export const stakeKeeper = { unlockedOf, jailedUntil, isJailedAt, lock, unlock, slash: slashStake, jail, candidates };
export type StakeKeeper = typeof stakeKeeper;
