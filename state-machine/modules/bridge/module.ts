// The bridge module: L1 deposits credited (through deposit transactions, see tx/deposit.ts),
// withdrawals burned and appended to the withdrawals tree whose root every header carries, and the
// bridged balances of L1 ERC-20s. Supply: an ETH deposit mints, an ETH withdrawal burns; the
// per-block supply check sees both.
import { encodeFunctionResult, getAbiItem, type Hex } from 'viem';
import { checkedAdd } from '../../errors.ts';
import type { Deposit } from '../../tx/deposit.ts';
import { ETH_TOKEN } from '../../tx/deposit.ts';
import type { Address } from '../../types.ts';
import { burn, mint } from '../accounts/ledger.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { eventLog } from '../events.ts';
import { decodeCall, type CallContext, type Module, type ModuleContext } from '../framework.ts';
import { bridgeAbi } from './abi.ts';
import { bridgeErrors } from './errors.ts';
import {
  MAX_WITHDRAWALS,
  addTokenTotals,
  appendWithdrawal,
  nextDepositNonce,
  setNextDepositNonce,
  setTokenBalance,
  tokenBalance,
  tokenTotals,
  withdrawalAt,
  withdrawalCount,
  withdrawalLeafAt,
  withdrawalSiblings,
  withdrawalsRootOf,
} from './records.ts';
import { RevertError } from '../revert.ts';

const ADDRESS = MODULE_ADDRESSES.bridge;
const VIEW_GAS = 2_600n;
/** a withdrawal writes 34 records and hashes 32 times */
const WITHDRAW_GAS = 60_000n;
const abi = bridgeAbi;
const depositEvent = getAbiItem({ abi, name: 'DepositFinalized' });
const withdrawalEvent = getAbiItem({ abi, name: 'WithdrawalInitiated' });
const transferEvent = getAbiItem({ abi, name: 'TokenTransfer' });

function lower(a: string): Address {
  return a.toLowerCase() as Address;
}

/** Credits one deposit. The caller (block execution) has checked its nonce is the next one. */
export function applyDeposit(ctx: ModuleContext, d: Deposit): void {
  const { store } = ctx;
  setNextDepositNonce(store, checkedAdd(d.nonce, 1n));
  if (d.token === ETH_TOKEN) mint(store, d.to, d.amount);
  else setTokenBalance(store, d.token, d.to, checkedAdd(tokenBalance(store, d.token, d.to), d.amount));
  addTokenTotals(store, d.token, d.amount, 0n, d.token === ETH_TOKEN);
  ctx.logs.push(eventLog(ADDRESS, depositEvent, [d.nonce, d.from, d.to, d.token, d.amount, d.l1TxHash]));
}

function initiate(ctx: CallContext, token: Address, l1Recipient: Address, amount: bigint): void {
  const index = withdrawalCount(ctx.store);
  if (index >= MAX_WITHDRAWALS) throw new RevertError('withdrawals tree is full');
  const w = { nonce: index, l2Sender: ctx.caller, l1Recipient, token, amount };
  const leaf = appendWithdrawal(ctx.store, w);
  addTokenTotals(ctx.store, token, 0n, amount, token === ETH_TOKEN);
  ctx.logs.push(eventLog(ADDRESS, withdrawalEvent, [index, ctx.caller, l1Recipient, token, amount, leaf]));
}

function debitToken(ctx: CallContext, token: Address, amount: bigint): void {
  const have = tokenBalance(ctx.store, token, ctx.caller);
  if (have < amount) throw bridgeErrors.insufficient(token, ctx.caller, have, amount);
  setTokenBalance(ctx.store, token, ctx.caller, have - amount);
}

