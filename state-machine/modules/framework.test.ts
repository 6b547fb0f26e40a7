// The module framework with a module defined here: dynamic gas, events, reverts, payable checks,
// selector dispatch. It runs through the same runMessage as the chain's own modules.
import { decodeEventLog, encodeFunctionData, encodeFunctionResult, getAbiItem, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { testGenesis, ACCOUNTS } from '../test/chain-harness.ts';
import { bytesToHex, hexToBytes } from '../crypto/hash.ts';
import { ChainState, runMessage, type Address, type BlockEnv, type ExecutionState } from '../index.ts';
import { eventLog } from './events.ts';
import { ModuleRegistry, decodeCall, type Module } from './framework.ts';
import { RevertError } from './revert.ts';

const echoAbi = [
  { type: 'function', name: 'echo', stateMutability: 'nonpayable', inputs: [{ name: 'words', type: 'uint256[]' }], outputs: [{ name: 'sum', type: 'uint256' }] },
  { type: 'function', name: 'fail', stateMutability: 'nonpayable', inputs: [], outputs: [] },
  { type: 'event', name: 'Echoed', inputs: [{ name: 'caller', type: 'address', indexed: true }, { name: 'count', type: 'uint256', indexed: false }] },
] as const;
const ECHO: Address = '0x0000000000000000000000000000000000000e01';
const PER_WORD = 100n;

const echoModule: Module = {
  name: 'echo',
  address: ECHO,
  abi: echoAbi,
  methods: { echo: { gas: 1_000n, payable: false }, fail: { gas: 500n, payable: false } },
  handle(ctx, data: Hex): Hex {
    const call = decodeCall(echoAbi, data);
    if (call.functionName === 'fail') {
      ctx.store.set(new Uint8Array([0xe0, 1]), new Uint8Array([1]));
      throw new RevertError('asked to fail');
    }
    const words = call.args[0];
    ctx.useGas(PER_WORD * BigInt(words.length));
    ctx.store.set(new Uint8Array([0xe0, 2]), new Uint8Array([words.length]));
    ctx.logs.push(eventLog(ECHO, getAbiItem({ abi: echoAbi, name: 'Echoed' }), [ctx.caller, BigInt(words.length)]));
    return encodeFunctionResult({ abi: echoAbi, functionName: 'echo', result: words.reduce((a, b) => a + b, 0n) });
  },
};

function setup(): { exec: ExecutionState; env: BlockEnv } {
  const g = testGenesis();
  const base = ChainState.fromGenesis(g);
  const exec: ExecutionState = { store: base.store, genesis: g, registry: new ModuleRegistry([echoModule]) };
  return { exec, env: { number: 1n, timestamp: g.timestamp, baseFee: 1n, gasLimit: g.gasLimit, sequencer: g.sequencer, parentHash: `0x${'00'.repeat(32)}` } };
}

const from = ACCOUNTS[1].address;

describe('module framework', () => {
  it('charges fixed + dynamic gas, emits events and returns ABI data', () => {
    const { exec, env } = setup();
    const data = hexToBytes(encodeFunctionData({ abi: echoAbi, functionName: 'echo', args: [[1n, 2n, 3n]] }));
    const r = runMessage(exec, { from, to: ECHO, value: 0n, data, gas: 1_000_000n }, env);
    expect(r.status).toBe(1);
    const intrinsic = r.gasUsed - 1_000n - 3n * PER_WORD;
    expect(intrinsic).toBeGreaterThan(21_000n);
    expect(BigInt(bytesToHex(r.returnData))).toBe(6n);
    const ev = decodeEventLog({ abi: echoAbi, data: r.logs[0].data, topics: r.logs[0].topics as [Hex, ...Hex[]] });
    expect(ev.eventName).toBe('Echoed');
    expect(ev.args.count).toBe(3n);
    expect(exec.store.get(new Uint8Array([0xe0, 2]))).toEqual(new Uint8Array([3]));

    // the same call with gas for the fixed part but not the per-word part runs out of gas
    const tight = r.gasUsed - 1n;
    const root = exec.store.rootHex();
    const big = hexToBytes(encodeFunctionData({ abi: echoAbi, functionName: 'echo', args: [[1n, 2n, 4n]] }));
    const oog = runMessage(exec, { from, to: ECHO, value: 0n, data: big, gas: tight }, env);
    expect(oog).toMatchObject({ status: 0, outOfGas: true, gasUsed: tight, logs: [] });
    expect(exec.store.rootHex()).toBe(root);
  });

  it('reverts writes on RevertError, refuses value to non-payable methods and unknown selectors', () => {
    const { exec, env } = setup();
    const root = exec.store.rootHex();
    const fail = runMessage(exec, { from, to: ECHO, value: 0n, data: hexToBytes(encodeFunctionData({ abi: echoAbi, functionName: 'fail' })), gas: 100_000n }, env);
    expect(fail).toMatchObject({ status: 0, revertReason: 'asked to fail', outOfGas: false });
    expect(exec.store.rootHex()).toBe(root);
    const paid = runMessage(exec, { from, to: ECHO, value: 1n, data: hexToBytes(encodeFunctionData({ abi: echoAbi, functionName: 'echo', args: [[]] })), gas: 100_000n }, env);
    expect(paid.revertReason).toBe('non-payable method');
    const unknown = runMessage(exec, { from, to: ECHO, value: 0n, data: new Uint8Array([1, 2, 3, 4]), gas: 100_000n }, env);
    expect(unknown.revertReason).toBe('unknown function selector');
    expect(exec.store.rootHex()).toBe(root);
  });

  it('refuses a module whose ABI has a function without a gas entry', () => {
    const broken: Module = { ...echoModule, methods: { echo: { gas: 1n, payable: false } } };
    expect(() => new ModuleRegistry([broken])).toThrow(/no gas entry for fail/);
  });
});
