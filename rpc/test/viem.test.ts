// The server through viem, the client library workers and dapps use: its formatters must accept
// every object we return, and its actions (send, wait, filters, watchers) must work end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublicClient, createWalletClient, defineChain, http, parseAbiItem, webSocket, type PublicClient,
} from 'viem';
import { hexToBytes } from '../../state-machine/crypto/hash.ts';
import { verifyStateProof } from '../../state-machine/store/proof.ts';
import { DEFAULT_FEE_VAULT } from '../../state-machine/modules/addresses.ts';
import { createVerityClient } from '../client.ts';
import { startRpcServer, type RpcServer } from '../server.ts';
import { accounts, rpc, startTestServer } from './helpers.ts';
import { CODE_ADDRESS, REVERTING, type MemoryBackend } from './memory-backend.ts';

const transfer = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');
let server: RpcServer;
let backend: MemoryBackend;
let client: PublicClient;
const chain = defineChain({ id: 1337, name: 'verity-test', nativeCurrency: { name: 'V', symbol: 'V', decimals: 18 }, rpcUrls: { default: { http: [] } } });

beforeAll(async () => {
  ({ server, backend } = await startTestServer());
  client = createPublicClient({ chain, transport: http(server.url), pollingInterval: 50 });
});
afterAll(() => server.close());

async function sendTransfer(value: bigint, from = 0) {
  const wallet = createWalletClient({ account: accounts[from], chain, transport: http(server.url) });
  return wallet.sendTransaction({ to: accounts[1].address, value });
}

describe('transactions through viem', () => {
  it('send, pending nonce, receipt, block and transaction objects', async () => {
    const a0 = accounts[0].address;
    const hash = await sendTransfer(1000n);
    expect(await client.getTransactionCount({ address: a0, blockTag: 'pending' })).toBe(1);
    expect(await client.getTransactionCount({ address: a0 })).toBe(0);
    const pending = await client.getTransaction({ hash });
    expect(pending.blockNumber).toBeNull();
    const vaultBefore = await client.getBalance({ address: DEFAULT_FEE_VAULT });
    backend.seal();
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    expect(receipt).toMatchObject({ status: 'success', from: a0.toLowerCase(), to: accounts[1].address.toLowerCase(), type: 'eip1559', contractAddress: null, transactionIndex: 0 });
    expect(receipt.logs[0]).toMatchObject({ logIndex: 0, removed: false, blockNumber: receipt.blockNumber, transactionHash: hash });
    const vaultAfter = await client.getBalance({ address: DEFAULT_FEE_VAULT });
    expect(vaultAfter - vaultBefore).toBe(receipt.gasUsed * receipt.effectiveGasPrice);

    const block = await client.getBlock({ blockNumber: receipt.blockNumber, includeTransactions: true });
    expect(block.hash).toBe(receipt.blockHash);
    expect(block.transactions[0]).toMatchObject({ hash, from: a0.toLowerCase(), value: 1000n, transactionIndex: 0, gasPrice: receipt.effectiveGasPrice });
    expect(block).toMatchObject({ miner: DEFAULT_FEE_VAULT, difficulty: 0n, uncles: [], nonce: '0x0000000000000000', totalDifficulty: 0n });
    expect(block.size).toBeGreaterThan(100n);
    const byHash = await client.getBlock({ blockHash: block.hash });
    expect(byHash.transactions).toEqual([hash]);
    expect(await client.getBlockTransactionCount({ blockHash: block.hash })).toBe(1);
    const mined = await client.getTransaction({ blockNumber: block.number, index: 0 });
    expect(mined).toMatchObject({ hash, blockHash: block.hash, type: 'eip1559', chainId: 1337 });
    expect(await client.getTransaction({ blockHash: block.hash, index: 0 })).toEqual(mined);
    expect(await rpc(server.url, 'eth_getTransactionByBlockNumberAndIndex', ['0x' + block.number.toString(16), '0x5'])).toMatchObject({ result: null });
  });

  it('geth-compatible rejection text as -32000', async () => {
    const wallet = createWalletClient({ account: accounts[0], chain, transport: http(server.url) });
    const raw = await wallet.signTransaction({ to: accounts[1].address, value: 1n, nonce: 0, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n });
    const r = await rpc(server.url, 'eth_sendRawTransaction', [raw]);
    expect(r.error).toEqual({ code: -32000, message: 'nonce too low' });
    const junk = await rpc(server.url, 'eth_sendRawTransaction', ['0x02c0']);
    expect(junk.error?.code).toBe(-32000);
  });

  it('reads: code, storage, fee history, unknown blocks, uncles', async () => {
    expect(await client.getCode({ address: CODE_ADDRESS })).toMatch(/^0x[0-9a-f]{2,}$/);
    expect(await client.getCode({ address: accounts[0].address })).toBeUndefined();
    expect(await client.getStorageAt({ address: CODE_ADDRESS, slot: '0x0' })).toBe(`0x${'00'.repeat(32)}`);
    const fh = await client.getFeeHistory({ blockCount: 2, rewardPercentiles: [25, 75] });
    expect(fh.baseFeePerGas.length).toBe(3);
    expect(fh.reward?.[0].length).toBe(2);
    expect(await client.estimateFeesPerGas()).toHaveProperty('maxFeePerGas');
    expect((await rpc(server.url, 'eth_getBalance', [accounts[0].address, '0x999'])).error).toEqual({ code: -32000, message: 'header not found' });
    expect((await rpc(server.url, 'eth_getBlockByNumber', ['0x999', false])).result).toBeNull();
    expect((await rpc(server.url, 'eth_getUncleCountByBlockNumber', ['latest'])).result).toBe('0x0');
    expect((await rpc(server.url, 'eth_syncing')).result).toBe(false);
    const pendingBlock = await client.getBlock({ blockTag: 'pending' });
    expect(pendingBlock.number).toBe(await client.getBlockNumber());
    const receipts = await rpc(server.url, 'eth_getBlockReceipts', ['latest']);
    expect(Array.isArray(receipts.result)).toBe(true);
  });

  it('eth_call returns data, and reverts as code 3 with the revert bytes', async () => {
    expect(await client.call({ to: CODE_ADDRESS, data: '0x1234' })).toEqual({ data: '0x1234' });
    const r = await rpc(server.url, 'eth_call', [{ to: REVERTING, data: '0x' }, 'latest']);
    expect(r.error?.code).toBe(3);
    expect(r.error?.message).toBe('execution reverted: nope');
    expect(r.error?.data).toMatch(/^0x08c379a0/);
    await expect(client.call({ to: REVERTING })).rejects.toThrow(/nope/);
    const est = await rpc(server.url, 'eth_estimateGas', [{ to: REVERTING }]);
    expect(est.error?.code).toBe(3);
    expect(await client.estimateGas({ to: CODE_ADDRESS, account: accounts[0].address })).toBe(21000n);
    expect(await client.createAccessList({ to: CODE_ADDRESS, account: accounts[0].address })).toEqual({ accessList: [], gasUsed: 21000n });
  });
});

