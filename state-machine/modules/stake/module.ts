// The stake module: bond (payable), beginUnbond, withdraw, views, genesis bonds, and an end-block
// hook that matures unbonding entries. All staked value sits in this module's own account. Locks,
// slashes and jail come from other modules through keeper.ts.
import { encodeFunctionResult, getAbiItem, type Hex } from 'viem';
import { checkedAdd, checkedSub } from '../../errors.ts';
import { SupplyInvariantError } from '../../chain/errors.ts';
import type { Address } from '../../types.ts';
import { credit, getBalance, getTotalSupply, setTotalSupply, transfer } from '../accounts/ledger.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { eventLog } from '../events.ts';
import { decodeCall, type CallContext, type HookContext, type Module } from '../framework.ts';
import { stakeAbi } from './abi.ts';
import { stakeErrors } from './errors.ts';
import { isJailedAt } from './keeper.ts';
import {
  getMaturing,
  getStaker,
  getTotalBonded,
  getUnbonding,
  listStakers,
  listUnbonding,
  setMaturing,
  setStaker,
  setTotalBonded,
  setUnbonding,
} from './records.ts';

const ADDRESS = MODULE_ADDRESSES.stake;
/** Bounds the work of one beginUnbond and one end-block maturation per staker. */
export const MAX_UNBONDING_ENTRIES = 16;
const VIEW_GAS = 2_600n;

const bondedEvent = getAbiItem({ abi: stakeAbi, name: 'Bonded' });
const unbondStartedEvent = getAbiItem({ abi: stakeAbi, name: 'UnbondStarted' });
const withdrawnEvent = getAbiItem({ abi: stakeAbi, name: 'Withdrawn' });

function bond(ctx: CallContext): void {
  if (ctx.value === 0n) throw stakeErrors.zeroAmount('bond');
  const r = getStaker(ctx.store, ctx.caller);
  const bonded = checkedAdd(r.bonded, ctx.value);
  const { minBond } = ctx.genesis.modules.stake;
  if (bonded < minBond) throw stakeErrors.belowMinimumBond(bonded, minBond, 'bond');
  setStaker(ctx.store, ctx.caller, { ...r, bonded });
  setTotalBonded(ctx.store, checkedAdd(getTotalBonded(ctx.store), ctx.value));
  ctx.logs.push(eventLog(ADDRESS, bondedEvent, [ctx.caller, ctx.value, bonded]));
}

function beginUnbond(ctx: CallContext, amount: bigint): void {
  if (amount === 0n) throw stakeErrors.zeroAmount('beginUnbond');
  const r = getStaker(ctx.store, ctx.caller);
  const unlocked = r.bonded - r.locked;
  if (amount > unlocked) throw stakeErrors.insufficientUnlocked(unlocked, amount, 'beginUnbond');
  const rest = r.bonded - amount;
  const { minBond, unbondingPeriodBlocks } = ctx.genesis.modules.stake;
  if (rest !== 0n && rest < minBond) throw stakeErrors.belowMinimumBond(rest, minBond, 'beginUnbond: remaining stake');
  const entries = getUnbonding(ctx.store, ctx.caller);
  if (entries.length >= MAX_UNBONDING_ENTRIES) throw stakeErrors.tooManyEntries(MAX_UNBONDING_ENTRIES);
  const maturesAt = checkedAdd(ctx.env.number, unbondingPeriodBlocks);
  setUnbonding(ctx.store, ctx.caller, [...entries, { amount, startedAt: ctx.env.number, maturesAt }]);
  const queue = getMaturing(ctx.store, maturesAt);
  if (!queue.includes(ctx.caller)) setMaturing(ctx.store, maturesAt, [...queue, ctx.caller]);
  setStaker(ctx.store, ctx.caller, { ...r, bonded: rest });
  setTotalBonded(ctx.store, checkedSub(getTotalBonded(ctx.store), amount));
  ctx.logs.push(eventLog(ADDRESS, unbondStartedEvent, [ctx.caller, amount, maturesAt]));
}

function withdraw(ctx: CallContext): void {
  const r = getStaker(ctx.store, ctx.caller);
  if (r.withdrawable === 0n) throw stakeErrors.nothingToWithdraw();
  setStaker(ctx.store, ctx.caller, { ...r, withdrawable: 0n });
  transfer(ctx.store, ADDRESS, ctx.caller, r.withdrawable);
  ctx.logs.push(eventLog(ADDRESS, withdrawnEvent, [ctx.caller, r.withdrawable]));
}

/** Moves every entry maturing at this block into its staker's withdrawable balance. */
function matureUnbonding(ctx: HookContext): void {
  const n = ctx.env.number;
  const stakers = getMaturing(ctx.store, n);
  if (stakers.length === 0) return;
  for (const s of stakers) {
    const entries = getUnbonding(ctx.store, s);
    const matured = entries.filter((e) => e.maturesAt <= n);
    if (matured.length === 0) continue;
    const sum = matured.reduce((acc, e) => checkedAdd(acc, e.amount), 0n);
    setUnbonding(ctx.store, s, entries.filter((e) => e.maturesAt > n));
    const r = getStaker(ctx.store, s);
    setStaker(ctx.store, s, { ...r, withdrawable: checkedAdd(r.withdrawable, sum) });
  }
  setMaturing(ctx.store, n, []);
}

