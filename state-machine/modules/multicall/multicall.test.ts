// Multicall3 as a native module: batches made of calls to other modules and accounts, each with its
// own revert semantics, value forwarding, and the block getters, through transactions and eth_call.
import {
  decodeEventLog, decodeFunctionResult, encodeFunctionData, type ContractFunctionName, type DecodeFunctionResultParameters, type DecodeFunctionResultReturnType, type Hex,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, TestChain, signTx } from '../../test/chain-harness.ts';
import { decodeRevertReason } from '../revert.ts';
import { accountsAbi } from '../accounts/abi.ts';
import { MODULE_ADDRESSES, MODULE_CODE } from '../addresses.ts';
import { stakeAbi } from '../stake/abi.ts';
import { multicall3Abi } from './abi.ts';
import { CALL_FAILED, VALUE_MISMATCH, VALUE_NOT_FORWARDED } from './module.ts';
import { bytesToHex, hexToBytes } from '../../crypto/hash.ts';
import { blockEnvFromHeader, type CallResult } from '../../index.ts';

const [, alice, bob, carol] = ACCOUNTS;
const MC = MODULE_ADDRESSES.multicall3;
const STAKE = MODULE_ADDRESSES.stake;
const ACC = MODULE_ADDRESSES.accounts;
const ETHER = 10n ** 18n;
const balanceOf = (a: Hex): Hex => encodeFunctionData({ abi: accountsAbi, functionName: 'balanceOf', args: [a] });
const stakeOf = (a: Hex): Hex => encodeFunctionData({ abi: stakeAbi, functionName: 'stakeOf', args: [a] });
const bond = encodeFunctionData({ abi: stakeAbi, functionName: 'bond' });

function view(c: TestChain, data: Hex, value = 0n): CallResult {
  return c.state.call({ from: alice.address, to: MC, data: hexToBytes(data), value }, blockEnvFromHeader(c.head));
}

type Fn = ContractFunctionName<typeof multicall3Abi>;

function result<const F extends Fn>(r: CallResult, functionName: F): DecodeFunctionResultReturnType<typeof multicall3Abi, F> {
  expect(r.revertReason).toBeUndefined();
  const params = { abi: multicall3Abi, functionName, data: bytesToHex(r.returnData) } as unknown as DecodeFunctionResultParameters<typeof multicall3Abi>;
  return decodeFunctionResult(params) as DecodeFunctionResultReturnType<typeof multicall3Abi, F>;
}

