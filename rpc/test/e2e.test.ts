// End to end with viem against a real node in this process: LevelDB in a temp dir, the sequencer
// loop, the pool, the modules. Transfers and fees, pending nonces, a stake module call through its
// ABI with its event from the receipt and from eth_getLogs, a view call, newHeads over WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublicClient, createWalletClient, decodeAbiParameters, defineChain, getAbiItem, http, parseEventLogs, webSocket, type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Genesis } from '../../genesis/index.ts';
import { sampleValue } from '../../infra/test/exposition.ts';
import type { RunningNode } from '../../node/verity-node.ts';
import { DEFAULT_FEE_VAULT, MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { stakeAbi } from '../../state-machine/modules/stake/abi.ts';
import { createVerityClient } from '../client.ts';
import { hexToBytes } from '../../state-machine/crypto/hash.ts';
import { accountKey } from '../../state-machine/modules/accounts/keys.ts';
import { verifyStateProof } from '../../state-machine/store/proof.ts';
import { devnetKeys, startTempNode, testGenesis } from './node-helpers.ts';

const ETHER = 10n ** 18n;
const [alice, bob, carol] = devnetKeys.map((k) => privateKeyToAccount(k.privateKey));

function chainOf(genesis: Genesis) {
  return defineChain({
    id: Number(genesis.chainId), name: 'verity-devnet', nativeCurrency: { name: 'Verity', symbol: 'VRT', decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
}

describe('viem against a real node', () => {
  const genesis = testGenesis(50);
  const chain = chainOf(genesis);
  let node: RunningNode;
  let client: PublicClient;

  beforeAll(async () => {
    node = await startTempNode(genesis);
    client = createPublicClient({ chain, transport: http(node.url), pollingInterval: 25 });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('a transfer: receipt, balances, and the fee vault gains gasUsed * effectiveGasPrice', async () => {
    const wallet = createWalletClient({ account: bob, chain, transport: http(node.url) });
    const [bobBefore, carolBefore, vaultBefore] = await Promise.all(
      [bob.address, carol.address, DEFAULT_FEE_VAULT].map((address) => client.getBalance({ address })),
    );
    const hash = await wallet.sendTransaction({ to: carol.address, value: 12_345n });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 25 });
    expect(receipt).toMatchObject({ status: 'success', type: 'eip1559', from: bob.address.toLowerCase(), to: carol.address.toLowerCase() });
    const fee = receipt.gasUsed * receipt.effectiveGasPrice;
    expect(fee).toBeGreaterThan(0n);
    const at = { blockNumber: receipt.blockNumber };
    expect(await client.getBalance({ address: carol.address, ...at })).toBe(carolBefore + 12_345n);
    expect(await client.getBalance({ address: bob.address, ...at })).toBe(bobBefore - 12_345n - fee);
    expect(await client.getBalance({ address: DEFAULT_FEE_VAULT, ...at })).toBe(vaultBefore + fee);
    const block = await client.getBlock({ blockNumber: receipt.blockNumber, includeTransactions: true });
    expect(block.transactions.map((t) => t.hash)).toContain(hash);
    expect(block.miner).toBe(DEFAULT_FEE_VAULT);
    expect(await client.getTransaction({ hash })).toMatchObject({ hash, blockNumber: receipt.blockNumber, nonce: 0 });
  });

  it('stake: writeContract bond(), Bonded from the receipt and from eth_getLogs, stakeOf via eth_call', async () => {
    const wallet = createWalletClient({ account: alice, chain, transport: http(node.url) });
    const stake = MODULE_ADDRESSES.stake;
    expect(await client.getCode({ address: stake })).not.toBeUndefined();
    const before = await client.readContract({ address: stake, abi: stakeAbi, functionName: 'stakeOf', args: [alice.address] });
    const { request } = await client.simulateContract({ account: alice, address: stake, abi: stakeAbi, functionName: 'bond', value: 2n * ETHER });
    const hash = await wallet.writeContract(request);
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 25 });
    expect(receipt.status).toBe('success');
    const [bonded] = parseEventLogs({ abi: stakeAbi, eventName: 'Bonded', logs: receipt.logs });
    expect(bonded.args).toEqual({ staker: alice.address, amount: 2n * ETHER, bonded: before + 2n * ETHER });
    const fromLogs = await client.getContractEvents({
      address: stake, abi: stakeAbi, eventName: 'Bonded', args: { staker: alice.address }, fromBlock: 0n,
    });
    expect(fromLogs.map((l) => l.transactionHash)).toContain(hash);
    const viaGetLogs = await client.getLogs({ address: stake, event: getAbiItem({ abi: stakeAbi, name: 'Bonded' }), fromBlock: receipt.blockNumber, toBlock: receipt.blockNumber });
    expect(viaGetLogs[0]).toMatchObject({ transactionHash: hash, logIndex: bonded.logIndex, args: bonded.args });
    const after = await client.readContract({ address: stake, abi: stakeAbi, functionName: 'stakeOf', args: [alice.address] });
    expect(after).toBe(before + 2n * ETHER);
    const atBefore = await client.readContract({ address: stake, abi: stakeAbi, functionName: 'stakeOf', args: [alice.address], blockNumber: receipt.blockNumber - 1n });
    expect(atBefore).toBe(before);
  });

  it('viem watchContractEvent over HTTP (eth_newFilter + eth_getFilterChanges) sees a Bonded event', async () => {
    const seen: `0x${string}`[] = [];
    const unwatch = client.watchContractEvent({
      address: MODULE_ADDRESSES.stake, abi: stakeAbi, eventName: 'Bonded', pollingInterval: 25,
      onLogs: (logs) => seen.push(...logs.map((l) => l.transactionHash)),
    });
    await new Promise((r) => setTimeout(r, 100));
    const wallet = createWalletClient({ account: bob, chain, transport: http(node.url) });
    const hash = await wallet.writeContract({ address: MODULE_ADDRESSES.stake, abi: stakeAbi, functionName: 'bond', value: ETHER });
    await expect.poll(() => seen.includes(hash), { timeout: 3000, interval: 25 }).toBe(true);
    unwatch();
    const metrics = node.rpc.metrics;
    expect((await metrics.requests('eth_newFilter')).ok).toBeGreaterThan(0);
    expect((await metrics.requests('eth_getFilterChanges')).ok).toBeGreaterThan(0);
  });

  it('a reverting module call fails eth_estimateGas / eth_call with code 3 and the reason', async () => {
    await expect(
      client.simulateContract({ account: carol, address: MODULE_ADDRESSES.stake, abi: stakeAbi, functionName: 'beginUnbond', args: [10n ** 30n] }),
    ).rejects.toThrow(/revert/i);
    const res = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ from: carol.address, to: MODULE_ADDRESSES.stake, data: '0x3ccfd60b' }, 'latest'] }),
    });
    const body = (await res.json()) as { error?: { code: number; message: string; data?: string } };
    expect(body.error?.code).toBe(3);
    expect(body.error?.message).toMatch(/^execution reverted/);
    expect(body.error?.data).toMatch(/^0x/);
  });

  it('newHeads (viem watchBlocks) and newPendingTransactions over WebSocket, and the typed verity client', async () => {
    const ws = createPublicClient({ chain, transport: webSocket(node.rpc.wsUrl) });
    const heads: bigint[] = [];
    const stop = ws.watchBlocks({ onBlock: (b) => heads.push(b.number) });
    const pooled: string[] = [];
    const { unsubscribe } = await ws.transport.subscribe({
      params: ['newPendingTransactions'],
      onData: (d) => {
        pooled.push(d.result as string);
      },
      onError: () => {},
    });
    await new Promise((r) => setTimeout(r, 50));
    const wallet = createWalletClient({ account: carol, chain, transport: http(node.url) });
    const hash = await wallet.sendTransaction({ to: bob.address, value: 1n });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 25 });
    await expect.poll(() => heads.includes(receipt.blockNumber), { timeout: 3000, interval: 20 }).toBe(true);
    expect(pooled).toContain(hash);
    stop();
    await unsubscribe();
    await ws.transport.getRpcClient().then((c) => c.close());

    const vc = createVerityClient(node.url);
    const status = await vc.verity.syncStatus();
    expect(status.role).toBe('sequencer');
    expect(status.headNumber).toBeGreaterThanOrEqual(receipt.blockNumber);
  });

  it('verity_getProof: an account proof that verifies against the block stateRoot', async () => {
    const vc = createVerityClient(node.url);
    const head = await vc.getBlock();
    const key = accountKey(carol.address.toLowerCase() as `0x${string}`);
    const p = await vc.verity.getProof(key, head.number);
    expect(p.blockNumber).toBe(head.number);
    expect(p.stateRoot).toBe(head.stateRoot);
    expect(p.value).not.toBeNull();
    const [nonce, balance] = decodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], p.value as `0x${string}`);
    expect(balance).toBe(await vc.getBalance({ address: carol.address, blockNumber: head.number }));
    expect(nonce).toBe(BigInt(await vc.getTransactionCount({ address: carol.address, blockNumber: head.number })));
    expect(verifyStateProof(p.stateRoot, key, hexToBytes(p.value as string), p.proof)).toBe(true);
    const nobody = accountKey('0x00000000000000000000000000000000000000b0');
    const absent = await vc.verity.getProof(nobody);
    expect(absent.value).toBeNull();
    expect(verifyStateProof(absent.stateRoot, nobody, null, absent.proof)).toBe(true);
  });

  it('fee and sync reads that wallets make on connect', async () => {
    const fh = await client.getFeeHistory({ blockCount: 4, rewardPercentiles: [10, 50] });
    expect(fh.baseFeePerGas.length).toBe(fh.gasUsedRatio.length + 1);
    expect(fh.reward?.every((r) => r.length === 2)).toBe(true);
    const fees = await client.estimateFeesPerGas();
    expect(fees.maxFeePerGas).toBeGreaterThan(0n);
    expect(await client.getGasPrice()).toBeGreaterThan(0n);
    const pending = await client.getBlock({ blockTag: 'pending' });
    expect(pending.number).toBeGreaterThanOrEqual(0n);
    expect(await client.getChainId()).toBe(Number(genesis.chainId));
  });

  it('/metrics shows the RPC counters and the node registry', async () => {
    const text = await (await fetch(`${node.url}/metrics`)).text();
    expect(sampleValue(text, 'verity_rpc_requests_total', { method: 'eth_sendRawTransaction', outcome: 'ok', component: 'rpc' })).toBeGreaterThan(0);
    expect(sampleValue(text, 'verity_blocks_sealed_total', { component: 'node' })).toBeGreaterThan(0);
  });
});