/** Genesis bonds are minted into the stake account: total supply includes them. */
function initGenesis(ctx: HookContext): void {
  let total = 0n;
  for (const [a, amount] of Object.entries(ctx.genesis.modules.stake.bonds)) {
    const r = getStaker(ctx.store, a as Address);
    setStaker(ctx.store, a as Address, { ...r, bonded: checkedAdd(r.bonded, amount) });
    total = checkedAdd(total, amount);
  }
  if (total === 0n) return;
  credit(ctx.store, ADDRESS, total);
  setTotalSupply(ctx.store, checkedAdd(getTotalSupply(ctx.store), total));
  setTotalBonded(ctx.store, checkedAdd(getTotalBonded(ctx.store), total));
}

/** The stake account holds exactly bonded + unbonding + withdrawable, totalBonded adds up, locks fit. */
function checkInvariants(ctx: HookContext): void {
  let bonded = 0n;
  let owed = 0n;
  for (const [a, r] of listStakers(ctx.store)) {
    if (r.locked > r.bonded) throw new SupplyInvariantError(`stake: ${a} has ${r.locked} locked of ${r.bonded} bonded`, { staker: a });
    bonded += r.bonded;
    owed += r.bonded + r.withdrawable;
  }
  for (const [, entries] of listUnbonding(ctx.store)) for (const e of entries) owed += e.amount;
  const total = getTotalBonded(ctx.store);
  const held = getBalance(ctx.store, ADDRESS);
  if (bonded !== total || owed !== held) {
    throw new SupplyInvariantError(`stake: bonded ${bonded} vs total ${total}, owed ${owed} vs held ${held}`, { bonded, total, owed, held });
  }
}

function lower(a: string): Address {
  return a.toLowerCase() as Address;
}

export const stakeModule: Module = {
  name: 'stake',
  address: ADDRESS,
  abi: stakeAbi,
  methods: {
    bond: { gas: 40_000n, payable: true },
    beginUnbond: { gas: 60_000n, payable: false },
    withdraw: { gas: 30_000n, payable: false },
    stakeOf: { gas: VIEW_GAS, payable: false },
    lockedOf: { gas: VIEW_GAS, payable: false },
    unlockedOf: { gas: VIEW_GAS, payable: false },
    stakerOf: { gas: VIEW_GAS, payable: false },
    isJailed: { gas: VIEW_GAS, payable: false },
    totalStaked: { gas: VIEW_GAS, payable: false },
    unbondingOf: { gas: VIEW_GAS, payable: false },
    withdrawableOf: { gas: VIEW_GAS, payable: false },
    unbondingPeriod: { gas: VIEW_GAS, payable: false },
    minBond: { gas: VIEW_GAS, payable: false },
  },

  handle(ctx: CallContext, data: Hex): Hex {
    const call = decodeCall(stakeAbi, data);
    const abi = stakeAbi;
    switch (call.functionName) {
      case 'bond':
        bond(ctx);
        return '0x';
      case 'beginUnbond':
        beginUnbond(ctx, call.args[0]);
        return '0x';
      case 'withdraw':
        withdraw(ctx);
        return '0x';
      case 'stakeOf':
        return encodeFunctionResult({ abi, functionName: 'stakeOf', result: getStaker(ctx.store, lower(call.args[0])).bonded });
      case 'lockedOf':
        return encodeFunctionResult({ abi, functionName: 'lockedOf', result: getStaker(ctx.store, lower(call.args[0])).locked });
      case 'unlockedOf': {
        const r = getStaker(ctx.store, lower(call.args[0]));
        return encodeFunctionResult({ abi, functionName: 'unlockedOf', result: r.bonded - r.locked });
      }
      case 'stakerOf': {
        const a = lower(call.args[0]);
        const r = getStaker(ctx.store, a);
        const unbonding = getUnbonding(ctx.store, a).reduce((s, e) => s + e.amount, 0n);
        return encodeFunctionResult({
          abi, functionName: 'stakerOf', result: { bonded: r.bonded, locked: r.locked, withdrawable: r.withdrawable, unbonding, jailedUntil: r.jailedUntil },
        });
      }
      case 'isJailed':
        return encodeFunctionResult({ abi, functionName: 'isJailed', result: isJailedAt(getStaker(ctx.store, lower(call.args[0])).jailedUntil, ctx.env.number) });
      case 'totalStaked':
        return encodeFunctionResult({ abi, functionName: 'totalStaked', result: getTotalBonded(ctx.store) });
      case 'unbondingOf':
        return encodeFunctionResult({ abi, functionName: 'unbondingOf', result: getUnbonding(ctx.store, lower(call.args[0])) });
      case 'withdrawableOf':
        return encodeFunctionResult({ abi, functionName: 'withdrawableOf', result: getStaker(ctx.store, lower(call.args[0])).withdrawable });
      case 'unbondingPeriod':
        return encodeFunctionResult({ abi, functionName: 'unbondingPeriod', result: ctx.genesis.modules.stake.unbondingPeriodBlocks });
      case 'minBond':
        return encodeFunctionResult({ abi, functionName: 'minBond', result: ctx.genesis.modules.stake.minBond });
    }
  },

  initGenesis,
  endBlock: matureUnbonding,
  checkInvariants,
};
