// The fastify server: JSON-RPC over HTTP POST (single and batch) and WebSocket on the same port and
// path, Prometheus metrics on /metrics. Loopback by default; close() stops everything it started.
import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault, type RouteHandlerMethod } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import { createLogger, type Logger } from '../infra/logger.ts';
import type { Address } from '../state-machine/types.ts';
import { DEFAULT_FEE_VAULT } from '../state-machine/modules/addresses.ts';
import type { RpcBackend } from './backend.ts';
import { Dispatcher } from './dispatch.ts';
import { RpcCode } from './errors.ts';
import { ChainFeed } from './feed.ts';
import { FilterManager } from './filters.ts';
import { methods } from './methods/index.ts';
import type { CallContext } from './methods/method.ts';
import { RpcMetrics } from './metrics.ts';
import { Subscriptions } from './subscriptions.ts';


export interface RpcServerOptions {
  backend: RpcBackend;
  host?: string;
  /** 0 picks a free port */
  port?: number;
  logger?: Logger;
  /** largest HTTP body or WebSocket message, bytes (geth: 5 MiB) */
  maxBodyBytes?: number;
  /** most requests in one batch (geth: 1000) */
  maxBatch?: number;
  /** most blocks one eth_getLogs may span */
  logRangeCap?: number;
  /** most logs one eth_getLogs may return */
  logResultCap?: number;
  /** allowed browser origins: true = any, false = CORS off, or a list */
  cors?: boolean | string | string[];
  /** polling filters not polled for this long are dropped (geth: 5 min) */
  filterTimeoutMs?: number;
  /** WebSocket clients are pinged this often; one that missed the previous pong is dropped */
  wsPingIntervalMs?: number;
  /** where fees go, reported as each block's `miner` (default: the devnet fee vault) */
  feeVault?: Address;
  /** more HTTP routes on this port (the node's dashboard); `page` answers a plain GET / (WebSocket upgrades stay JSON-RPC) */
  http?: { routes(app: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>): void | Promise<void>; page?: RouteHandlerMethod };
}

export interface RpcServer {
  url: string;
  wsUrl: string;
  port: number;
  metrics: RpcMetrics;
  close(): Promise<void>;
}

export const RPC_DEFAULTS = {
  host: '127.0.0.1',
  port: 9545,
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatch: 1000,
  logRangeCap: 10_000,
  logResultCap: 10_000,
  filterTimeoutMs: 5 * 60_000,
  wsPingIntervalMs: 30_000,
} as const;

/** A WebSocket client that lets this much pile up unread is cut off rather than buffered forever. */
const WS_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

function rpcErrorBody(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } });
}

