// The embedded L1's fastify server: JSON-RPC 2.0 over HTTP POST (single and batch) and WebSocket on
// the same port and path (eth_subscribe newHeads / logs). Loopback by default.
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyError } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import type { Logger } from '../../../infra/logger.ts';
import { L1RequestError, L1RpcCode } from '../errors.ts';
import type { BlockRecord } from './chain.ts';
import { formatBlock, formatLog, logMatches, methods, parseLogFilter, type Json, type MethodContext } from './methods.ts';

type Id = string | number | null;
type Response = { jsonrpc: '2.0'; id: Id; result: Json } | { jsonrpc: '2.0'; id: Id; error: { code: number; message: string; data?: Json } };

const MAX_BATCH = 1000;
const MAX_BODY = 16 * 1024 * 1024;

interface Connection {
  subscribe(kind: unknown, filter: unknown): string;
  unsubscribe(id: unknown): boolean;
}

async function handleOne(req: unknown, ctx: MethodContext, log: Logger, conn: Connection | null): Promise<Response | null> {
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return { jsonrpc: '2.0', id: null, error: { code: L1RpcCode.invalidRequest, message: 'invalid request: want a JSON-RPC request object' } };
  }
  const r = req as Record<string, unknown>;
  const id: Id = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null;
  const notification = !('id' in r);
  const method = typeof r.method === 'string' ? r.method : '';
  const params = Array.isArray(r.params) ? r.params : r.params === undefined ? [] : null;
  let out: Response;
  try {
    if (params === null) throw new L1RequestError(L1RpcCode.invalidParams, 'params: want an array');
    if (method === 'eth_subscribe' || method === 'eth_unsubscribe') {
      if (conn === null) throw new L1RequestError(L1RpcCode.methodNotFound, `${method}: subscriptions need a WebSocket`);
      out = { jsonrpc: '2.0', id, result: method === 'eth_subscribe' ? conn.subscribe(params[0], params[1]) : conn.unsubscribe(params[0]) };
    } else {
      const m = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (m === undefined) throw new L1RequestError(L1RpcCode.methodNotFound, `the method ${method} does not exist/is not available`);
      out = { jsonrpc: '2.0', id, result: await m(params, ctx) };
    }
  } catch (e) {
    if (e instanceof L1RequestError) {
      const error: { code: number; message: string; data?: Json } = { code: e.rpcCode, message: e.message };
      if (typeof e.rpcData === 'string') error.data = e.rpcData;
      out = { jsonrpc: '2.0', id, error };
    } else {
      log.error({ err: e, method }, 'L1 method failed');
      out = { jsonrpc: '2.0', id, error: { code: L1RpcCode.internal, message: `internal error: ${e instanceof Error ? e.message : String(e)}` } };
    }
  }
  return notification ? null : out;
}

async function handleText(text: string, ctx: MethodContext, log: Logger, conn: Connection | null): Promise<string | null> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: L1RpcCode.parseError, message: 'parse error: body is not valid JSON' } });
  }
  if (!Array.isArray(body)) {
    const one = await handleOne(body, ctx, log, conn);
    return one === null ? null : JSON.stringify(one);
  }
  if (body.length === 0 || body.length > MAX_BATCH) {
    return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: L1RpcCode.invalidRequest, message: `batch of ${body.length}: want 1..${MAX_BATCH} requests` } });
  }
  // in order: a batch of transactions from one sender must keep its nonce order
  const answers: Response[] = [];
  for (const req of body) {
    const a = await handleOne(req, ctx, log, conn);
    if (a !== null) answers.push(a);
  }
  return answers.length === 0 ? null : JSON.stringify(answers);
}

export interface L1Server {
  url: string;
  wsUrl: string;
  port: number;
  close(): Promise<void>;
}

export async function startL1Server(ctx: MethodContext, host: string, port: number, log: Logger): Promise<L1Server> {
  const app = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }), bodyLimit: MAX_BODY });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 500;
    void reply.code(status).type('application/json').send(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: L1RpcCode.invalidRequest, message: err.message } }));
  });
  await app.register(websocket, { options: { maxPayload: MAX_BODY } });

  app.post('/', async (req, reply) => {
    const out = await handleText(typeof req.body === 'string' ? req.body : '', ctx, log, null);
    if (out === null) return reply.code(204).send();
    return reply.type('application/json').send(out);
  });
  const sockets = new Set<WebSocket>();
  app.route({
    method: 'GET',
    url: '/',
    handler: async (_req, reply) => reply.code(405).send('use POST for JSON-RPC over HTTP, or a WebSocket'),
    wsHandler: (socket: WebSocket) => {
      sockets.add(socket);
      const subs = new Map<string, { kind: 'newHeads' } | { kind: 'logs'; filter: unknown }>();
      let held: string[] | null = null;
      const send = (text: string) => {
        if (held !== null) held.push(text);
        else if (socket.readyState === socket.OPEN) socket.send(text);
      };
      const onBlock = (r: BlockRecord) => {
        for (const [id, s] of subs) {
          if (s.kind === 'newHeads') {
            const { transactions: _t, ...head } = formatBlock(ctx.chain, r, false) as Record<string, Json>;
            send(JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: id, result: head } }));
          } else {
            const f = parseLogFilter({ ...(s.filter as object), fromBlock: undefined, toBlock: undefined }, ctx.chain);
            for (const rc of r.receipts) {
              for (const l of rc.logs) {
                if (logMatches(l, f)) send(JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: id, result: formatLog(l) } }));
              }
            }
          }
        }
      };
      ctx.chain.on('block', onBlock);
      let nextId = 1;
      const conn: Connection = {
        subscribe(kind, filter) {
          if (kind === 'newHeads') subs.set(`0x${(nextId++).toString(16)}`, { kind: 'newHeads' });
          else if (kind === 'logs') {
            parseLogFilter({ ...(typeof filter === 'object' && filter !== null ? filter : {}), fromBlock: undefined, toBlock: undefined }, ctx.chain);
            subs.set(`0x${(nextId++).toString(16)}`, { kind: 'logs', filter: filter ?? {} });
          } else throw new L1RequestError(L1RpcCode.invalidParams, `unsupported subscription ${String(kind)}: newHeads and logs only`);
          held = [];
          return `0x${(nextId - 1).toString(16)}`;
        },
        unsubscribe(id) {
          return typeof id === 'string' && subs.delete(id);
        },
      };
      socket.on('message', (raw: Buffer) => {
        void handleText(raw.toString('utf8'), ctx, log, conn).then((out) => {
          const queued: string[] = held ?? [];
          held = null;
          if (out !== null && socket.readyState === socket.OPEN) socket.send(out);
          for (const t of queued) send(t);
        });
      });
      socket.on('close', () => {
        sockets.delete(socket);
        ctx.chain.off('block', onBlock);
      });
      socket.on('error', () => undefined);
    },
  });

  await app.listen({ host, port });
  const bound = (app.server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostPart}:${bound}`,
    wsUrl: `ws://${hostPart}:${bound}`,
    port: bound,
    async close() {
      for (const s of sockets) s.terminate();
      await app.close();
    },
  };
}
