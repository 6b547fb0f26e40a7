// The accounts module: genesis allocations and read-only views over balances, nonces and supply.
import { encodeFunctionResult, type Hex } from 'viem';
import { checkedAdd } from '../../errors.ts';
import type { Address } from '../../types.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { decodeCall, type CallContext, type HookContext, type Module } from '../framework.ts';
import { accountsAbi } from './abi.ts';
import { credit, getBalance, getNonce, getTotalSupply, setTotalSupply } from './ledger.ts';

const VIEW_GAS = 2_600n;

export const accountsModule: Module = {
  name: 'accounts',
  address: MODULE_ADDRESSES.accounts,
  abi: accountsAbi,
  methods: {
    balanceOf: { gas: VIEW_GAS, payable: false },
    nonceOf: { gas: VIEW_GAS, payable: false },
    totalSupply: { gas: VIEW_GAS, payable: false },
    feeVault: { gas: VIEW_GAS, payable: false },
  },

  initGenesis(ctx: HookContext): void {
    let supply = getTotalSupply(ctx.store);
    for (const [address, amount] of Object.entries(ctx.genesis.alloc)) {
      credit(ctx.store, address as Address, amount);
      supply = checkedAdd(supply, amount);
    }
    setTotalSupply(ctx.store, supply);
  },

  handle(ctx: CallContext, data: Hex): Hex {
    const call = decodeCall(accountsAbi, data);
    switch (call.functionName) {
      case 'balanceOf':
        return encodeFunctionResult({ abi: accountsAbi, functionName: 'balanceOf', result: getBalance(ctx.store, lower(call.args[0])) });
      case 'nonceOf':
        return encodeFunctionResult({ abi: accountsAbi, functionName: 'nonceOf', result: getNonce(ctx.store, lower(call.args[0])) });
      case 'totalSupply':
        return encodeFunctionResult({ abi: accountsAbi, functionName: 'totalSupply', result: getTotalSupply(ctx.store) });
      case 'feeVault':
        return encodeFunctionResult({ abi: accountsAbi, functionName: 'feeVault', result: ctx.genesis.modules.accounts.feeVault });
    }
  },
};

function lower(a: string): Address {
  return a.toLowerCase() as Address;
}
