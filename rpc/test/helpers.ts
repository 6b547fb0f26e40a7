// Shared test set-up: a server on 127.0.0.1:0 over the in-memory backend, and a raw POST helper.
import { privateKeyToAccount } from 'viem/accounts';
import { devnetAccounts } from '../../genesis/devnet.ts';
import { startRpcServer, type RpcServer, type RpcServerOptions } from '../server.ts';
import { MemoryBackend } from './memory-backend.ts';

/** Devnet-only keys: accounts 0 and 1 of the public mnemonic "test test … junk". */
export const accounts = devnetAccounts(2).map((k) => privateKeyToAccount(k.privateKey));

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
