// The embedded L1 through real clients: viem over HTTP (deploy, eth_sendTransaction, legacy and
// EIP-1559 transactions, calls at old blocks, logs, receipts, reverts with their data, fees), raw
// JSON-RPC (batches, errors), WebSocket subscriptions, interval mining, snapshots, the durable block
// log (a restart, and a SIGKILLed process, replay to the same head hash and balances), and `cast`
// (the optional @foundry-rs/cast-linux-amd64 binary; skipped with a note where absent).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeEventLog,
  encodeFunctionData,
  getAddress,
  http,
  parseEther,
  toEventSelector,
  toFunctionSelector,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTokenAbi, testTokenBytecode } from '../artifacts.ts';
import { L1LogReplayError, startEmbeddedL1, type EmbeddedL1 } from '../l1/index.ts';
import { CAST, HAVE_CAST } from './l1-targets.ts';

if (!HAVE_CAST) console.warn(`embedded L1 cast tests skipped: no cast binary at ${CAST} (optional dependency)`);

const ANVIL_ACCOUNT_0 = getAddress('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
const ANVIL_ACCOUNT_9 = getAddress('0xa0ee7a142d267c1f36714e4a8f75612f20a79720');
const SINK = getAddress('0x00000000000000000000000000000000000051c1');

async function rpc(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return res.json();
}

async function call(url: string, method: string, params: unknown[] = []): Promise<{ result?: unknown; error?: { code: number; message: string; data?: string } }> {
  return (await rpc(url, { jsonrpc: '2.0', id: 1, method, params })) as { result?: unknown; error?: { code: number; message: string; data?: string } };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'verity-l1-'));
}