export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const o = {
    backend: options.backend,
    host: options.host ?? RPC_DEFAULTS.host,
    port: options.port ?? RPC_DEFAULTS.port,
    maxBodyBytes: options.maxBodyBytes ?? RPC_DEFAULTS.maxBodyBytes,
    maxBatch: options.maxBatch ?? RPC_DEFAULTS.maxBatch,
    logRangeCap: options.logRangeCap ?? RPC_DEFAULTS.logRangeCap,
    logResultCap: options.logResultCap ?? RPC_DEFAULTS.logResultCap,
    filterTimeoutMs: options.filterTimeoutMs ?? RPC_DEFAULTS.filterTimeoutMs,
    wsPingIntervalMs: options.wsPingIntervalMs ?? RPC_DEFAULTS.wsPingIntervalMs,
    cors: options.cors ?? true,
  };
  const logger = options.logger ?? createLogger('verity-rpc', 'warn');
  const log = logger.child({ component: 'rpc' });
  const metrics = new RpcMetrics();
  const feed = new ChainFeed(o.backend, (err) => log.error({ err }, 'subscriber failed'));
  const filters = new FilterManager(feed, o.filterTimeoutMs);
  const dispatcher = new Dispatcher({ methods, metrics, logger: log, maxBatch: o.maxBatch });
  const baseCtx: CallContext = {
    backend: o.backend,
    feed,
    filters,
    limits: { logRangeCap: o.logRangeCap, logResultCap: o.logResultCap },
    feeVault: options.feeVault ?? DEFAULT_FEE_VAULT,
  };

  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    // no pino child logger per request (request logging is off; errors are logged through `log`)
    childLoggerFactory: (logger) => logger,
    bodyLimit: o.maxBodyBytes,
  });
  app.removeAllContentTypeParsers();
  // Any content type: some clients send text/plain; parse errors become -32700, not HTTP 400.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const status = tooLarge ? 413 : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) log.error({ err }, 'http error');
    const message = tooLarge ? `request body too large: at most ${o.maxBodyBytes} bytes` : status >= 500 ? 'internal error' : err.message;
    void reply
      .code(status)
      .type('application/json')
      .send(rpcErrorBody(status >= 500 ? RpcCode.internal : RpcCode.invalidRequest, message));
  });

  // JSON-RPC over HTTP POST lives in a context of its own, so the CORS and WebSocket plugins'
  // per-request hooks (registered in the sibling context below) stay off its path: a browser's POST
  // gets its CORS header here, its pre-flight is answered by the CORS plugin.
  const allowOrigin = corsOriginFor(o.cors);
  await app.register(async (scope) => {
    scope.post('/', async (req, reply) => {
      const origin = allowOrigin(req.headers.origin);
      if (origin !== null) {
        void reply.header('access-control-allow-origin', origin);
        if (origin !== '*') void reply.header('vary', 'Origin');
      }
      const text = typeof req.body === 'string' ? req.body : '';
      const out = await dispatcher.handleText(text, baseCtx);
      if (out === null) return reply.code(204).send();
      return reply.type('application/json').send(out);
    });
  });

  await app.register(async (scope: FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>) => {
    if (o.cors !== false) {
      await scope.register(cors, { origin: o.cors === true ? '*' : o.cors, methods: ['GET', 'POST', 'OPTIONS'] });
    }
    await scope.register(websocket, { options: { maxPayload: o.maxBodyBytes } });

    if (options.http) await options.http.routes(scope);

    scope.route({
      method: 'GET',
      url: '/',
      handler: options.http?.page ?? (async (_req, reply) =>
        reply.code(405).type('application/json').send(rpcErrorBody(RpcCode.invalidRequest, 'use POST for JSON-RPC over HTTP, or a WebSocket'))),
      wsHandler: (socket: WebSocket) => serveSocket(socket),
    });

    scope.get('/metrics', async (_req, reply) => {
      const node = o.backend.metricsText ? await o.backend.metricsText() : '';
      return reply.type(metrics.registry.contentType).send((await metrics.render()) + node);
    });
  });

  // Heartbeat: a peer that vanished without closing (laptop lid, NAT timeout) would otherwise hold
  // its subscriptions until TCP gives up.
  const sockets = new Map<WebSocket, { alive: boolean }>();
  const heartbeat = setInterval(() => {
    for (const [socket, state] of sockets) {
      if (!state.alive) {
        socket.terminate();
        continue;
      }
      state.alive = false;
      socket.ping();
    }
  }, o.wsPingIntervalMs);
  heartbeat.unref();

  function serveSocket(socket: WebSocket): void {
    const state = { alive: true };
    sockets.set(socket, state);
    socket.on('pong', () => {
      state.alive = true;
    });
    const send = (text: string): void => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
        log.warn({ buffered: socket.bufferedAmount }, 'websocket client too slow, closing');
        socket.terminate();
        return;
      }
      socket.send(text);
    };
    const subs = new Subscriptions(feed, o.backend, baseCtx.feeVault, send);
    socket.on('message', (data, isBinary) => {
      const text = isBinary || !Buffer.isBuffer(data) ? Buffer.concat(toBuffers(data)).toString('utf8') : data.toString('utf8');
      const scope = subs.scope();
      dispatcher.handleText(text, { ...baseCtx, subscriptions: scope }).then(
        (out) => {
          if (out !== null) send(out);
          scope.release();
        },
        (err: unknown) => log.error({ err }, 'websocket dispatch failed'),
      );
    });
    socket.on('close', () => {
      sockets.delete(socket);
      subs.close();
    });
    socket.on('error', (err) => log.debug({ err }, 'websocket error'));
  }

  await app.listen({ host: o.host, port: o.port });
  const port = (app.server.address() as AddressInfo).port;
  const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;
  log.info({ url: `http://${hostPart}:${port}` }, 'rpc listening');

  let closed: Promise<void> | null = null;
  return {
    url: `http://${hostPart}:${port}`,
    wsUrl: `ws://${hostPart}:${port}`,
    port,
    metrics,
    close() {
      closed ??= (async () => {
        clearInterval(heartbeat);
        filters.close();
        feed.close();
        await app.close();
      })();
      return closed;
    },
  };
}

/** The Access-Control-Allow-Origin value for a request's Origin header (null: none), as @fastify/cors sets it. */
function corsOriginFor(cors: boolean | string | string[]): (origin: string | undefined) => string | null {
  if (cors === false) return () => null;
  if (cors === true) return (origin) => (origin === undefined ? null : '*');
  if (typeof cors === 'string') return (origin) => (origin === undefined ? null : cors);
  const allowed = new Set(cors);
  return (origin) => (origin !== undefined && allowed.has(origin) ? origin : null);
}

function toBuffers(data: Buffer | ArrayBuffer | Buffer[]): Buffer[] {
  if (Array.isArray(data)) return data;
  if (data instanceof ArrayBuffer) return [Buffer.from(data)];
  return [data];
}
