// The baseline for bench/rpc.ts: a bare fastify JSON-RPC handler that answers every request with a
// constant, in its own process (like the node). Prints "rpc listening on URL" when ready.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/', async (req) => {
  const body = req.body as { id?: unknown } | { id?: unknown }[];
  if (Array.isArray(body)) return body.map((r) => ({ jsonrpc: '2.0', id: r.id ?? null, result: '0x0' }));
  return { jsonrpc: '2.0', id: body?.id ?? null, result: '0x0' };
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`rpc listening on ${url.replace('localhost', '127.0.0.1')}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