describe('logs and filters', () => {
  it('eth_getLogs with address, topics and range; range cap is a clear error', async () => {
    const h = await sendTransfer(77n);
    backend.seal();
    await client.waitForTransactionReceipt({ hash: h, pollingInterval: 20 });
    const logs = await client.getLogs({ event: transfer, args: { to: accounts[1].address }, fromBlock: 0n });
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(logs.at(-1)?.args).toEqual({ from: accounts[0].address, to: accounts[1].address, value: 77n });
    const none = await client.getLogs({ event: transfer, args: { from: accounts[1].address }, fromBlock: 0n });
    expect(none).toEqual([]);
    const narrow = await startRpcServer({ backend, port: 0, logRangeCap: 2 });
    try {
      const capped = await rpc(narrow.url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }]);
      expect(capped.error).toMatchObject({ code: -32005, message: expect.stringContaining('at most 2 per query') });
      expect((await rpc(narrow.url, 'eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x2' }])).result).toBeDefined();
    } finally {
      await narrow.close();
    }
    const inverted = await rpc(server.url, 'eth_getLogs', [{ fromBlock: '0x2', toBlock: '0x1' }]);
    expect(inverted.error?.code).toBe(-32602);
    const byHash = await rpc(server.url, 'eth_getLogs', [{ blockHash: logs.at(-1)?.blockHash }]);
    expect((byHash.result as unknown[]).length).toBe(1);
  });

  it('block, pending-transaction and log filters over HTTP', async () => {
    const blocks = await client.createBlockFilter();
    const pending = await client.createPendingTransactionFilter();
    const events = await client.createEventFilter({ event: transfer });
    const h = await sendTransfer(5n);
    const sealed = backend.seal();
    expect(await client.getFilterChanges({ filter: blocks })).toEqual([sealed.hash]);
    expect(await client.getFilterChanges({ filter: blocks })).toEqual([]);
    expect(await client.getFilterChanges({ filter: pending })).toEqual([h]);
    const changes = await client.getFilterChanges({ filter: events });
    expect(changes.map((l) => l.transactionHash)).toEqual([h]);
    const all = await client.getFilterLogs({ filter: events });
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(await client.uninstallFilter({ filter: blocks })).toBe(true);
    expect((await rpc(server.url, 'eth_getFilterChanges', [blocks.id])).error).toEqual({ code: -32000, message: 'filter not found' });
    expect((await rpc(server.url, 'eth_subscribe', ['newHeads'])).error?.code).toBe(-32001);
  });

  it('viem watchBlockNumber over HTTP polling sees new blocks', async () => {
    const seen: bigint[] = [];
    const stop = client.watchBlockNumber({ onBlockNumber: (n) => seen.push(n), pollingInterval: 20 });
    await new Promise((r) => setTimeout(r, 60));
    const target = backend.seal().header.number;
    await expect.poll(() => seen.includes(target), { timeout: 2000, interval: 20 }).toBe(true);
    stop();
  });
});

