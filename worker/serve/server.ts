// The solver's checkpoint server (fastify): verifiers fetch C_{(i-1)k} from here to re-run segment i.
// Everything it returns can be checked against the committed traceRoot, so it needs no auth; every
// response is bounded (one JSON object per checkpoint, one raw tensor per request). Routes
// (docs/worker.md):
//   GET /traces/:traceRoot                 {traceRoot, steps, checkpointInterval, leafCount}
//   GET /traces/:traceRoot/leaves/:leaf    {traceRoot, leaf, step, leafCount, root, proof}
//   GET /checkpoints/:root[?trace=R]       {root, stateCount, tensors: [{index, dtype, shape, bytes, hash, proof}], trace?}
//   GET /checkpoints/:root/tensors/:index  raw little-endian element bytes (application/octet-stream)
//   GET /metrics                           Prometheus text
//   GET /health                            {ok: true, address}
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../infra/logger.ts';
import { bytesToHex, type Hex } from '../../state-machine/crypto/hash.ts';
import { tensorBytes } from '../../state-machine/repops/tensor-hash.ts';
import { checkpointSteps } from '../../state-machine/training/commitments.ts';
import type { CheckpointCatalog, TraceEntry } from './catalog.ts';
import type { WorkerMetrics } from './metrics.ts';

export interface CheckpointServerOptions {
  host: string;
  port: number;
  catalog: CheckpointCatalog;
  metrics: WorkerMetrics;
  log: Logger;
  address: string;
  /** test only: answer every checkpoint route with 503 (a solver withholding its data) */
  refuse?: boolean;
}

export interface CheckpointServer {
  /** http://host:port as bound (port 0 resolved) */
  url: string;
  close(): Promise<void>;
}

const ROOT = /^0x[0-9a-f]{64}$/;
const INDEX = /^\d{1,9}$/;

function hexProof(siblings: Uint8Array[]): Hex[] {
  return siblings.map((s) => bytesToHex(s));
}

/** A root from a URL (any case), or null when it is not 0x + 64 hex digits. */
function rootParam(raw: string): Hex | null {
  const root = raw.toLowerCase();
  return ROOT.test(root) ? (root as Hex) : null;
}

/** Where checkpoint leaf `leaf` sits in a trace, with its path to traceRoot. */
function leafPosition(t: TraceEntry, leaf: number) {
  return { traceRoot: t.traceRoot, leaf, step: checkpointSteps(t.steps, t.checkpointInterval)[leaf], leafCount: t.roots.length, proof: hexProof(t.tree.proof(leaf).siblings) };
}

export async function startCheckpointServer(o: CheckpointServerOptions): Promise<CheckpointServer> {
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024, connectionTimeout: 30_000, requestTimeout: 30_000 });
  const { catalog, metrics } = o;

  const sendJson = (reply: FastifyReply, route: string, body: unknown): FastifyReply => {
    const text = JSON.stringify(body);
    metrics.servedBytes.inc({ route }, Buffer.byteLength(text));
    return reply.type('application/json').send(text);
  };
  const notFound = (reply: FastifyReply, what: string): FastifyReply => reply.code(404).type('application/json').send({ error: `${what} not found` });
  const bad = (reply: FastifyReply, what: string): FastifyReply => reply.code(400).type('application/json').send({ error: what });
  const refused = (reply: FastifyReply): FastifyReply | null => (o.refuse ? reply.code(503).send({ error: 'unavailable' }) : null);

  app.get<{ Params: { traceRoot: string } }>('/traces/:traceRoot', async (req, reply) => {
    if (refused(reply)) return reply;
    const root = rootParam(req.params.traceRoot);
    if (root === null) return bad(reply, 'traceRoot must be 0x + 64 hex digits');
    const t = catalog.trace(root);
    if (!t) return notFound(reply, 'trace');
    return sendJson(reply, 'trace', { traceRoot: t.traceRoot, steps: t.steps, checkpointInterval: t.checkpointInterval, leafCount: t.roots.length });
  });

  app.get<{ Params: { traceRoot: string; leaf: string } }>('/traces/:traceRoot/leaves/:leaf', async (req, reply) => {
    if (refused(reply)) return reply;
    const root = rootParam(req.params.traceRoot);
    if (root === null || !INDEX.test(req.params.leaf)) return bad(reply, 'want /traces/0x…(64)/leaves/<index>');
    const t = catalog.trace(root);
    const leaf = Number(req.params.leaf);
    if (!t || leaf >= t.roots.length) return notFound(reply, 'leaf');
    return sendJson(reply, 'leaf', { ...leafPosition(t, leaf), root: t.roots[leaf] });
  });

  app.get<{ Params: { root: string }; Querystring: { trace?: string } }>('/checkpoints/:root', async (req, reply) => {
    if (refused(reply)) return reply;
    const root = rootParam(req.params.root);
    if (root === null) return bad(reply, 'root must be 0x + 64 hex digits');
    const cp = catalog.load(root);
    if (!cp) return notFound(reply, 'checkpoint');
    const leaves = catalog.leafOf(root);
    const wanted = req.query.trace?.toLowerCase();
    const at = wanted === undefined ? leaves[0] : leaves.find((l) => l.traceRoot === wanted);
    const t = at === undefined ? undefined : catalog.trace(at.traceRoot);
    return sendJson(reply, 'checkpoint', {
      root,
      stateCount: cp.state.length,
      tensors: cp.state.map((tensor, index) => ({
        index,
        dtype: tensor.dtype,
        shape: tensor.shape,
        bytes: tensor.data.byteLength,
        hash: bytesToHex(cp.tree.node(0, index)),
        proof: hexProof(cp.tree.proof(index).siblings),
      })),
      ...(at && t ? { trace: leafPosition(t, at.leaf) } : {}),
    });
  });

  app.get<{ Params: { root: string; index: string } }>('/checkpoints/:root/tensors/:index', async (req, reply) => {
    if (refused(reply)) return reply;
    const root = rootParam(req.params.root);
    if (root === null || !INDEX.test(req.params.index)) return bad(reply, 'want /checkpoints/0x…(64)/tensors/<index>');
    const cp = catalog.load(root);
    const i = Number(req.params.index);
    if (!cp || i >= cp.state.length) return notFound(reply, 'tensor');
    const t = cp.state[i];
    const bytes = Buffer.from(tensorBytes(t));
    metrics.servedBytes.inc({ route: 'tensor' }, bytes.length);
    return reply
      .type('application/octet-stream')
      .header('x-verity-dtype', t.dtype)
      .header('x-verity-shape', t.shape.join(','))
      .header('x-verity-tensor-hash', bytesToHex(cp.tree.node(0, i)))
      .send(bytes);
  });

  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.render()));
  app.get('/health', async (_req, reply) => reply.send({ ok: true, address: o.address }));

  await app.listen({ host: o.host, port: o.port });
  const port = (app.server.address() as AddressInfo).port;
  const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;
  const url = `http://${hostPart}:${port}`;
  o.log.info({ url, refuse: o.refuse === true }, 'checkpoint server listening');
  return { url, close: () => app.close() };
}
