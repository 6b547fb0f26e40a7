// WebSocket transport with a raw client: subscription ids before notifications, full pending
// transactions, filter validation, unsubscribe, and shutdown with sockets still open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWalletClient, defineChain, http } from 'viem';
import type { RpcServer } from '../server.ts';
import { accounts, startTestServer } from './helpers.ts';
import type { MemoryBackend } from './memory-backend.ts';
import { ChainFeed } from '../feed.ts';
import { Subscriptions } from '../subscriptions.ts';
import { DEFAULT_FEE_VAULT } from '../../state-machine/modules/addresses.ts';

const chain = defineChain({ id: 1337, name: 't', nativeCurrency: { name: 'V', symbol: 'V', decimals: 18 }, rpcUrls: { default: { http: [] } } });
let server: RpcServer;
let backend: MemoryBackend;
beforeAll(async () => {
  ({ server, backend } = await startTestServer());
});
afterAll(() => server.close());

interface Msg {
  id?: number;
  result?: unknown;
  error?: { code: number; message: string };
  method?: string;
  params?: { subscription: string; result: Record<string, unknown> | string };
}

async function connect(url: string) {
  const ws = new WebSocket(url);
  const inbox: Msg[] = [];
  ws.on('message', (d) => {
    const m: unknown = JSON.parse(d.toString());
    if (Array.isArray(m)) inbox.push(...(m as Msg[]));
    else inbox.push(m as Msg);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let next = 1;
  const call = async (method: string, params: unknown[] = []): Promise<Msg> => {
    const id = next++;
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    await expect.poll(() => inbox.some((m) => m.id === id), { timeout: 2000, interval: 5 }).toBe(true);
    return inbox.find((m) => m.id === id) as Msg;
  };
  return { ws, inbox, call };
}

describe('subscriptions over a raw WebSocket', () => {
  it('newHeads, full pending transactions, unsubscribe', async () => {
    const c = await connect(server.wsUrl);
    const heads = (await c.call('eth_subscribe', ['newHeads'])).result as string;
    const full = (await c.call('eth_subscribe', ['newPendingTransactions', true])).result as string;
    expect(heads).toMatch(/^0x[0-9a-f]{32}$/);
    const wallet = createWalletClient({ account: accounts[0], chain, transport: http(server.url) });
    const hash = await wallet.sendTransaction({ to: accounts[1].address, value: 3n });
    await expect.poll(() => c.inbox.some((m) => m.params?.subscription === full), { timeout: 2000, interval: 5 }).toBe(true);
    const tx = c.inbox.find((m) => m.params?.subscription === full)?.params?.result as Record<string, unknown>;
    expect(tx).toMatchObject({ hash, blockHash: null, value: '0x3' });
    const block = backend.seal();
    await expect.poll(() => c.inbox.some((m) => m.params?.subscription === heads), { timeout: 2000, interval: 5 }).toBe(true);
    const head = c.inbox.find((m) => m.params?.subscription === heads)?.params?.result as Record<string, unknown>;
    expect(head).toMatchObject({ hash: block.hash, number: `0x${block.header.number.toString(16)}`, parentHash: block.header.parentHash });
    expect(head).not.toHaveProperty('transactions');
    expect((await c.call('eth_unsubscribe', [heads])).result).toBe(true);
    expect((await c.call('eth_unsubscribe', [heads])).result).toBe(false);
    const before = c.inbox.length;
    backend.seal();
    await new Promise((r) => setTimeout(r, 50));
    expect(c.inbox.slice(before).some((m) => m.params?.subscription === heads)).toBe(false);
    c.ws.close();
  });

  it('holds notifications of a new subscription until its response is released', () => {
    const feed = new ChainFeed(backend, (err) => {
      throw err;
    });
    const sent: string[] = [];
    const subs = new Subscriptions(feed, backend, DEFAULT_FEE_VAULT, (t) => sent.push(t));
    const scope = subs.scope();
    const id = scope.subscribe({ kind: 'newHeads' });
    backend.seal();
    expect(sent).toEqual([]);
    scope.release();
    expect(sent.length).toBe(1);
    expect(JSON.parse(sent[0])).toMatchObject({ method: 'eth_subscription', params: { subscription: id } });
    backend.seal();
    expect(sent.length).toBe(2);
    subs.close();
    feed.close();
  });

  it('rejects bad subscription params with -32602', async () => {
    const c = await connect(server.wsUrl);
    expect((await c.call('eth_subscribe', ['syncing'])).error?.code).toBe(-32602);
    expect((await c.call('eth_subscribe', ['logs', { address: 'nope' }])).error?.message).toContain('argument 1 (filter).address');
    expect((await c.call('eth_subscribe', ['logs', 5])).error?.code).toBe(-32602);
    expect((await c.call('eth_subscribe', ['newHeads', {}])).error?.code).toBe(-32602);
    expect((await c.call('eth_subscribe', ['newPendingTransactions', 'yes'])).error?.code).toBe(-32602);
    c.ws.close();
  });

  it('drops a client that stops answering pings, keeps one that answers', async () => {
    const own = await startTestServer({ wsPingIntervalMs: 40 });
    const silent = new WebSocket(own.server.wsUrl, { autoPong: false });
    const healthy = new WebSocket(own.server.wsUrl);
    await Promise.all([silent, healthy].map((w) => new Promise((resolve) => w.once('open', resolve))));
    const closed = new Promise((resolve) => silent.once('close', resolve));
    await closed;
    await new Promise((r) => setTimeout(r, 100));
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    healthy.close();
    await own.server.close();
  });

  it('close() ends open sockets and resolves', async () => {
    const own = await startTestServer();
    const c = await connect(own.server.wsUrl);
    await c.call('eth_subscribe', ['newHeads']);
    const closed = new Promise((resolve) => c.ws.once('close', resolve));
    await own.server.close();
    await closed;
    own.backend.seal();
    expect(own.backend.events.listenerCount('block')).toBe(0);
  });
});
