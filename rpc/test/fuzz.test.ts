// Hostile input: random bodies, random methods with random and near-valid params, over HTTP and
// WebSocket. Every answer must be a well-formed JSON-RPC response (or nothing, for notifications),
// never an internal error, and the server must keep answering.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methods } from '../methods/index.ts';
import { startTempNode, testGenesis } from './node-helpers.ts';
import { post, rpc, startTestServer } from './helpers.ts';

interface Target {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

// The in-memory backend, and the real node (its backend must turn hostile params into clean errors too).
const targets: [string, () => Promise<Target>][] = [
  ['in-memory backend', async () => (await startTestServer({ maxBodyBytes: 256 * 1024 })).server],
  [
    'real node',
    async () => {
      const node = await startTempNode(testGenesis(50));
      return { url: node.url, wsUrl: node.rpc.wsUrl, close: () => node.stop() };
    },
  ],
];

function checkResponse(r: unknown): void {
  expect(r).toBeTypeOf('object');
  const o = r as Record<string, unknown>;
  expect(o.jsonrpc).toBe('2.0');
  expect(['string', 'number'].includes(typeof o.id) || o.id === null).toBe(true);
  expect('result' in o !== 'error' in o).toBe(true);
  if ('error' in o) {
    const e = o.error as { code: unknown; message: unknown };
    expect(Number.isInteger(e.code)).toBe(true);
    expect(typeof e.message).toBe('string');
    expect(e.code).not.toBe(-32603);
  }
}

function checkBody(status: number, text: string): void {
  expect([200, 204, 413]).toContain(status);
  if (status === 204) return expect(text).toBe('');
  const body: unknown = JSON.parse(text);
  if (Array.isArray(body)) body.forEach(checkResponse);
  else checkResponse(body);
}

const hexDigits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: min, maxLength: max });
const nearValid = fc.oneof(
  hexDigits(0, 70).map((h) => `0x${h}`),
  hexDigits(40, 40).map((h) => `0x${h}`),
  hexDigits(64, 64).map((h) => `0x${h}`),
  fc.constantFrom('latest', 'pending', 'earliest', 'safe', 'finalized', '0x', '0x0', '0x00', '-0x1', '0xg', 'newHeads', 'logs', 'newPendingTransactions'),
  fc.record(
    { fromBlock: fc.constantFrom('0x0', 'latest', '0x1000000'), toBlock: fc.constantFrom('0x0', 'latest', 'earliest'), address: fc.anything(), topics: fc.anything(), blockHash: hexDigits(64, 64).map((h) => `0x${h}`) },
    { requiredKeys: [] },
  ),
  fc.record({ to: hexDigits(40, 40).map((h) => `0x${h}`), data: hexDigits(0, 20).map((h) => `0x${h}`), gas: fc.anything(), value: fc.anything() }, { requiredKeys: [] }),
  fc.record({ blockHash: fc.anything(), blockNumber: fc.anything() }, { requiredKeys: [] }),
);
const param = fc.oneof(nearValid, fc.jsonValue(), fc.anything());
const methodName = fc.oneof(fc.constantFrom(...Object.keys(methods)), fc.string({ maxLength: 20 }));
const request = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue()),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.jsonValue()),
    method: fc.oneof(methodName, fc.jsonValue()),
    params: fc.oneof(fc.array(param, { maxLength: 4 }), fc.jsonValue()),
  },
  { requiredKeys: ['method'] },
);
const validish = fc.record({
  jsonrpc: fc.constant('2.0'),
  id: fc.integer(),
  method: fc.constantFrom(...Object.keys(methods)),
  params: fc.array(param, { maxLength: 4 }),
});

function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
}

describe.each(targets)('fuzzing the server over the %s', (_name, start) => {
  let server: Target;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it('random method calls with random and near-valid params', async () => {
    await fc.assert(
      fc.asyncProperty(validish, async (req) => {
        const r = await post(server.url, stringify(req));
        checkBody(r.status, r.text);
      }),
      { numRuns: 300 },
    );
  });

  it('random envelopes, batches and raw text', async () => {
    const body = fc.oneof(
      request.map(stringify),
      fc.array(fc.oneof(request, fc.jsonValue()), { maxLength: 6 }).map(stringify),
      fc.jsonValue().map(stringify),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const r = await post(server.url, text);
        checkBody(r.status, r.text);
      }),
      { numRuns: 200 },
    );
    expect((await rpc(server.url, 'eth_chainId')).result).toMatch(/^0x[0-9a-f]+$/);
  });

  it('random WebSocket messages', async () => {
    const ws = new WebSocket(server.wsUrl);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(d.toString()));
    const samples = fc.sample(fc.oneof(validish.map(stringify), request.map(stringify), fc.string({ maxLength: 100 })), 200);
    for (const s of samples) ws.send(s);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'eth_chainId' }));
    await expect.poll(() => replies.some((r) => r.includes('"last"')), { timeout: 5000, interval: 20 }).toBe(true);
    for (const r of replies) {
      const body: unknown = JSON.parse(r);
      if (Array.isArray(body)) body.forEach(checkResponse);
      else if ((body as { method?: string }).method !== 'eth_subscription') checkResponse(body);
    }
    ws.close();
  });
});
