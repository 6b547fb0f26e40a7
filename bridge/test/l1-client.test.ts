// The L1 client against real servers: reorg detection by block hash on the embedded L1
// (evm_snapshot / evm_revert) and on anvil (evm_revert, anvil_reorg; skipped with a note where the
// binary is absent), and retry / validation against a real local fastify server in front of the
// embedded L1 that hangs, answers garbage or caps log ranges on command.
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { createPublicClient, createTestClient, createWalletClient, encodeFunctionData, http, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTokenAbi, testTokenBytecode } from '../artifacts.ts';
import { L1Client, L1HeadTracker, startEmbeddedL1, type EmbeddedL1, type L1Block } from '../l1/index.ts';
import { L1BadResponseError, L1ReorgTooDeepError, L1RetriesExhaustedError, L1RpcError, L1TransportError } from '../l1/errors.ts';
import { HAVE_ANVIL, startAnvil, warnIfNoAnvil, type RunningL1 } from './l1-targets.ts';

warnIfNoAnvil('L1 client reorg tests');

const KEY0: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const KEY1: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const SINK: Hex = '0x00000000000000000000000000000000000005e7';

/** Sends `value` wei from `key` to SINK and waits until it is mined (anvil answers before mining). */
async function transfer(url: string, key: Hex, value: bigint): Promise<void> {
  const account = privateKeyToAccount(key);
  const w = createWalletClient({ account, chain: foundry, transport: http(url) });
  const hash = await w.sendTransaction({ to: SINK, value });
  await createPublicClient({ chain: foundry, transport: http(url), pollingInterval: 20 }).waitForTransactionReceipt({ hash });
}

/** The shared reorg scenario: a 3-block branch is replaced by a 4-block branch from the same ancestor. */
async function reorgScenario(url: string, snapshot: () => Promise<Hex>, revert: (id: Hex) => Promise<void>): Promise<void> {
  const client = new L1Client({ url, retries: 0 });
  const tracker = new L1HeadTracker(client, { window: 64 });
  const first = await tracker.poll();
  expect(first.reorg).toBeNull();
  expect(first.added).toEqual([first.head]);

  await transfer(url, KEY0, 1n);
  const grow = await tracker.poll();
  expect(grow.reorg).toBeNull();
  expect(grow.added.map((b) => b.number)).toEqual([first.head.number + 1n]);
  expect(grow.added[0].parentHash).toBe(first.head.hash);
  const ancestor = grow.head;

  const id = await snapshot();
  for (const v of [1n, 2n, 3n]) await transfer(url, KEY0, v);
  const a = await tracker.poll();
  expect(a.reorg).toBeNull();
  expect(a.added.map((b) => b.number)).toEqual([1n, 2n, 3n].map((i) => ancestor.number + i));
  const branchA = a.added;

  // same height, other contents (another sender): different hashes
  await revert(id);
  for (const v of [5n, 6n, 7n, 8n]) await transfer(url, KEY1, v);
  const b = await tracker.poll();
  expect(b.reorg).not.toBeNull();
  expect(b.reorg?.depth).toBe(3);
  expect(b.reorg?.commonAncestor).toEqual(ancestor);
  expect(b.reorg?.removed).toEqual(branchA);
  expect(b.from).toBe(ancestor.number + 1n);
  expect(b.added.map((x) => x.number)).toEqual([1n, 2n, 3n, 4n].map((i) => ancestor.number + i));
  for (let i = 0; i < 3; i++) expect(b.added[i].hash).not.toBe(branchA[i].hash);
  expect(tracker.hashAt(ancestor.number + 2n)).toBe(b.added[1].hash);

  // nothing new: nothing reported
  const still = await tracker.poll();
  expect(still.added).toEqual([]);
  expect(still.reorg).toBeNull();
}