describe('embedded L1 through viem and raw JSON-RPC', () => {
  let l1: EmbeddedL1;
  let pub: PublicClient;
  let token: Hex;
  beforeAll(async () => {
    l1 = await startEmbeddedL1({ port: 0 });
    pub = createPublicClient({ chain: foundry, transport: http(l1.url), pollingInterval: 20 });
  });
  afterAll(async () => {
    await l1.stop();
  });

  it("answers like anvil for the test mnemonic's accounts and the chain id", async () => {
    expect(l1.accounts).toHaveLength(10);
    expect(l1.accounts[0].address).toBe(ANVIL_ACCOUNT_0);
    expect(await pub.getChainId()).toBe(31337);
    expect((await call(l1.url, 'eth_accounts')).result).toEqual(l1.accounts.map((a) => a.address));
    expect(await pub.getBalance({ address: ANVIL_ACCOUNT_9 })).toBe(parseEther('10000'));
    expect((await call(l1.url, 'net_version')).result).toBe('31337');
    expect((await call(l1.url, 'web3_clientVersion')).result).toMatch(/^verity-embedded-l1/);
  });

  it('answers batches in order, and malformed requests with JSON-RPC errors', async () => {
    const batch = (await rpc(l1.url, [
      { jsonrpc: '2.0', id: 'a', method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 'b', method: 'eth_nope', params: [] },
      { jsonrpc: '2.0', id: 'c', method: 'eth_getBalance', params: ['0x12', 'latest'] },
      { jsonrpc: '2.0', id: 'd', method: 'eth_blockNumber' },
    ])) as { id: string; result?: unknown; error?: { code: number; message: string } }[];
    expect(batch.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(batch[0].result).toBe('0x7a69');
    expect(batch[1].error?.code).toBe(-32601);
    expect(batch[2].error).toMatchObject({ code: -32602 });
    expect(batch[2].error?.message).toMatch(/address/);
    expect(batch[3].result).toMatch(/^0x[0-9a-f]+$/);
    expect(await rpc(l1.url, '{"jsonrpc":')).toMatchObject({ error: { code: -32700 } });
    expect(await rpc(l1.url, [])).toMatchObject({ error: { code: -32600 } });
    expect((await call(l1.url, 'eth_getBlockByNumber', ['0xffffff', false])).result).toBeNull();
  });

  it('deploys with eth_sendTransaction, returns receipts with logs, and reads state at old blocks', async () => {
    // a JSON-RPC account: the node signs (eth_sendTransaction), as anvil does for its dev accounts
    const w = createWalletClient({ account: ANVIL_ACCOUNT_0, chain: foundry, transport: http(l1.url) });
    const deploy = await w.deployContract({ abi: testTokenAbi, bytecode: testTokenBytecode, args: ['Verity Test Token', 'VTT'] });
    const dr = await pub.waitForTransactionReceipt({ hash: deploy });
    expect(dr.status).toBe('success');
    expect(dr.contractAddress).toMatch(/^0x[0-9a-f]{40}$/);
    token = dr.contractAddress as Hex;
    expect((await pub.getCode({ address: token }))?.length).toBeGreaterThan(100);
    expect(await pub.getCode({ address: token, blockNumber: dr.blockNumber - 1n })).toBeUndefined();

    const mint = await w.writeContract({ address: token, abi: testTokenAbi, functionName: 'mint', args: [SINK, 500n] });
    const mr = await pub.waitForTransactionReceipt({ hash: mint });
    expect(mr.logs).toHaveLength(1);
    const ev = decodeEventLog({ abi: testTokenAbi, data: mr.logs[0].data, topics: mr.logs[0].topics });
    expect(ev).toMatchObject({ eventName: 'Transfer', args: { to: SINK, value: 500n } });
    const block = await pub.getBlock({ blockNumber: mr.blockNumber, includeTransactions: true });
    expect(block.transactions[0]).toMatchObject({ hash: mint, type: 'eip1559', from: ANVIL_ACCOUNT_0.toLowerCase() });
    expect(mr.effectiveGasPrice).toBe((block.baseFeePerGas ?? 0n) + 1_000_000_000n);
    expect(mr.logs[0]).toMatchObject({ blockHash: block.hash, logIndex: 0, transactionIndex: 0 });
    expect(block.transactions[0].gasPrice).toBe(mr.effectiveGasPrice);

    await w.writeContract({ address: token, abi: testTokenAbi, functionName: 'mint', args: [SINK, 7n] });
    const read = (blockNumber?: bigint) => pub.readContract({ address: token, abi: testTokenAbi, functionName: 'balanceOf', args: [SINK], blockNumber });
    expect(await read()).toBe(507n);
    expect(await read(mr.blockNumber)).toBe(500n);
    expect(await read(mr.blockNumber - 1n)).toBe(0n);

    // balances live at slot keccak(key ‖ slot index) in the token; any non-zero slot will do: the name's
    const slot0 = await pub.getStorageAt({ address: token, slot: '0x0' });
    expect(slot0).toMatch(/^0x[0-9a-f]{64}$/);

    const transfer = toEventSelector('Transfer(address,address,uint256)');
    const logs = await pub.getLogs({ address: token, fromBlock: 0n, toBlock: 'latest' });
    expect(logs.map((l) => BigInt(l.data))).toEqual([500n, 7n]);
    const byTopic = await call(l1.url, 'eth_getLogs', [{ fromBlock: '0x0', topics: [transfer, null, [`0x${SINK.slice(2).toLowerCase().padStart(64, '0')}`]] }]);
    expect(byTopic.result).toHaveLength(2);
    const byHash = await call(l1.url, 'eth_getLogs', [{ blockHash: block.hash }]);
    expect(byHash.result).toHaveLength(1);
    const none = await call(l1.url, 'eth_getLogs', [{ fromBlock: '0x0', address: SINK }]);
    expect(none.result).toEqual([]);
  });

  it('signs legacy and EIP-1559 transactions from a local key, and refuses bad ones with useful errors', async () => {
    const key = l1.accounts[3].privateKey;
    const account = privateKeyToAccount(key);
    const w = createWalletClient({ account, chain: foundry, transport: http(l1.url) });
    const legacy = await w.sendTransaction({ to: SINK, value: 5n, gasPrice: 3_000_000_000n, type: 'legacy' });
    const lr = await pub.waitForTransactionReceipt({ hash: legacy });
    expect(lr).toMatchObject({ status: 'success', type: 'legacy', effectiveGasPrice: 3_000_000_000n, gasUsed: 21000n });
    const tx1559 = await w.sendTransaction({ to: SINK, value: 6n });
    expect((await pub.waitForTransactionReceipt({ hash: tx1559 })).type).toBe('eip1559');
    expect(await pub.getBalance({ address: SINK })).toBe(11n);

    const stale = await w.signTransaction({ to: SINK, value: 1n, nonce: 0, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n });
    expect((await call(l1.url, 'eth_sendRawTransaction', [stale])).error).toMatchObject({ code: -32000, message: expect.stringMatching(/nonce too low/) });
    const poor = privateKeyToAccount('0x0000000000000000000000000000000000000000000000000000000000000abc');
    const broke = await createWalletClient({ account: poor, chain: foundry, transport: http(l1.url) }).signTransaction({
      to: SINK, value: 1n, nonce: 0, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n,
    });
    expect((await call(l1.url, 'eth_sendRawTransaction', [broke])).error?.message).toMatch(/insufficient funds/);
    expect((await call(l1.url, 'eth_sendRawTransaction', ['0x02deadbeef'])).error?.code).toBe(-32602);
    const otherChain = await account.signTransaction({ chainId: 1, type: 'eip1559', to: SINK, value: 1n, nonce: 2, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n });
    expect((await call(l1.url, 'eth_sendRawTransaction', [otherChain])).error?.message).toMatch(/chain/);
  });

  it('reverts of eth_call and eth_estimateGas carry the revert data, as geth sends them', async () => {
    const data = encodeFunctionData({ abi: testTokenAbi, functionName: 'transfer', args: [SINK, 1n] });
    const callErr = (await call(l1.url, 'eth_call', [{ from: l1.accounts[5].address, to: token, data }, 'latest'])).error;
    expect(callErr).toMatchObject({ code: 3, message: 'execution reverted' });
    expect(callErr?.data?.slice(0, 10)).toBe(toFunctionSelector('InsufficientBalance(address,uint256,uint256)'));
    const estErr = (await call(l1.url, 'eth_estimateGas', [{ from: l1.accounts[5].address, to: token, data }])).error;
    expect(estErr).toMatchObject({ code: 3, data: callErr?.data });
    // viem decodes the custom error from that data
    await expect(
      pub.simulateContract({ account: l1.accounts[5].address, address: token, abi: testTokenAbi, functionName: 'transfer', args: [SINK, 1n] }),
    ).rejects.toThrow(/InsufficientBalance/);
    // the estimate is enough and not wildly more than used
    const mint = encodeFunctionData({ abi: testTokenAbi, functionName: 'mint', args: [SINK, 1n] });
    const est = await pub.estimateGas({ account: l1.accounts[5].address, to: token, data: mint });
    const w = createWalletClient({ account: privateKeyToAccount(l1.accounts[5].privateKey), chain: foundry, transport: http(l1.url) });
    const r = await pub.waitForTransactionReceipt({ hash: await w.sendTransaction({ to: token, data: mint, gas: est }) });
    expect(r.status).toBe('success');
    expect(est).toBeLessThan((r.gasUsed * 115n) / 100n);
    expect(await pub.estimateGas({ account: l1.accounts[5].address, to: SINK, value: 1n })).toBe(21000n);
  });

  it('prices blocks with a real EIP-1559 base fee and reports it in eth_feeHistory', async () => {
    const n = await l1.mine(3);
    const blocks = await Promise.all([n - 2n, n - 1n, n].map((blockNumber) => pub.getBlock({ blockNumber })));
    for (let i = 1; i < 3; i++) {
      const parent = blocks[i - 1].baseFeePerGas ?? 0n;
      // empty parents: the base fee falls by an eighth
      expect(blocks[i].baseFeePerGas).toBe(parent - parent / 8n);
    }
    const hist = await pub.getFeeHistory({ blockCount: 3, blockNumber: n, rewardPercentiles: [50] });
    expect(hist.oldestBlock).toBe(n - 2n);
    expect(hist.baseFeePerGas.slice(0, 3)).toEqual(blocks.map((b) => b.baseFeePerGas));
    expect(hist.baseFeePerGas[3]).toBe((blocks[2].baseFeePerGas ?? 0n) - (blocks[2].baseFeePerGas ?? 0n) / 8n);
    expect(hist.gasUsedRatio).toEqual([0, 0, 0]);
    const fees = await pub.estimateFeesPerGas();
    expect(fees.maxPriorityFeePerGas).toBe(1_000_000_000n);
    expect(await pub.getGasPrice()).toBe(hist.baseFeePerGas[3] + 1_000_000_000n);
  });

  it('snapshots and reverts: other blocks at the same height, the reverted transaction forgotten', async () => {
    const test = createTestClient({ chain: foundry, mode: 'anvil', transport: http(l1.url) });
    const w = createWalletClient({ account: privateKeyToAccount(l1.accounts[6].privateKey), chain: foundry, transport: http(l1.url) });
    const id = await test.snapshot();
    const before = await pub.getBlockNumber();
    const a = await w.sendTransaction({ to: SINK, value: 100n });
    const hashA = (await pub.getBlock()).hash;
    expect(await test.revert({ id })).toBeUndefined();
    expect(await pub.getBlockNumber()).toBe(before);
    expect(await pub.request({ method: 'eth_getTransactionReceipt', params: [a] })).toBeNull();
    await w.sendTransaction({ to: SINK, value: 200n });
    const b = await pub.getBlock();
    expect(b.number).toBe(before + 1n);
    expect(b.hash).not.toBe(hashA);
    expect((await call(l1.url, 'evm_revert', [id])).result).toBe(false); // used up

    await test.setBalance({ address: SINK, value: 42n });
    expect(await pub.getBalance({ address: SINK })).toBe(42n);
    // the edit is in the next block's state root: read back through that root from a later head
    const n = await l1.mine(2);
    expect(await pub.getBalance({ address: SINK, blockNumber: n - 1n })).toBe(42n);
  });

  it('serves eth_subscribe newHeads and logs over WebSocket', async () => {
    const ws = new WebSocket(l1.wsUrl);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const messages: { id?: number; result?: unknown; params?: { subscription: string; result: Record<string, unknown> } }[] = [];
    ws.on('message', (m: Buffer) => messages.push(JSON.parse(m.toString())));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'eth_subscribe', params: ['logs', { address: token }] }));
    const until = async (f: () => boolean) => {
      for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(f()).toBe(true);
    };
    await until(() => messages.filter((m) => m.id !== undefined).length === 2);
    const headsId = messages.find((m) => m.id === 1)?.result;
    const logsId = messages.find((m) => m.id === 2)?.result;
    const w = createWalletClient({ account: privateKeyToAccount(l1.accounts[7].privateKey), chain: foundry, transport: http(l1.url) });
    const hash = await w.writeContract({ address: token, abi: testTokenAbi, functionName: 'mint', args: [SINK, 9n] });
    await until(() => messages.some((m) => m.params?.subscription === logsId));
    const head = messages.find((m) => m.params?.subscription === headsId)?.params?.result;
    const log = messages.find((m) => m.params?.subscription === logsId)?.params?.result;
    const receipt = await pub.getTransactionReceipt({ hash });
    expect(head).toMatchObject({ hash: receipt.blockHash, number: `0x${receipt.blockNumber.toString(16)}` });
    expect(log).toMatchObject({ transactionHash: hash, address: token, blockHash: receipt.blockHash });
    ws.close();
  });
});

