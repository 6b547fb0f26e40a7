// viem's `multicall` against a real node: Multicall3 at its canonical address batches reads of
// balances, stakes and tasks, with allowFailure mixes, and viem's deployment check sees code there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, getAddress, http, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { accountsAbi } from '../../state-machine/modules/accounts/abi.ts';
import { MODULE_ADDRESSES, MODULE_CODE } from '../../state-machine/modules/addresses.ts';
import { multicall3Abi } from '../../state-machine/modules/multicall/abi.ts';
import { stakeAbi } from '../../state-machine/modules/stake/abi.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import type { RunningNode } from '../../node/verity-node.ts';
import { devnetKeys, startTempNode, testGenesis } from './node-helpers.ts';

const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11';
const genesis = testGenesis(50);
const chain = defineChain({
  id: Number(genesis.chainId),
  name: 'verity-devnet',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
  contracts: { multicall3: { address: MULTICALL3, blockCreated: 0 } },
});
const [, a1, a2] = devnetKeys.map((k) => getAddress(k.address));
const accounts = getAddress(MODULE_ADDRESSES.accounts);
const stake = getAddress(MODULE_ADDRESSES.stake);
const task = getAddress(MODULE_ADDRESSES.task);
let node: RunningNode;
let client: PublicClient;

beforeAll(async () => {
  node = await startTempNode(genesis);
  client = createPublicClient({ chain, transport: http(node.url) });
});
afterAll(() => node.stop());

describe('viem multicall through Multicall3', () => {
  it('finds code at the canonical address', async () => {
    expect(MODULE_ADDRESSES.multicall3).toBe(MULTICALL3.toLowerCase());
    expect(await client.getCode({ address: MULTICALL3 })).toBe(MODULE_CODE);
  });

  it('reads balances, stakes and task views in one call; failures stay per call with allowFailure', async () => {
    const results = await client.multicall({
      contracts: [
        { address: accounts, abi: accountsAbi, functionName: 'balanceOf', args: [a1] },
        { address: stake, abi: stakeAbi, functionName: 'stakeOf', args: [a1] },
        { address: stake, abi: stakeAbi, functionName: 'stakeOf', args: [a2] },
        { address: task, abi: taskAbi, functionName: 'taskCount' },
        // a stake method sent to the accounts module: unknown selector there
        { address: accounts, abi: stakeAbi, functionName: 'minBond' },
        { address: MULTICALL3, abi: multicall3Abi, functionName: 'getEthBalance', args: [a2] },
        { address: MULTICALL3, abi: multicall3Abi, functionName: 'getChainId' },
      ],
    });
    expect(results.map((r) => r.status)).toEqual(['success', 'success', 'success', 'success', 'failure', 'success', 'success']);
    expect(results[0].result).toBe(await client.getBalance({ address: a1 }));
    expect(results[1].result).toBe(genesis.modules.stake.bonds[a1.toLowerCase() as Hex]);
    expect(results[2].result).toBe(genesis.modules.stake.bonds[a2.toLowerCase() as Hex]);
    expect(results[3].result).toBe(0n);
    expect(results[4].error?.message).toMatch(/unknown function selector/);
    expect(results[5].result).toBe(await client.getBalance({ address: a2 }));
    expect(results[6].result).toBe(genesis.chainId);
  });

  it('allowFailure: false throws on the first failing call; batches split by batchSize still agree', async () => {
    await expect(
      client.multicall({
        allowFailure: false,
        contracts: [
          { address: accounts, abi: accountsAbi, functionName: 'balanceOf', args: [a1] },
          { address: accounts, abi: stakeAbi, functionName: 'minBond' },
        ],
      }),
    ).rejects.toThrow(/unknown function selector/);
    const many = Array.from({ length: 40 }, (_, i) => ({ address: accounts, abi: accountsAbi, functionName: 'balanceOf' as const, args: [i % 2 === 0 ? a1 : a2] as const }));
    const small = await client.multicall({ allowFailure: false, batchSize: 128, contracts: many });
    const one = await client.multicall({ allowFailure: false, batchSize: 0, contracts: many });
    expect(small).toEqual(one);
    expect(one[0]).toBe(await client.getBalance({ address: a1 }));
  });

  it('reads the block getters at a given block; aggregate3Value pays several accounts in one transaction', async () => {
    const wallet = createWalletClient({ account: privateKeyToAccount(devnetKeys[2].privateKey), chain, transport: http(node.url) });
    const to = [a1, getAddress(`0x${'12'.repeat(20)}`)];
    const hash = await wallet.writeContract({
      address: MULTICALL3,
      abi: multicall3Abi,
      functionName: 'aggregate3Value',
      args: [to.map((target) => ({ target, allowFailure: false, value: 7n, callData: '0x' as Hex }))],
      value: 14n,
    });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    expect(receipt.status).toBe('success');
    expect(await client.getBalance({ address: to[1] })).toBe(7n);
    const block = await client.getBlock({ blockNumber: receipt.blockNumber });
    const parent = await client.getBlock({ blockNumber: receipt.blockNumber - 1n });
    const [number, timestamp, last, baseFee] = await client.multicall({
      allowFailure: false,
      blockNumber: receipt.blockNumber,
      contracts: [
        { address: MULTICALL3, abi: multicall3Abi, functionName: 'getBlockNumber' },
        { address: MULTICALL3, abi: multicall3Abi, functionName: 'getCurrentBlockTimestamp' },
        { address: MULTICALL3, abi: multicall3Abi, functionName: 'getLastBlockHash' },
        { address: MULTICALL3, abi: multicall3Abi, functionName: 'getBasefee' },
      ],
    });
    expect([number, timestamp, last, baseFee]).toEqual([block.number, block.timestamp, parent.hash, block.baseFeePerGas]);
    // eth_call straight to a module with calldata built by viem agrees with the batch
    const direct = await client.call({ to: accounts, data: encodeFunctionData({ abi: accountsAbi, functionName: 'balanceOf', args: [to[1]] }) });
    expect(BigInt(direct.data ?? '0x0')).toBe(7n);
  });
});