export const bridgeModule: Module = {
  name: 'bridge',
  address: ADDRESS,
  abi,
  methods: {
    withdraw: { gas: WITHDRAW_GAS, payable: true },
    withdrawToken: { gas: WITHDRAW_GAS, payable: false },
    transferToken: { gas: 10_000n, payable: false },
    tokenBalanceOf: { gas: VIEW_GAS, payable: false },
    tokenSupply: { gas: VIEW_GAS, payable: false },
    nextDepositNonce: { gas: VIEW_GAS, payable: false },
    withdrawalCount: { gas: VIEW_GAS, payable: false },
    withdrawalsRoot: { gas: VIEW_GAS, payable: false },
    withdrawalAt: { gas: VIEW_GAS, payable: false },
    withdrawalProof: { gas: 32n * VIEW_GAS, payable: false },
    totalDeposited: { gas: VIEW_GAS, payable: false },
    totalWithdrawn: { gas: VIEW_GAS, payable: false },
  },
  handle(ctx: CallContext, data: Hex): Hex {
    const call = decodeCall(abi, data);
    const { store } = ctx;
    switch (call.functionName) {
      case 'withdraw': {
        const to = lower(call.args[0]);
        if (ctx.value === 0n) throw bridgeErrors.zeroAmount('withdraw');
        if (to === ETH_TOKEN) throw bridgeErrors.zeroRecipient('withdraw');
        // msg.value is already in the module's account: destroy it there
        burn(store, ADDRESS, ctx.value);
        initiate(ctx, ETH_TOKEN, to, ctx.value);
        return '0x';
      }
      case 'withdrawToken': {
        const token = lower(call.args[0]);
        const to = lower(call.args[1]);
        const amount = call.args[2];
        if (token === ETH_TOKEN) throw bridgeErrors.notAToken('withdrawToken');
        if (amount === 0n) throw bridgeErrors.zeroAmount('withdrawToken');
        if (to === ETH_TOKEN) throw bridgeErrors.zeroRecipient('withdrawToken');
        debitToken(ctx, token, amount);
        initiate(ctx, token, to, amount);
        return '0x';
      }
      case 'transferToken': {
        const token = lower(call.args[0]);
        const to = lower(call.args[1]);
        const amount = call.args[2];
        if (token === ETH_TOKEN) throw bridgeErrors.notAToken('transferToken');
        if (to === ETH_TOKEN) throw bridgeErrors.zeroRecipient('transferToken');
        debitToken(ctx, token, amount);
        setTokenBalance(store, token, to, checkedAdd(tokenBalance(store, token, to), amount));
        ctx.logs.push(eventLog(ADDRESS, transferEvent, [token, ctx.caller, to, amount]));
        return '0x';
      }
      case 'tokenBalanceOf':
        return encodeFunctionResult({ abi, functionName: 'tokenBalanceOf', result: tokenBalance(store, lower(call.args[0]), lower(call.args[1])) });
      case 'tokenSupply':
        return encodeFunctionResult({ abi, functionName: 'tokenSupply', result: tokenTotals(store, lower(call.args[0])).supply });
      case 'nextDepositNonce':
        return encodeFunctionResult({ abi, functionName: 'nextDepositNonce', result: nextDepositNonce(store) });
      case 'withdrawalCount':
        return encodeFunctionResult({ abi, functionName: 'withdrawalCount', result: withdrawalCount(store) });
      case 'withdrawalsRoot':
        return encodeFunctionResult({ abi, functionName: 'withdrawalsRoot', result: withdrawalsRootOf(store) });
      case 'withdrawalAt': {
        const w = withdrawalAt(store, call.args[0]);
        if (w === undefined) throw bridgeErrors.indexOutOfRange(call.args[0], withdrawalCount(store));
        return encodeFunctionResult({ abi, functionName: 'withdrawalAt', result: [w.nonce, w.l2Sender, w.l1Recipient, w.token, w.amount] });
      }
      case 'withdrawalProof': {
        const index = call.args[0];
        const count = withdrawalCount(store);
        if (index >= count) throw bridgeErrors.indexOutOfRange(index, count);
        return encodeFunctionResult({ abi, functionName: 'withdrawalProof', result: [withdrawalLeafAt(store, index), withdrawalSiblings(store, index)] });
      }
      case 'totalDeposited':
        return encodeFunctionResult({ abi, functionName: 'totalDeposited', result: tokenTotals(store, lower(call.args[0])).deposited });
      case 'totalWithdrawn':
        return encodeFunctionResult({ abi, functionName: 'totalWithdrawn', result: tokenTotals(store, lower(call.args[0])).withdrawn });
    }
  },
};