describe('embedded L1 interval mining', () => {
  it('mines empty blocks on the interval, pools transactions until then, and keeps timestamps monotonic', async () => {
    const l1 = await startEmbeddedL1({ port: 0, blockTimeMs: 100 });
    try {
      const pub = createPublicClient({ chain: foundry, transport: http(l1.url), pollingInterval: 20 });
      const account = privateKeyToAccount(l1.accounts[0].privateKey);
      const w = createWalletClient({ account, chain: foundry, transport: http(l1.url) });
      const raw = await w.signTransaction({ to: SINK, value: 1n, nonce: 0, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n });
      const hash = (await call(l1.url, 'eth_sendRawTransaction', [raw])).result as Hex;
      expect(await pub.getTransactionCount({ address: account.address, blockTag: 'pending' })).toBe(1);
      const receipt = await pub.waitForTransactionReceipt({ hash });
      expect(receipt.status).toBe('success');
      const start = await pub.getBlockNumber();
      await new Promise((r) => setTimeout(r, 450));
      const end = await pub.getBlockNumber();
      expect(end - start).toBeGreaterThanOrEqual(2n);
      let prev = 0n;
      for (let n = 0n; n <= end; n++) {
        const b = await pub.getBlock({ blockNumber: n });
        expect(b.timestamp).toBeGreaterThanOrEqual(prev);
        prev = b.timestamp;
      }
    } finally {
      await l1.stop();
    }
  });
});

