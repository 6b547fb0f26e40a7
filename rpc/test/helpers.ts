// Shared test set-up: a server on 127.0.0.1:0 over the in-memory backend, and a raw POST helper.
import { privateKeyToAccount } from 'viem/accounts';
import { startRpcServer, type RpcServer, type RpcServerOptions } from '../server.ts';
import { MemoryBackend } from './memory-backend.ts';

/** Devnet-only keys: accounts 0 and 1 of the public mnemonic "test test … junk". */
export const DEVNET_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
] as const;
export const accounts = DEVNET_KEYS.map((k) => privateKeyToAccount(k));

export async function startTestServer(opts: Partial<RpcServerOptions> = {}): Promise<{ server: RpcServer; backend: MemoryBackend }> {
  const backend = new MemoryBackend(accounts.map((a) => a.address.toLowerCase() as `0x${string}`), 10n ** 24n);
  const server = await startRpcServer({ backend, port: 0, ...opts });
  return { server, backend };
}

export async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

export async function rpc(url: string, method: string, params: unknown[] = []) {
  const r = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  return r.json as { id: number; result?: unknown; error?: { code: number; message: string; data?: unknown } };
}