describe('Multicall3 module', () => {
  it('has code at the canonical address', () => {
    const c = new TestChain();
    expect(c.state.getCode(MC)).toBe(MODULE_CODE);
    expect(MC).toBe('0xcA11bde05977b3631167028862bE2a173976CA11'.toLowerCase());
  });

  it('aggregate3 mixes allowed failures with successes; a required failure reverts with Multicall3: call failed', () => {
    const c = new TestChain();
    const calls = [
      { target: ACC, allowFailure: false, callData: balanceOf(bob.address) },
      { target: STAKE, allowFailure: true, callData: '0xdeadbeef' as Hex },
      { target: STAKE, allowFailure: true, callData: stakeOf(bob.address) },
      { target: carol.address, allowFailure: false, callData: '0x' as Hex },
    ];
    const out = result(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [calls] })), 'aggregate3');
    expect(out.map((r) => r.success)).toEqual([true, false, true, true]);
    expect(BigInt(out[0].returnData)).toBe(c.state.getBalance(bob.address));
    expect(decodeRevertReason(out[1].returnData)).toBe('unknown function selector');
    expect(BigInt(out[2].returnData)).toBe(0n);
    expect(out[3].returnData).toBe('0x');

    calls[1].allowFailure = false;
    const r = view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [calls] }));
    expect(r.status).toBe(0);
    expect(r.revertReason).toBe(CALL_FAILED);
  });

  it('aggregate, tryAggregate and the block variants follow their requireSuccess rules', () => {
    const c = new TestChain();
    c.build([]);
    c.build([]);
    const ok = { target: ACC, callData: balanceOf(alice.address) };
    const bad = { target: MODULE_ADDRESSES.bridge, callData: balanceOf(alice.address) };
    const [n, data] = result(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate', args: [[ok, ok]] })), 'aggregate');
    expect(n).toBe(c.head.number);
    expect(data.map(BigInt)).toEqual([c.state.getBalance(alice.address), c.state.getBalance(alice.address)]);
    expect(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate', args: [[ok, bad]] })).revertReason).toBe(CALL_FAILED);

    const tried = result(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'tryAggregate', args: [false, [ok, bad]] })), 'tryAggregate');
    expect(tried.map((r) => r.success)).toEqual([true, false]);
    expect(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'tryAggregate', args: [true, [ok, bad]] })).revertReason).toBe(CALL_FAILED);

    const [bn, hash, rs] = result(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'tryBlockAndAggregate', args: [false, [bad]] })), 'tryBlockAndAggregate');
    expect([bn, hash, rs.length, rs[0].success]).toEqual([c.head.number, `0x${'00'.repeat(32)}`, 1, false]);
    expect(result(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'blockAndAggregate', args: [[ok]] })), 'blockAndAggregate')[2][0].success).toBe(true);
    expect(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'blockAndAggregate', args: [[bad]] })).revertReason).toBe(CALL_FAILED);
  });

  it('the getters read the block, the chain and balances; only the parent block hash is known', () => {
    const c = new TestChain();
    c.build([]);
    c.build([]);
    const env = blockEnvFromHeader(c.head);
    const get = <const F extends Fn>(functionName: F, args: readonly unknown[] = []) =>
      result(view(c, encodeFunctionData({ abi: multicall3Abi, functionName, args } as Parameters<typeof encodeFunctionData>[0])), functionName);
    expect(get('getBlockNumber')).toBe(env.number);
    expect(get('getCurrentBlockTimestamp')).toBe(env.timestamp);
    expect(get('getCurrentBlockGasLimit')).toBe(env.gasLimit);
    expect(get('getBasefee')).toBe(env.baseFee);
    expect(get('getChainId')).toBe(c.genesis.chainId);
    expect(get('getCurrentBlockDifficulty')).toBe(0n);
    expect(get('getCurrentBlockCoinbase').toLowerCase()).toBe(c.genesis.modules.accounts.feeVault);
    expect(get('getEthBalance', [bob.address])).toBe(c.state.getBalance(bob.address));
    expect(get('getLastBlockHash')).toBe(env.parentHash);
    expect(get('getLastBlockHash')).toBe(c.blocks[1].hash);
    expect(get('getBlockHash', [env.number - 1n])).toBe(c.blocks[1].hash);
    expect(get('getBlockHash', [env.number - 2n])).toBe(`0x${'00'.repeat(32)}`);
    expect(get('getBlockHash', [env.number])).toBe(`0x${'00'.repeat(32)}`);
  });

  it('aggregate3Value forwards value as msg.sender = Multicall3, keeps sub-call events, refunds failed entries', async () => {
    const c = new TestChain();
    const supply = c.state.totalSupply();
    const calls = [
      { target: STAKE, allowFailure: true, value: 1n, callData: bond }, // below the minimum bond: reverts
      { target: STAKE, allowFailure: false, value: 2n * ETHER, callData: bond },
      { target: bob.address, allowFailure: false, value: 5n, callData: '0x' as Hex },
    ];
    const value = 2n * ETHER + 6n;
    const data = encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3Value', args: [calls] });
    const a0 = c.state.getBalance(alice.address);
    const b0 = c.state.getBalance(bob.address);
    const tx = await signTx(c.genesis, alice, { to: MC, nonce: 0, value, data, gas: 200_000n });
    const { receipts } = c.build([tx]);
    const [r] = receipts;
    expect(r.status).toBe(1);
    const fee = r.gasUsed * r.effectiveGasPrice;
    expect(c.state.getBalance(alice.address)).toBe(a0 - 2n * ETHER - 5n - fee);
    expect(c.state.getBalance(bob.address)).toBe(b0 + 5n);
    expect(c.state.getBalance(MC)).toBe(0n);
    // the bond belongs to Multicall3, the caller of the stake module, as in the EVM
    const [staked] = result(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [[{ target: STAKE, allowFailure: false, callData: stakeOf(MC) }]] })), 'aggregate3');
    expect(BigInt(staked.returnData)).toBe(2n * ETHER);
    expect(r.logs).toHaveLength(1);
    const ev = decodeEventLog({ abi: stakeAbi, data: r.logs[0].data, topics: r.logs[0].topics as [Hex, ...Hex[]] });
    expect(ev.eventName).toBe('Bonded');
    expect((ev.args as { staker: Hex }).staker.toLowerCase()).toBe(MC);
    // gas: intrinsic + batch + per entry (700 + the callee's method gas)
    expect(r.gasUsed).toBeGreaterThan(21_000n + 2_100n + 3n * 700n);
    expect(c.state.totalSupply()).toBe(supply);
    c.state.checkSupply();
    expect(c.replay().root()).toBe(c.state.root());
  });

  it('a required failure undoes every earlier entry; value must match and only aggregate3Value takes it', async () => {
    const c = new TestChain();
    const calls = [
      { target: bob.address, allowFailure: false, value: 5n, callData: '0x' as Hex },
      { target: STAKE, allowFailure: false, value: 1n, callData: bond },
    ];
    const data = encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3Value', args: [calls] });
    const b0 = c.state.getBalance(bob.address);
    const tx = await signTx(c.genesis, alice, { to: MC, nonce: 0, value: 6n, data, gas: 200_000n });
    const [r] = c.build([tx]).receipts;
    expect([r.status, r.revertReason, r.logs.length]).toEqual([0, CALL_FAILED, 0]);
    expect(c.state.getBalance(bob.address)).toBe(b0);
    expect(c.state.getBalance(MC)).toBe(0n);

    expect(view(c, data, 7n).revertReason).toBe(VALUE_MISMATCH);
    const plain = encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [[]] });
    expect(view(c, plain, 1n).revertReason).toBe(VALUE_NOT_FORWARDED);
    expect(view(c, encodeFunctionData({ abi: multicall3Abi, functionName: 'getBlockNumber' }), 1n).revertReason).toBe('non-payable method');
  });

  it('runs out of gas as a whole when an entry does', () => {
    const c = new TestChain();
    const calls = Array.from({ length: 50 }, () => ({ target: ACC, allowFailure: true, callData: balanceOf(bob.address) }));
    const data = hexToBytes(encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [calls] }));
    const env = blockEnvFromHeader(c.head);
    const full = c.state.call({ from: alice.address, to: MC, data }, env);
    expect(full.status).toBe(1);
    const short = c.state.call({ from: alice.address, to: MC, data, gas: full.gasUsed - 1n }, env);
    expect([short.status, short.revertReason]).toEqual([0, 'out of gas']);
  });
});