describe('L1 client on the embedded L1', () => {
  let l1: EmbeddedL1;
  beforeAll(async () => {
    l1 = await startEmbeddedL1({ port: 0 });
  });
  afterAll(async () => {
    await l1.stop();
  });

  it('detects a reorg made with evm_snapshot / evm_revert, with its depth and common ancestor', async () => {
    const test = createTestClient({ chain: foundry, mode: 'anvil', transport: http(l1.url) });
    await reorgScenario(
      l1.url,
      () => test.snapshot(),
      (id) => test.revert({ id }),
    );
  });

  it('reports a chain that got shorter as a reorg, and a reorg deeper than its window as L1ReorgTooDeepError', async () => {
    const client = new L1Client({ url: l1.url, retries: 0 });
    const tracker = new L1HeadTracker(client, { window: 4 });
    const start = await tracker.poll();
    const id = await l1.snapshot();
    await l1.mine(2);
    expect((await tracker.poll()).added).toHaveLength(2);
    await l1.revert(id);
    const back = await tracker.poll();
    expect(back.reorg).toMatchObject({ depth: 2, commonAncestor: start.head });
    expect(back.added).toEqual([]);

    const deep = await l1.snapshot();
    for (let i = 0; i < 5; i++) await transfer(l1.url, KEY0, 10n + BigInt(i));
    await tracker.poll();
    await l1.revert(deep);
    for (let i = 0; i < 6; i++) await transfer(l1.url, KEY1, 20n + BigInt(i));
    await expect(tracker.poll()).rejects.toBeInstanceOf(L1ReorgTooDeepError);
  });

  it('after a jump longer than its window, keeps the newest blocks and reports where the new range starts', async () => {
    const client = new L1Client({ url: l1.url, retries: 0 });
    const tracker = new L1HeadTracker(client, { window: 4 });
    const start = await tracker.poll();
    await l1.mine(10);
    const u = await tracker.poll();
    expect(u.reorg).toBeNull();
    expect(u.from).toBe(start.head.number + 1n);
    expect(u.added.map((b) => b.number)).toEqual([7n, 8n, 9n, 10n].map((i) => start.head.number + i));
    expect(tracker.recent()).toEqual(u.added);
    // a restarted tracker picks up from what was persisted
    const again = new L1HeadTracker(client, { window: 4 });
    again.load(tracker.recent());
    await l1.mine(1);
    expect((await again.poll()).added.map((b) => b.number)).toEqual([start.head.number + 11n]);
  });

  it('reads blocks, confirmed heads and logs in chunks, each answer checked', async () => {
    const client = new L1Client({ url: l1.url, retries: 0 });
    expect(await client.chainId()).toBe(31337n);
    const account = privateKeyToAccount(KEY0);
    const w = createWalletClient({ account, chain: foundry, transport: http(l1.url) });
    const deployHash = await w.deployContract({ abi: testTokenAbi, bytecode: testTokenBytecode, args: ['T', 'T'] });
    const receipt = await client.viem.getTransactionReceipt({ hash: deployHash });
    const token = receipt.contractAddress as Hex;
    const from = receipt.blockNumber;
    for (let i = 1n; i <= 7n; i++) {
      await w.sendTransaction({ to: token, data: encodeFunctionData({ abi: testTokenAbi, functionName: 'mint', args: [SINK, i] }) });
    }
    const head = await client.blockNumber();
    const all = await client.getLogs({ address: token, fromBlock: from, toBlock: head });
    expect(all.map((l) => BigInt(l.data))).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    const chunked = await client.getLogs({ address: token, fromBlock: from, toBlock: head, chunkSize: 2 });
    expect(chunked).toEqual(all);
    const at = await client.getLogsAtBlock(all[3].blockHash, { address: token });
    expect(at).toEqual([all[3]]);

    const c1 = await client.confirmedHead(1);
    const c3 = await client.confirmedHead(3);
    expect(c1?.number).toBe(head);
    expect(c3?.number).toBe(head - 2n);
    expect(await client.confirmedHead(Number(head) + 5)).toBeNull();
    const byHash = await client.getBlockByHash(c3?.hash as Hex);
    expect(byHash).toEqual(c3);
    expect(await client.getBlock(head + 100n)).toBeNull();
  });
});