describe('embedded L1 durable block log', () => {
  it('restarts to the same head hash, balances, logs and contracts; a revert is durable too', async () => {
    const dir = tmp();
    try {
      let l1 = await startEmbeddedL1({ port: 0, dataDir: dir });
      let pub = createPublicClient({ chain: foundry, transport: http(l1.url), pollingInterval: 20 });
      const account = privateKeyToAccount(l1.accounts[0].privateKey);
      let w = createWalletClient({ account, chain: foundry, transport: http(l1.url) });
      const deploy = await w.deployContract({ abi: testTokenAbi, bytecode: testTokenBytecode, args: ['T', 'T'] });
      const token = (await pub.getTransactionReceipt({ hash: deploy })).contractAddress as Hex;
      await w.writeContract({ address: token, abi: testTokenAbi, functionName: 'mint', args: [SINK, 77n] });
      await w.sendTransaction({ to: SINK, value: parseEther('1'), type: 'legacy', gasPrice: 2_000_000_000n });
      await createTestClient({ chain: foundry, mode: 'anvil', transport: http(l1.url) }).setBalance({ address: l1.accounts[9].address, value: 5n });
      await l1.mine(2);
      const head = await pub.getBlock();
      const balances = await Promise.all(l1.accounts.map((a) => pub.getBalance({ address: a.address })));
      const logs = await pub.getLogs({ fromBlock: 0n });
      await l1.stop();

      l1 = await startEmbeddedL1({ port: 0, dataDir: dir });
      pub = createPublicClient({ chain: foundry, transport: http(l1.url), pollingInterval: 20 });
      expect(await pub.getBlock()).toEqual(head);
      expect(await Promise.all(l1.accounts.map((a) => pub.getBalance({ address: a.address })))).toEqual(balances);
      expect(balances[9]).toBe(5n);
      expect(await pub.getBalance({ address: SINK })).toBe(parseEther('1'));
      expect(await pub.getLogs({ fromBlock: 0n })).toEqual(logs);
      expect(await pub.readContract({ address: token, abi: testTokenAbi, functionName: 'balanceOf', args: [SINK] })).toBe(77n);
      expect(await pub.getTransactionReceipt({ hash: deploy })).toMatchObject({ contractAddress: token });

      // it carries on from there; a revert removes the reverted blocks from the log as well
      w = createWalletClient({ account, chain: foundry, transport: http(l1.url) });
      const id = await l1.snapshot();
      await w.sendTransaction({ to: SINK, value: 1n });
      await l1.mine(2);
      expect(await l1.revert(id)).toBe(true);
      await l1.stop();
      l1 = await startEmbeddedL1({ port: 0, dataDir: dir });
      expect(l1.chain.head().hash).toBe(head.hash);
      await l1.stop();

      // another chain id cannot open this log
      await expect(startEmbeddedL1({ port: 0, dataDir: dir, chainId: 1337n })).rejects.toBeInstanceOf(L1LogReplayError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a SIGKILLed L1 process loses no block it announced', async () => {
    const dir = tmp();
    const script = new URL('./fixtures/l1-process.ts', import.meta.url).pathname;
    // node itself (tsx as a loader), so the SIGKILL reaches the process that holds the log
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const line = out.split('\n')[0];
          if (out.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
        });
        child.on('exit', (code) => reject(new Error(`L1 process exited with ${code}`)));
      });
      const pub = createPublicClient({ chain: foundry, transport: http(url), pollingInterval: 20 });
      const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
      const w = createWalletClient({ account, chain: foundry, transport: http(url) });
      for (let i = 1n; i <= 5n; i++) await w.sendTransaction({ to: SINK, value: i });
      const head = await pub.getBlock();
      const balance = await pub.getBalance({ address: account.address });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const l1 = await startEmbeddedL1({ port: 0, dataDir: dir });
      try {
        const again = createPublicClient({ chain: foundry, transport: http(l1.url) });
        expect(await again.getBlock()).toEqual(head);
        expect(await again.getBalance({ address: account.address })).toBe(balance);
        expect(await again.getBalance({ address: SINK })).toBe(15n);
      } finally {
        await l1.stop();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(!HAVE_CAST)('embedded L1 through cast', () => {
  const run = promisify(execFile);
  let l1: EmbeddedL1;
  beforeAll(async () => {
    l1 = await startEmbeddedL1({ port: 0 });
  });
  afterAll(async () => {
    await l1.stop();
  });
  const cast = async (sub: string, ...args: string[]) =>
    (await run(CAST, [sub, '--rpc-url', l1.url, ...args], { env: { ...process.env, FOUNDRY_DISABLE_NIGHTLY_WARNING: '1' } })).stdout.trim();

  it('cast block-number, balance, send and call work against it', async () => {
    expect(await cast('chain-id')).toBe('31337');
    expect(await cast('block-number')).toBe('0');
    expect(await cast('balance', l1.accounts[1].address)).toBe(parseEther('10000').toString());
    await cast('send', '--private-key', l1.accounts[1].privateKey, SINK, '--value', '12345');
    expect(await cast('block-number')).toBe('1');
    expect(await cast('balance', SINK)).toBe('12345');
    // the token's constructor takes (name, symbol): the bytecode plus its ABI-encoded arguments
    const args = (await run(CAST, ['abi-encode', 'f(string,string)', 'Cast Token', 'CT'])).stdout.trim().slice(2);
    const deployed = JSON.parse(await cast('send', '--private-key', l1.accounts[2].privateKey, '--json', '--create', testTokenBytecode + args)) as { contractAddress: string; status: string };
    expect(deployed.status).toBe('0x1');
    const minted = JSON.parse(await cast('send', '--private-key', l1.accounts[2].privateKey, '--json', deployed.contractAddress, 'mint(address,uint256)', SINK, '31')) as {
      status: string;
      logs: unknown[];
      transactionHash: string;
    };
    expect(minted.status).toBe('0x1');
    expect(minted.logs).toHaveLength(1);
    expect(await cast('call', deployed.contractAddress, 'balanceOf(address)(uint256)', SINK)).toBe('31');
    expect(await cast('call', deployed.contractAddress, 'symbol()(string)')).toBe('"CT"');
    const receipt = JSON.parse(await cast('receipt', '--json', minted.transactionHash)) as { status: string; blockNumber: string };
    expect(receipt).toMatchObject({ status: '0x1', blockNumber: '0x3' });
  });
});
