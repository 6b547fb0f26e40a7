// Multicall3 at its canonical address, as a native module: batches of calls to the other modules
// (and plain accounts), each made from this address with its own revert semantics, plus the block
// and balance getters. It keeps no state of its own. Differences from the EVM contract are listed in
// IMulticall3.sol and docs/tooling.md.
import { encodeFunctionResult, type Hex } from 'viem';
import { checkedAdd } from '../../errors.ts';
import type { Address } from '../../types.ts';
import { getBalance, transfer } from '../accounts/ledger.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { decodeCall, type CallContext, type Module, type SubCallResult } from '../framework.ts';
import { RevertError } from '../revert.ts';
import { multicall3Abi } from './abi.ts';

const ADDRESS = MODULE_ADDRESSES.multicall3;
/** The getters read the block environment or one balance. */
const VIEW_GAS = 2_600n;
/** A batch's own cost; each entry then pays CALL_GAS plus the callee's method gas. */
const BATCH_GAS = 2_100n;
const CALL_GAS = 700n;
const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`;

export const CALL_FAILED = 'Multicall3: call failed';
export const VALUE_MISMATCH = 'Multicall3: value mismatch';
export const VALUE_NOT_FORWARDED = 'Multicall3: value not forwarded';

interface Entry {
  target: Address;
  callData: Hex;
  /** false: a failure reverts the whole batch */
  allowFailure: boolean;
  value: bigint;
}

/** Runs the entries in order; a failing entry that may not fail reverts everything with CALL_FAILED. */
function run(ctx: CallContext, entries: readonly Entry[]): SubCallResult[] {
  const results: SubCallResult[] = [];
  for (const e of entries) {
    ctx.useGas(CALL_GAS);
    const r = ctx.call(e.target, e.value, e.callData);
    if (!r.success && !e.allowFailure) throw new RevertError(CALL_FAILED);
    results.push(r);
  }
  return results;
}

/** blockhash(n) as far as a module can see it: the parent block's hash, zero for any other block. */
function blockHash(ctx: CallContext, n: bigint): Hex {
  return ctx.env.number > 0n && n === ctx.env.number - 1n ? ctx.env.parentHash : ZERO_HASH;
}

const plain = (calls: readonly { target: Address; callData: Hex }[], allowFailure: boolean): Entry[] =>
  calls.map((c) => ({ target: c.target, callData: c.callData, allowFailure, value: 0n }));

const batch = { gas: BATCH_GAS, payable: true };
const view = { gas: VIEW_GAS, payable: false };

export const multicallModule: Module = {
  name: 'multicall3',
  address: ADDRESS,
  abi: multicall3Abi,
  methods: {
    aggregate: batch,
    aggregate3: batch,
    aggregate3Value: batch,
    blockAndAggregate: batch,
    tryAggregate: batch,
    tryBlockAndAggregate: batch,
    getBasefee: view,
    getBlockHash: view,
    getBlockNumber: view,
    getChainId: view,
    getCurrentBlockCoinbase: view,
    getCurrentBlockDifficulty: view,
    getCurrentBlockGasLimit: view,
    getCurrentBlockTimestamp: view,
    getEthBalance: view,
    getLastBlockHash: view,
  },
  handle(ctx: CallContext, data: Hex): Hex {
    const abi = multicall3Abi;
    const call = decodeCall(abi, data);
    // The EVM contract keeps value sent to any batch but aggregate3Value, where nobody can take it
    // back; refuse it instead.
    if (ctx.value > 0n && call.functionName !== 'aggregate3Value') throw new RevertError(VALUE_NOT_FORWARDED);
    switch (call.functionName) {
      case 'aggregate': {
        const results = run(ctx, plain(call.args[0], false));
        return encodeFunctionResult({ abi, functionName: 'aggregate', result: [ctx.env.number, results.map((r) => r.returnData)] });
      }
      case 'tryAggregate':
        return encodeFunctionResult({ abi, functionName: 'tryAggregate', result: run(ctx, plain(call.args[1], !call.args[0])) });
      case 'tryBlockAndAggregate':
      case 'blockAndAggregate': {
        const [requireSuccess, calls] = call.functionName === 'blockAndAggregate' ? [true, call.args[0]] : call.args;
        const results = run(ctx, plain(calls, !requireSuccess));
        // blockhash(block.number), which the EVM contract returns here, is always zero
        return encodeFunctionResult({ abi, functionName: call.functionName, result: [ctx.env.number, ZERO_HASH, results] });
      }
      case 'aggregate3':
        return encodeFunctionResult({ abi, functionName: 'aggregate3', result: run(ctx, call.args[0].map((c) => ({ ...c, value: 0n }))) });
      case 'aggregate3Value': {
        // Checked before any call runs, so no entry ever spends value the caller did not send.
        const total = call.args[0].reduce((sum, c) => checkedAdd(sum, c.value), 0n);
        if (total !== ctx.value) throw new RevertError(VALUE_MISMATCH);
        const results = run(ctx, call.args[0]);
        // The EVM contract would keep the value of a failed entry; return it, so this address never
        // holds a balance.
        const kept = results.reduce((sum, r, i) => (r.success ? sum : sum + call.args[0][i].value), 0n);
        transfer(ctx.store, ADDRESS, ctx.caller, kept);
        return encodeFunctionResult({ abi, functionName: 'aggregate3Value', result: results });
      }
      case 'getBasefee':
        return encodeFunctionResult({ abi, functionName: 'getBasefee', result: ctx.env.baseFee });
      case 'getBlockHash':
        return encodeFunctionResult({ abi, functionName: 'getBlockHash', result: blockHash(ctx, call.args[0]) });
      case 'getBlockNumber':
        return encodeFunctionResult({ abi, functionName: 'getBlockNumber', result: ctx.env.number });
      case 'getChainId':
        return encodeFunctionResult({ abi, functionName: 'getChainId', result: ctx.genesis.chainId });
      case 'getCurrentBlockCoinbase':
        // eth_getBlock reports the fee vault as each block's miner
        return encodeFunctionResult({ abi, functionName: 'getCurrentBlockCoinbase', result: ctx.genesis.modules.accounts.feeVault });
      case 'getCurrentBlockDifficulty':
        // prevrandao: blocks carry mixHash 0
        return encodeFunctionResult({ abi, functionName: 'getCurrentBlockDifficulty', result: 0n });
      case 'getCurrentBlockGasLimit':
        return encodeFunctionResult({ abi, functionName: 'getCurrentBlockGasLimit', result: ctx.env.gasLimit });
      case 'getCurrentBlockTimestamp':
        return encodeFunctionResult({ abi, functionName: 'getCurrentBlockTimestamp', result: ctx.env.timestamp });
      case 'getEthBalance':
        return encodeFunctionResult({ abi, functionName: 'getEthBalance', result: getBalance(ctx.store, call.args[0].toLowerCase() as Address) });
      case 'getLastBlockHash':
        return encodeFunctionResult({ abi, functionName: 'getLastBlockHash', result: blockHash(ctx, ctx.env.number - 1n) });
    }
  },
};
