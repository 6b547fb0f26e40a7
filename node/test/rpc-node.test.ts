// The node behind the real RPC server, driven by viem: what a wallet sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createPublicClient, createWalletClient, defineChain, http, parseEther, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { defaultDevnetGenesis, devnetAccounts } from '../../genesis/index.ts';
import { sampleValue } from '../../infra/test/exposition.ts';
import { MODULE_ADDRESSES, stakeAbi } from '../../state-machine/index.ts';
import { DEFAULT_CONFIG } from '../config.ts';
import { rpcBatch } from '../devnet/rpc-batch.ts';
import { signTx } from '../devnet/sign-tx.ts';
import { hexToBytes, bytesToHex } from '../../state-machine/crypto/hash.ts';
import { startNode, type RunningNode } from '../verity-node.ts';

const genesis = defaultDevnetGenesis();
const accts = devnetAccounts(3);
const chain = defineChain({
  id: Number(genesis.chainId),
  name: 'verity-devnet',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: ['http://127.0.0.1'] } },
});
const TO = '0x00000000000000000000000000000000000000cc';

let node: RunningNode;
let dir: string;
let client: PublicClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'verity-rpc-node-'));
  node = await startNode(
    { ...DEFAULT_CONFIG, dataDir: dir, rpcPort: 0, sequencerKey: accts[0].privateKey, snapshotInterval: 2 },
    genesis,
    pino({ level: 'silent' }),
  );
  client = createPublicClient({ chain, transport: http(node.url) });
});

