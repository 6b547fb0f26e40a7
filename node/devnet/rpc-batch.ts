// A bare JSON-RPC 2.0 batch over fetch for devnet tools (benchmarks, crash tests): no client library
// between the caller and the wire, replies put back in call order.
export interface RpcReply {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

export async function rpcBatch(url: string, calls: readonly (readonly [string, unknown[]])[]): Promise<RpcReply[]> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(calls.map(([method, params], id) => ({ jsonrpc: '2.0', id, method, params }))),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const replies = (await res.json()) as RpcReply[];
  return replies.sort((a, b) => a.id - b.id);
}