/** A real HTTP server in front of an L1 that misbehaves on command, request by request. */
type Behaviour = 'ok' | 'hang' | 'html' | 'truncated-json' | 'not-a-quantity' | 'http-503' | 'wrong-block';
interface Flaky {
  url: string;
  queue: Behaviour[];
  seen: string[];
  /** eth_getLogs over more blocks than this is refused as a provider would */
  maxLogRange: number;
  close(): Promise<void>;
}

async function flakyProxy(upstream: string): Promise<Flaky> {
  const app: FastifyInstance = Fastify({ forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const state: Flaky = { url: '', queue: [], seen: [], maxLogRange: Infinity, close: () => app.close() };
  const hung: (() => void)[] = [];
  app.post('/', async (req, reply) => {
    const body = JSON.parse(String(req.body)) as { id: number; method: string; params: { fromBlock?: string; toBlock?: string }[] };
    state.seen.push(body.method);
    const b = state.queue.shift() ?? 'ok';
    const answer = (result: unknown) => reply.type('application/json').send(JSON.stringify({ jsonrpc: '2.0', id: body.id, result }));
    if (b === 'hang') return new Promise<void>((resolve) => hung.push(resolve));
    if (b === 'html') return reply.type('text/html').send('<html><body>502 Bad Gateway</body></html>');
    if (b === 'truncated-json') return reply.type('application/json').send('{"jsonrpc":"2.0","id":');
    if (b === 'not-a-quantity') return answer('twelve');
    if (b === 'http-503') return reply.code(503).send('busy');
    const p = body.params[0];
    if (body.method === 'eth_getLogs' && p?.fromBlock !== undefined && p.toBlock !== undefined && BigInt(p.toBlock) - BigInt(p.fromBlock) + 1n > BigInt(state.maxLogRange)) {
      return reply.type('application/json').send(JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code: -32005, message: 'block range too large' } }));
    }
    const res = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: String(req.body) });
    const text = await res.text();
    if (b === 'wrong-block') {
      const parsed = JSON.parse(text) as { result: { number: string } };
      parsed.result.number = '0x999999';
      return reply.type('application/json').send(JSON.stringify(parsed));
    }
    return reply.type('application/json').send(text);
  });
  app.addHook('onClose', async () => {
    for (const h of hung) h();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  state.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return state;
}

describe('L1 client retry and validation against a misbehaving server', () => {
  let l1: EmbeddedL1;
  let flaky: Flaky;
  beforeAll(async () => {
    l1 = await startEmbeddedL1({ port: 0 });
    await l1.mine(5);
    flaky = await flakyProxy(l1.url);
  });
  afterAll(async () => {
    await flaky.close();
    await l1.stop();
  });

  it('retries timeouts, HTTP errors and garbage with backoff, then answers from the real L1', async () => {
    const client = new L1Client({ url: flaky.url, timeoutMs: 300, retries: 6, backoffMs: 10 });
    flaky.queue = ['hang', 'html', 'truncated-json', 'http-503', 'not-a-quantity', 'wrong-block'];
    flaky.seen = [];
    const t0 = Date.now();
    const b = await client.getBlock(3n);
    expect(b?.number).toBe(3n);
    expect(b?.hash).toBe(l1.chain.blockByNumber(3n)?.hash);
    expect(flaky.seen).toHaveLength(7);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300); // the hang waited for its timeout
  });

  it('gives up with a typed error, the last failure as its cause, never a crash', async () => {
    const client = new L1Client({ url: flaky.url, timeoutMs: 200, retries: 2, backoffMs: 5 });
    flaky.queue = ['not-a-quantity', 'not-a-quantity', 'not-a-quantity'];
    const e1 = await client.blockNumber().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(L1RetriesExhaustedError);
    expect((e1 as L1RetriesExhaustedError).code).toBe('L1_RETRIES_EXHAUSTED');
    expect((e1 as Error).cause).toBeInstanceOf(L1BadResponseError);

    flaky.queue = ['hang', 'hang', 'hang'];
    const e2 = await client.chainId().catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(L1RetriesExhaustedError);
    expect((e2 as Error).cause).toBeInstanceOf(L1TransportError);

    // nothing listening at all
    const dead = new L1Client({ url: 'http://127.0.0.1:9', timeoutMs: 200, retries: 1, backoffMs: 5 });
    await expect(dead.blockNumber()).rejects.toBeInstanceOf(L1RetriesExhaustedError);
  });

  it('does not retry a JSON-RPC error answer', async () => {
    const client = new L1Client({ url: flaky.url, retries: 5, backoffMs: 5 });
    flaky.seen = [];
    const e = await client.request('eth_noSuchMethod', [], (r) => r).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(L1RpcError);
    expect((e as L1RpcError).rpcCode).toBe(-32601);
    expect(flaky.seen).toEqual(['eth_noSuchMethod']);
  });

  it('halves the eth_getLogs range when the server caps it', async () => {
    const client = new L1Client({ url: flaky.url, retries: 0 });
    flaky.maxLogRange = 2;
    flaky.seen = [];
    const logs = await client.getLogs({ fromBlock: 0n, toBlock: 5n, chunkSize: 8 });
    expect(logs).toEqual([]);
    // 8 → refused, 4 → refused, 2 → 3 chunks
    expect(flaky.seen.filter((m) => m === 'eth_getLogs').length).toBe(5);
    flaky.maxLogRange = Infinity;
  });

  it('a tracker over a flaky server still sees the same chain', async () => {
    const client = new L1Client({ url: flaky.url, timeoutMs: 300, retries: 4, backoffMs: 5 });
    const tracker = new L1HeadTracker(client);
    await tracker.poll();
    await l1.mine(3);
    flaky.queue = ['html', 'ok', 'hang', 'ok', 'not-a-quantity'];
    const u = await tracker.poll();
    expect(u.reorg).toBeNull();
    const expected: L1Block[] = [1n, 2n, 3n].map((i) => {
      const r = l1.chain.blockByNumber(5n + i);
      if (r === undefined) throw new Error('missing');
      return { number: 5n + i, hash: r.hash, parentHash: r.parentHash, timestamp: r.timestamp };
    });
    expect(u.added).toEqual(expected);
  });
});