describe('pending state against a real node', () => {
  // A long block interval: nothing is sealed unless the test asks for it.
  const genesis = testGenesis(3_600_000);
  const chain = chainOf(genesis);
  let node: RunningNode;

  beforeAll(async () => {
    node = await startTempNode(genesis);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("eth_getTransactionCount 'pending' counts pooled transactions; sealing moves 'latest'", async () => {
    const client = createPublicClient({ chain, transport: http(node.url) });
    const wallet = createWalletClient({ account: bob, chain, transport: http(node.url) });
    const hashes: `0x${string}`[] = [];
    for (let i = 0; i < 3; i++) hashes.push(await wallet.sendTransaction({ to: carol.address, value: 1n }));
    expect(await client.getTransactionCount({ address: bob.address, blockTag: 'pending' })).toBe(3);
    expect(await client.getTransactionCount({ address: bob.address })).toBe(0);
    const gapped = await wallet.signTransaction({ to: carol.address, value: 1n, nonce: 5, gas: 21_000n, maxFeePerGas: 2n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n });
    await client.sendRawTransaction({ serializedTransaction: gapped });
    const status = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'txpool_status' }) });
    expect(((await status.json()) as { result: unknown }).result).toEqual({ pending: '0x3', queued: '0x1' });
    expect(await client.getTransactionCount({ address: bob.address, blockTag: 'pending' })).toBe(3);
    expect((await client.getTransaction({ hash: hashes[2] })).blockNumber).toBeNull();
    expect(await client.getTransactionReceipt({ hash: hashes[0] }).catch((e: Error) => e.name)).toBe('TransactionReceiptNotFoundError');
    const dup = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction',
        params: [await wallet.signTransaction({ to: carol.address, value: 1n, nonce: 0, gas: 21_000n, maxFeePerGas: 2n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n })],
      }),
    });
    expect(((await dup.json()) as { error: { code: number; message: string } }).error).toMatchObject({ code: -32000 });
    await node.chain.seal();
    expect(await client.getTransactionCount({ address: bob.address })).toBe(3);
    const receipt = await client.getTransactionReceipt({ hash: hashes[2] });
    expect(receipt).toMatchObject({ status: 'success', transactionIndex: 2 });
  });
});