afterAll(async () => {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('node over JSON-RPC', () => {
  it('takes a wallet transfer, seals it, and answers receipts, history and pending nonces', async () => {
    const wallet = createWalletClient({ chain, transport: http(node.url), account: privateKeyToAccount(accts[1].privateKey) });
    const before = await client.getBlockNumber();
    const hash = await wallet.sendTransaction({ to: TO, value: parseEther('1') });
    expect(await client.getTransactionCount({ address: accts[1].address, blockTag: 'pending' })).toBe(1);
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    expect(receipt.status).toBe('success');
    expect(receipt.from).toBe(accts[1].address);
    expect(await client.getBalance({ address: TO })).toBe(parseEther('1'));
    // the state at the block before: event-sourced from snapshot + log
    expect(await client.getBalance({ address: TO, blockNumber: receipt.blockNumber - 1n })).toBe(0n);
    expect(receipt.blockNumber).toBeGreaterThan(before);
    const tx = await client.getTransaction({ hash });
    expect(tx.blockHash).toBe(receipt.blockHash);
    const block = await client.getBlock({ blockNumber: receipt.blockNumber });
    expect(block.transactions).toContain(hash);
    const fees = await client.getFeeHistory({ blockCount: 2, rewardPercentiles: [50] });
    expect(fees.baseFeePerGas).toHaveLength(3);
  });

  it('returns geth rejection messages', async () => {
    const wallet = createWalletClient({ chain, transport: http(node.url), account: privateKeyToAccount(accts[2].privateKey) });
    // a future nonce stays queued (never sealed), so the duplicate is surely still pooled
    const queued = await wallet.signTransaction(await wallet.prepareTransactionRequest({ to: TO, value: 1n, nonce: 5 }));
    await client.sendRawTransaction({ serializedTransaction: queued });
    await expect(client.sendRawTransaction({ serializedTransaction: queued })).rejects.toThrow(/already known/);
    const signed = await wallet.signTransaction(await wallet.prepareTransactionRequest({ to: TO, value: 1n, nonce: 0 }));
    const hash = await client.sendRawTransaction({ serializedTransaction: signed });
    await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    await expect(client.sendRawTransaction({ serializedTransaction: signed })).rejects.toThrow(/nonce too low/);
    const res = await fetch(node.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [signed] }),
    });
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error).toEqual({ code: -32000, message: 'nonce too low' });
  });

  it('indexes module events for eth_getLogs by address, topic and range, and reads module state at older blocks', async () => {
    const stake = MODULE_ADDRESSES.stake;
    const wallet = createWalletClient({ chain, transport: http(node.url), account: privateKeyToAccount(accts[1].privateKey) });
    const receipts = [];
    for (const eth of ['2', '3']) {
      const hash = await wallet.writeContract({ address: stake, abi: stakeAbi, functionName: 'bond', value: parseEther(eth) });
      receipts.push(await client.waitForTransactionReceipt({ hash, pollingInterval: 50 }));
    }
    const [first, second] = receipts;
    expect(first.logs).toHaveLength(1);
    const all = await client.getContractEvents({ address: stake, abi: stakeAbi, eventName: 'Bonded', fromBlock: 0n, toBlock: 'latest' });
    expect(all.map((l) => l.args.amount)).toEqual([parseEther('2'), parseEther('3')]);
    const genesisBond = genesis.modules.stake.bonds[accts[1].address] ?? 0n;
    expect(all[1].args.bonded).toBe(genesisBond + parseEther('5'));
    expect(all[0].transactionHash).toBe(first.transactionHash);
    expect(all[0].logIndex).toBe(first.logs[0].logIndex);
    const byStaker = await client.getContractEvents({ abi: stakeAbi, eventName: 'Bonded', args: { staker: accts[1].address }, fromBlock: second.blockNumber, toBlock: second.blockNumber });
    expect(byStaker).toHaveLength(1);
    expect(await client.getContractEvents({ abi: stakeAbi, eventName: 'Bonded', args: { staker: accts[2].address }, fromBlock: 0n })).toHaveLength(0);
    expect(await client.getLogs({ address: TO, fromBlock: 0n })).toHaveLength(0);
    const at = (blockNumber: bigint) => client.readContract({ address: stake, abi: stakeAbi, functionName: 'stakeOf', args: [accts[1].address], blockNumber });
    expect(await at(second.blockNumber)).toBe(genesisBond + parseEther('5'));
    expect(await at(first.blockNumber)).toBe(genesisBond + parseEther('2'));
    expect(await at(first.blockNumber - 1n)).toBe(genesisBond);
  });

  it('answers eth_getLogs over the newest blocks from memory as from the LevelDB index, and eth_call at latest per new block', async () => {
    const stake = MODULE_ADDRESSES.stake;
    const wallet = createWalletClient({ chain, transport: http(node.url), account: privateKeyToAccount(accts[1].privateKey) });
    const total = () => client.readContract({ address: stake, abi: stakeAbi, functionName: 'totalStaked' });
    const before = await total();
    expect(await total()).toBe(before); // the same view again at the same head
    const hash = await wallet.writeContract({ address: stake, abi: stakeAbi, functionName: 'bond', value: parseEther('1') });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    // the next head's state, not the previous head's answer
    expect(await total()).toBe(before + parseEther('1'));
    const n = receipt.blockNumber;
    // from block 0: the LevelDB index (block 0 predates what the node indexed in memory); near the tip: memory
    const fromIndex = await client.getContractEvents({ address: stake, abi: stakeAbi, eventName: 'Bonded', fromBlock: 0n, toBlock: n });
    const fromTip = await client.getContractEvents({ address: stake, abi: stakeAbi, eventName: 'Bonded', fromBlock: n, toBlock: 'latest' });
    expect(fromTip).toHaveLength(1);
    expect(fromTip[0]).toEqual(fromIndex[fromIndex.length - 1]);
    expect(fromTip[0].transactionHash).toBe(hash);
    const byStaker = await client.getContractEvents({ abi: stakeAbi, eventName: 'Bonded', args: { staker: accts[1].address }, fromBlock: n, toBlock: n });
    expect(byStaker).toHaveLength(1);
    expect(await client.getContractEvents({ abi: stakeAbi, eventName: 'Bonded', args: { staker: accts[2].address }, fromBlock: n, toBlock: n })).toHaveLength(0);
    expect(await client.getLogs({ address: TO, fromBlock: n - 1n })).toHaveLength(0);
  });

  it('group-commits the journal writes of one JSON-RPC batch', async () => {
    const key = hexToBytes(accts[0].privateKey);
    const start = await client.getTransactionCount({ address: accts[0].address, blockTag: 'pending' });
    const raws = Array.from({ length: 60 }, (_, i) =>
      bytesToHex(signTx({ chainId: genesis.chainId, nonce: BigInt(start + i), to: TO, value: 1n, gasLimit: 21_000n, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 1n }, key)),
    );
    const commits = node.chain.metrics.journalCommitsTotal.value;
    const replies = await rpcBatch(node.url, raws.map((r) => ['eth_sendRawTransaction', [r]] as const));
    expect(replies.every((r) => typeof r.result === 'string')).toBe(true);
    // 60 acknowledged txs, each durable before its answer, in one or two fsynced batches
    expect(node.chain.metrics.journalCommitsTotal.value - commits).toBeLessThanOrEqual(2);
    await client.waitForTransactionReceipt({ hash: replies[59].result as `0x${string}`, pollingInterval: 50 });
  });

  it('mines a burst of 1,000 sequential txs from one sender, sent as concurrent JSON-RPC batches', async () => {
    const sender = devnetAccounts(4)[3]; // a sender with nothing pooled yet
    const key = hexToBytes(sender.privateKey);
    const start = await client.getTransactionCount({ address: sender.address, blockTag: 'pending' });
    const raws = Array.from({ length: 1_000 }, (_, i) =>
      bytesToHex(signTx({ chainId: genesis.chainId, nonce: BigInt(start + i), to: TO, value: 1n, gasLimit: 21_000n, maxFeePerGas: 10n ** 11n, maxPriorityFeePerGas: 1n }, key)),
    );
    const batches = Array.from({ length: 10 }, (_, b) => raws.slice(b * 100, b * 100 + 100));
    // all ten batches at once: later nonces may arrive first and wait queued for the gap to fill
    const replies = (await Promise.all(batches.map((b) => rpcBatch(node.url, b.map((r) => ['eth_sendRawTransaction', [r]] as const))))).flat();
    expect(replies.filter((r) => r.error !== undefined).map((r) => r.error?.message)).toEqual([]);
    const hashes = replies.map((r) => r.result as string);
    const deadline = Date.now() + 20_000;
    let mined = 0;
    while (Date.now() < deadline) {
      const receipts = await rpcBatch(node.url, hashes.map((h) => ['eth_getTransactionReceipt', [h]] as const));
      mined = receipts.filter((r) => r.result !== null).length;
      if (mined === hashes.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(mined).toBe(1_000);
    expect(await client.getTransactionCount({ address: sender.address })).toBe(start + 1_000);
  });

  it('exposes node metrics on /metrics', async () => {
    const text = await (await fetch(new URL('/metrics', node.url))).text();
    expect(sampleValue(text, 'verity_blocks_sealed_total', { component: 'node' })).toBeGreaterThan(0);
    expect(text).toContain('verity_block_seal_seconds_bucket');
    expect(sampleValue(text, 'verity_txpool_queued_total')).toBe(1);
  });
});
