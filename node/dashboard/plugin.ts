// The node's dashboard: GET / answers a browser with the page (JSON-RPC stays POST / and the
// WebSocket upgrade), GET /dashboard/* its assets. The page's script is bundled from
// node/dashboard/web/ with esbuild on first request and kept in memory; it decodes with viem and the
// modules' own ABIs (one codec), charts with uPlot from node_modules (no CDN: users may be offline)
// and reads the chain over this node's WebSocket subscriptions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { toFunctionSelector } from 'viem';
import { portalAbi } from '../../bridge/artifacts.ts';
import type { Genesis } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { OPS } from '../../state-machine/repops/opcodes.ts';
import { bundleDashboard } from './bundle.ts';
import type { Boot } from './web/boot.ts';

const WEB = join(import.meta.dirname, 'web');
const require = createRequire(import.meta.url);

/** The page talks to this origin only: its WebSocket, its assets, and the L1 reads proxied below. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const ZERO = '0x0000000000000000000000000000000000000000';
/** The only L1 reads the page may ask for: the portal's withdrawal state. */
const L1_SELECTORS = new Set(
  portalAbi.filter((i) => i.type === 'function' && (i.name === 'provenWithdrawals' || i.name === 'finalizedWithdrawals')).map((i) => toFunctionSelector(i)),
);
const L1_MAX_CALLS = 200;
const L1_TIMEOUT_MS = 5_000;

export interface DashboardOptions {
  genesis: Genesis;
  logger: Logger;
  /** the L1 JSON-RPC the node follows, when it has one (the page reads withdrawals' L1 state through it) */
  l1Rpc?: string | null;
}

/** The RPC server's fastify instance (its logger is pino's). */
type RpcApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>;

export interface DashboardHttp {
  routes(app: RpcApp): void;
  page(req: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

export function dashboardHttp(options: DashboardOptions): DashboardHttp {
  const log = options.logger.child({ component: 'dashboard' });
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  const css = readFileSync(join(WEB, 'style.css'), 'utf8');
  const uplotCss = readFileSync(join(dirname(require.resolve('uplot')), 'uPlot.min.css'), 'utf8');
  const boot: Boot = {
    chainId: options.genesis.chainId.toString(),
    blockIntervalMs: options.genesis.blockIntervalMs,
    stakers: Object.keys(options.genesis.modules.stake.bonds),
    opcodes: Object.fromEntries(OPS.map((op) => [op.opcode, op.name])),
    l1: Boolean(options.l1Rpc) && options.genesis.modules.bridge.portal !== ZERO,
  };
  const portal = options.genesis.modules.bridge.portal.toLowerCase();
  const bootJson = JSON.stringify(boot);
  let script: Promise<string> | null = null;

  const send = (reply: FastifyReply, type: string, body: string, cache = 'no-cache') =>
    reply.header('cache-control', cache).header('x-content-type-options', 'nosniff').type(type).send(body);

  return {
    routes(app) {
      app.get('/dashboard/app.js', async (_req, reply) => {
        script ??= bundleDashboard(join(WEB, 'main.ts'));
        try {
          return send(reply, 'text/javascript; charset=utf-8', await script);
        } catch (err) {
          script = null;
          log.error({ err }, 'dashboard bundle failed');
          return reply.code(500).type('text/plain').send('dashboard bundle failed; see the node log');
        }
      });
      app.get('/dashboard/style.css', async (_req, reply) => send(reply, 'text/css; charset=utf-8', css));
      app.get('/dashboard/uplot.css', async (_req, reply) => send(reply, 'text/css; charset=utf-8', uplotCss, 'max-age=3600'));
      app.get('/dashboard/boot.json', async (_req, reply) => send(reply, 'application/json', bootJson));
      app.get('/dashboard', async (_req, reply) => reply.redirect('/'));
      // Same-origin L1 reads (an L1 node need not allow CORS): a JSON-RPC batch of eth_calls of the
      // portal's withdrawal views, forwarded as is; anything else is refused.
      app.post('/dashboard/l1', async (req, reply) => {
        const l1Rpc = options.l1Rpc;
        if (!l1Rpc || !boot.l1) return reply.code(404).type('text/plain').send('this node follows no L1');
        const calls = l1Calls(typeof req.body === 'string' ? req.body : '', portal);
        if (calls === null) return reply.code(400).type('text/plain').send(`want a batch of at most ${L1_MAX_CALLS} eth_calls of the portal's withdrawal views`);
        try {
          const res = await fetch(l1Rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(calls), signal: AbortSignal.timeout(L1_TIMEOUT_MS) });
          return send(reply.code(res.ok ? 200 : 502), 'application/json', await res.text());
        } catch (err) {
          log.debug({ err }, 'L1 read failed');
          return reply.code(502).type('text/plain').send('the L1 RPC did not answer');
        }
      });
    },
    async page(_req, reply) {
      return send(reply.header('content-security-policy', CSP).header('referrer-policy', 'no-referrer'), 'text/html; charset=utf-8', html);
    },
  };
}

interface L1Call {
  jsonrpc: '2.0';
  id: number;
  method: 'eth_call';
  params: [{ to: string; data: string }, 'latest'];
}

/** The batch, if it is only eth_calls of the portal's withdrawal views; else null. */
function l1Calls(body: string, portal: string): L1Call[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > L1_MAX_CALLS) return null;
  const out: L1Call[] = [];
  for (const c of parsed as unknown[]) {
    const x = c as { id?: unknown; method?: unknown; params?: unknown };
    const p = Array.isArray(x.params) ? (x.params[0] as { to?: unknown; data?: unknown } | undefined) : undefined;
    if (typeof x.id !== 'number' || x.method !== 'eth_call' || typeof p?.to !== 'string' || typeof p.data !== 'string') return null;
    if (p.to.toLowerCase() !== portal || !/^0x[0-9a-fA-F]{8,200}$/.test(p.data) || !L1_SELECTORS.has(p.data.slice(0, 10).toLowerCase() as `0x${string}`)) return null;
    out.push({ jsonrpc: '2.0', id: x.id, method: 'eth_call', params: [{ to: p.to, data: p.data }, 'latest'] });
  }
  return out;
}
