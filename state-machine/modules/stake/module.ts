// The stake module: bond (payable), beginUnbond, withdraw, views, and an end-block hook that
// matures unbonding entries. All staked value sits in this module's own account.
import { encodeFunctionResult, getAbiItem, type Hex } from 'viem';
import { checkedAdd, checkedSub } from '../../errors.ts';
import { SupplyInvariantError } from '../../chain/errors.ts';
import type { Address } from '../../chain/types.ts';
import { getBalance, transfer } from '../accounts/ledger.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { eventLog } from '../events.ts';
import { decodeCall, type CallContext, type HookContext, type Module } from '../framework.ts';
import { RevertError } from '../revert.ts';
import { stakeAbi } from './abi.ts';
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
  if (ctx.value === 0n) throw new RevertError('bond: zero value');
  const r = getStaker(ctx.store, ctx.caller);
  const bonded = checkedAdd(r.bonded, ctx.value);
  if (bonded < ctx.genesis.modules.stake.minBond) throw new RevertError('bond: below minimum bond');
  setStaker(ctx.store, ctx.caller, { bonded, withdrawable: r.withdrawable });
  setTotalBonded(ctx.store, checkedAdd(getTotalBonded(ctx.store), ctx.value));
  ctx.logs.push(eventLog(ADDRESS, bondedEvent, [ctx.caller, ctx.value, bonded]));
}

function beginUnbond(ctx: CallContext, amount: bigint): void {
  if (amount === 0n) throw new RevertError('beginUnbond: zero amount');
  const r = getStaker(ctx.store, ctx.caller);
  if (amount > r.bonded) throw new RevertError('beginUnbond: insufficient stake');
  const rest = r.bonded - amount;
  const { minBond, unbondingPeriodBlocks } = ctx.genesis.modules.stake;
  if (rest !== 0n && rest < minBond) throw new RevertError('beginUnbond: remaining stake below minimum bond');
  const entries = getUnbonding(ctx.store, ctx.caller);
  if (entries.length >= MAX_UNBONDING_ENTRIES) throw new RevertError('beginUnbond: too many unbonding entries');
  const maturesAt = checkedAdd(ctx.env.number, unbondingPeriodBlocks);
  setUnbonding(ctx.store, ctx.caller, [...entries, { amount, maturesAt }]);
  const queue = getMaturing(ctx.store, maturesAt);
  if (!queue.includes(ctx.caller)) setMaturing(ctx.store, maturesAt, [...queue, ctx.caller]);
  setStaker(ctx.store, ctx.caller, { bonded: rest, withdrawable: r.withdrawable });
  setTotalBonded(ctx.store, checkedSub(getTotalBonded(ctx.store), amount));
  ctx.logs.push(eventLog(ADDRESS, unbondStartedEvent, [ctx.caller, amount, maturesAt]));
}

function withdraw(ctx: CallContext): void {
  const r = getStaker(ctx.store, ctx.caller);
  if (r.withdrawable === 0n) throw new RevertError('withdraw: nothing matured');
  setStaker(ctx.store, ctx.caller, { bonded: r.bonded, withdrawable: 0n });
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
    setStaker(ctx.store, s, { bonded: r.bonded, withdrawable: checkedAdd(r.withdrawable, sum) });
  }
  setMaturing(ctx.store, n, []);
}

/** The stake account holds exactly bonded + unbonding + withdrawable, and totalBonded adds up. */
function checkInvariants(ctx: HookContext): void {
  let bonded = 0n;
  let owed = 0n;
  for (const [, r] of listStakers(ctx.store)) {
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

  endBlock: matureUnbonding,
  checkInvariants,
};