describe('WebSocket', () => {
  it('newHeads through viem watchBlocks, and pending txs and logs through raw subscriptions', async () => {
    const ws = createPublicClient({ chain, transport: webSocket(server.wsUrl) });
    const heads: bigint[] = [];
    const stop = ws.watchBlocks({ onBlock: (b) => heads.push(b.number) });
    const pendingHashes: string[] = [];
    const logTx: string[] = [];
    const { unsubscribe: unPending } = await ws.transport.subscribe({
      params: ['newPendingTransactions'],
      onData: (d) => {
        pendingHashes.push(d.result as string);
      },
      onError: () => {},
    });
    const { unsubscribe: unLogs } = await ws.transport.subscribe({
      params: ['logs', { address: accounts[1].address }],
      onData: (d) => {
        logTx.push((d.result as { transactionHash: string }).transactionHash);
      },
      onError: () => {},
    });
    await new Promise((r) => setTimeout(r, 50));
    const h = await sendTransfer(9n);
    const sealed = backend.seal();
    await expect.poll(() => heads.includes(sealed.header.number), { timeout: 2000, interval: 20 }).toBe(true);
    await expect.poll(() => pendingHashes.includes(h) && logTx.includes(h), { timeout: 2000, interval: 20 }).toBe(true);
    stop();
    await unPending();
    await unLogs();
    // The socket also answers ordinary requests.
    expect(await ws.getBlockNumber()).toBe(sealed.header.number);
    await ws.transport.getRpcClient().then((c) => c.close());
  });
});

describe('verity namespace', () => {
  it('typed client: syncStatus and a proof that verifies against the state root', async () => {
    const vc = createVerityClient(server.url);
    const s = await vc.verity.syncStatus();
    expect(s).toMatchObject({ role: 'sequencer', headNumber: await vc.getBlockNumber() });
    const key = new Uint8Array([1, 2, 3]);
    const p = await vc.verity.getProof(key);
    expect(p.value).toBe('0x09');
    expect(verifyStateProof(p.stateRoot, key, hexToBytes(p.value as string), p.proof)).toBe(true);
    const absent = await vc.verity.getProof('0x0405', 0n);
    expect(absent.value).toBeNull();
    expect(verifyStateProof(absent.stateRoot, hexToBytes('0x0405'), null, absent.proof)).toBe(true);
    expect(verifyStateProof(absent.stateRoot, hexToBytes('0x0405'), new Uint8Array([1]), absent.proof)).toBe(false);
    expect((await rpc(server.url, 'verity_getProof', ['0x'])).error?.code).toBe(-32602);
  });

  it('typed client over WebSocket', async () => {
    const vc = createVerityClient(server.wsUrl);
    expect((await vc.verity.syncStatus()).headNumber).toBe(await vc.getBlockNumber());
    const t = vc.transport as { getRpcClient?: () => Promise<{ close(): void }> };
    (await t.getRpcClient?.())?.close();
  });
});
