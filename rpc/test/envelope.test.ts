// JSON-RPC 2.0 envelope over HTTP: errors, batches, notifications, limits, CORS, metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleValue } from '../../infra/test/exposition.ts';
import type { RpcServer } from '../server.ts';
import { post, rpc, startTestServer } from './helpers.ts';

let server: RpcServer;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxBodyBytes: 64 * 1024, maxBatch: 20 }));
});
afterAll(() => server.close());

describe('single requests', () => {
  it('answers a well-formed request with its id', async () => {
    const r = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 'abc', method: 'eth_chainId', params: [] }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.json).toEqual({ jsonrpc: '2.0', id: 'abc', result: '0x539' });
  });

  it('accepts a missing params member and any content type', async () => {
    const r = await post(server.url, '{"jsonrpc":"2.0","id":7,"method":"net_version"}', { 'content-type': 'text/plain' });
    expect(r.json).toEqual({ jsonrpc: '2.0', id: 7, result: '1337' });
  });

  it('-32700 for invalid JSON', async () => {
    const r = await post(server.url, '{"jsonrpc":');
    expect(r.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it.each([
    ['a string', '"hello"'],
    ['a number', '42'],
    ['no jsonrpc member', '{"id":1,"method":"eth_chainId"}'],
    ['a wrong version', '{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}'],
    ['a non-string method', '{"jsonrpc":"2.0","id":1,"method":5}'],
    ['an object id', '{"jsonrpc":"2.0","id":{},"method":"eth_chainId"}'],
  ])('-32600 for %s', async (_name, body) => {
    const r = await post(server.url, body);
    expect(r.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
  });

  it('deeply nested JSON is refused before parsing (-32600), not a crash', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const r = await post(server.url, deep);
    expect(r.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request: JSON nested deeper than 64 levels' } });
    const param = `{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]}`;
    expect((await post(server.url, param)).json).toMatchObject({ id: null, error: { code: -32600 } });
    // within the bound, nesting in params is the method's business (-32602), as before
    const shallow = `{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[${'{"a":'.repeat(30)}1${'}'.repeat(30)}]}`;
    expect((await post(server.url, shallow)).json).toMatchObject({ id: 1, error: { code: -32602 } });
  });

  it('-32601 names the unknown method', async () => {
    const r = await rpc(server.url, 'eth_mine');
    expect(r.error).toMatchObject({ code: -32601, message: expect.stringContaining('eth_mine') });
  });

  it('-32601 for Object.prototype names', async () => {
    for (const m of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect((await rpc(server.url, m)).error?.code).toBe(-32601);
    }
  });

  it('-32602 names the bad argument', async () => {
    const bad = await rpc(server.url, 'eth_getBalance', ['0x1234', 'latest']);
    expect(bad.error?.code).toBe(-32602);
    expect(bad.error?.message).toContain('argument 0 (address)');
    const tag = await rpc(server.url, 'eth_getBalance', ['0x' + '11'.repeat(20), 'newest']);
    expect(tag.error?.message).toContain('argument 1 (block)');
    const missing = await rpc(server.url, 'eth_getTransactionByHash', []);
    expect(missing.error).toMatchObject({ code: -32602, message: 'missing value for required argument 0 (hash)' });
    const extra = await rpc(server.url, 'eth_blockNumber', [1]);
    expect(extra.error?.code).toBe(-32602);
    const named = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: { a: 1 } }));
    expect(named.json).toMatchObject({ error: { code: -32602 } });
    const field = await rpc(server.url, 'eth_call', [{ to: '0x' + '11'.repeat(20), gas: 'lots' }]);
    expect(field.error?.message).toContain('argument 0 (transaction).gas');
  });

  it('a notification gets no response body', async () => {
    const r = await post(server.url, JSON.stringify({ jsonrpc: '2.0', method: 'eth_chainId', params: [] }));
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });
});

describe('batches', () => {
  it('keeps request order, mixes results and errors, drops notifications', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 3, method: 'eth_blockNumber' },
      { jsonrpc: '2.0', method: 'eth_chainId' },
      { jsonrpc: '2.0', id: 1, method: 'no_such_method' },
      'junk',
      { jsonrpc: '2.0', id: 2, method: 'eth_getBalance', params: ['nope'] },
      { jsonrpc: '2.0', id: 'x', method: 'net_version' },
    ];
    const r = await post(server.url, JSON.stringify(batch));
    const out = r.json as { id: unknown; result?: unknown; error?: { code: number } }[];
    expect(out.map((x) => x.id)).toEqual([3, 1, null, 2, 'x']);
    expect(out[0].result).toBe('0x0');
    expect(out[1].error?.code).toBe(-32601);
    expect(out[2].error?.code).toBe(-32600);
    expect(out[3].error?.code).toBe(-32602);
    expect(out[4].result).toBe('1337');
  });

  it('a batch of notifications gets no response body', async () => {
    const r = await post(server.url, JSON.stringify([{ jsonrpc: '2.0', method: 'eth_chainId' }, { jsonrpc: '2.0', method: 'net_version' }]));
    expect(r.status).toBe(204);
  });

  it('an empty batch is one -32600 error', async () => {
    const r = await post(server.url, '[]');
    expect(r.json).toMatchObject({ id: null, error: { code: -32600 } });
  });

  it('a batch over the limit is one -32600 error naming the limit', async () => {
    const batch = Array.from({ length: 21 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId' }));
    const r = await post(server.url, JSON.stringify(batch));
    expect(r.json).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('at most 20') } });
    const ok = await post(server.url, JSON.stringify(batch.slice(0, 20)));
    expect((ok.json as unknown[]).length).toBe(20);
  });
});

describe('HTTP limits and extras', () => {
  it('413 with a JSON-RPC error for a body over the limit', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'web3_sha3', params: ['0x' + 'ab'.repeat(40_000)] });
    const r = await post(server.url, big);
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { code: -32600, message: expect.stringContaining('65536') } });
    expect((await rpc(server.url, 'eth_chainId')).result).toBe('0x539');
  });

  it('answers CORS pre-flight for any origin by default', async () => {
    const res = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('a browser POST gets the CORS header; a listed origin is reflected, an unlisted one gets none', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
    const fromPage = await post(server.url, body, { 'content-type': 'application/json', origin: 'http://example.test' });
    expect(fromPage.headers.get('access-control-allow-origin')).toBe('*');
    expect((await post(server.url, body)).headers.get('access-control-allow-origin')).toBeNull();
    const { server: listed } = await startTestServer({ cors: ['http://app.test'] });
    try {
      const ok = await post(listed.url, body, { 'content-type': 'application/json', origin: 'http://app.test' });
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://app.test');
      expect(ok.headers.get('vary')).toMatch(/Origin/);
      const other = await post(listed.url, body, { 'content-type': 'application/json', origin: 'http://evil.test' });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(other.json).toMatchObject({ result: '0x539' });
      const preflight = await fetch(listed.url, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
    } finally {
      await listed.close();
    }
  });

  it('GET / explains itself instead of answering JSON-RPC', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ error: { code: -32600 } });
  });

  it('/metrics counts requests by method and outcome and appends the node registry', async () => {
    await rpc(server.url, 'eth_chainId');
    await rpc(server.url, 'eth_getBalance', ['bad']);
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(sampleValue(text, 'verity_rpc_requests_total', { method: 'eth_chainId', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'verity_rpc_requests_total', { method: 'eth_getBalance', outcome: 'error' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'verity_rpc_request_duration_seconds_bucket', { method: 'eth_chainId', le: '+Inf', component: 'rpc' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^verity_test_blocks 1$/m);
  });
});