describe.skipIf(!HAVE_ANVIL)('L1 client on anvil', () => {
  let anvil: RunningL1;
  beforeAll(async () => {
    anvil = await startAnvil();
  });
  afterAll(async () => {
    await anvil.stop();
  });

  it('detects a reorg made with evm_snapshot / evm_revert', async () => {
    const test = createTestClient({ chain: foundry, mode: 'anvil', transport: http(anvil.url) });
    await reorgScenario(
      anvil.url,
      () => test.snapshot(),
      (id) => test.revert({ id }),
    );
  });

  it('detects a reorg made with anvil_reorg', async () => {
    const client = new L1Client({ url: anvil.url, retries: 0 });
    const tracker = new L1HeadTracker(client);
    await tracker.poll();
    for (let i = 0; i < 4; i++) await transfer(anvil.url, KEY0, 100n + BigInt(i));
    const before = await tracker.poll();
    const head = before.head;
    // replace the last 2 blocks with blocks holding another transaction
    const tx = { from: privateKeyToAccount(KEY1).address, to: SINK, value: '0x7' };
    await client.request('anvil_reorg', [2, [[tx, 0]]], (r) => r);
    const after = await tracker.poll();
    expect(after.reorg?.depth).toBe(2);
    expect(after.reorg?.commonAncestor.number).toBe(head.number - 2n);
    expect(after.reorg?.removed.map((b) => b.number)).toEqual([head.number - 1n, head.number]);
    expect(after.head.number).toBe(head.number);
    expect(after.head.hash).not.toBe(head.hash);
  });
});
