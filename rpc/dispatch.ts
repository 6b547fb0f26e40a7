// The JSON-RPC 2.0 envelope: parse, single or batch, notifications, errors. Transport-neutral: the
// HTTP route and each WebSocket connection hand it a body and write back what it returns. It never
// throws: whatever the input, the answer is a well-formed response or nothing (notifications).
import type { Logger } from 'pino';
import { RpcCode, toRpcError, type RpcErrorObject } from './errors.ts';
import type { Json } from './format.ts';
import type { CallContext, MethodTable } from './methods/method.ts';
import type { RpcMetrics } from './metrics.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';
import { isRecord } from './params.ts';

type Id = string | number | null;

export type Response = { jsonrpc: '2.0'; id: Id; result: Json } | { jsonrpc: '2.0'; id: Id; error: RpcErrorObject };

export interface DispatchOptions {
  methods: MethodTable;
  metrics: RpcMetrics;
  logger: Logger;
  /** most requests in one batch */
  maxBatch: number;
}

function errorResponse(id: Id, code: number, message: string): Response {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

function validId(v: unknown): v is Id {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

export class Dispatcher {
  constructor(private readonly opts: DispatchOptions) {}

  /** Returns the JSON text to send, or null when nothing is owed (only notifications). */
  async handleText(text: string, ctx: CallContext): Promise<string | null> {
    // checked before parsing: JSON.parse of a few MB of "[[[[…" holds the event loop for seconds
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return JSON.stringify(errorResponse(null, RpcCode.invalidRequest, `invalid request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return JSON.stringify(errorResponse(null, RpcCode.parseError, 'parse error: body is not valid JSON'));
    }
    const out = await this.handleBody(body, ctx);
    return out === null ? null : JSON.stringify(out);
  }

  async handleBody(body: unknown, ctx: CallContext): Promise<Response | Response[] | null> {
    if (!Array.isArray(body)) return this.handleOne(body, ctx);
    if (body.length === 0) return errorResponse(null, RpcCode.invalidRequest, 'empty batch');
    if (body.length > this.opts.maxBatch) {
      return errorResponse(null, RpcCode.invalidRequest, `batch too large: ${body.length} requests, at most ${this.opts.maxBatch}`);
    }
    const answers = await Promise.all(body.map((r) => this.handleOne(r, ctx)));
    const responses = answers.filter((r): r is Response => r !== null);
    return responses.length === 0 ? null : responses;
  }

  private async handleOne(req: unknown, ctx: CallContext): Promise<Response | null> {
    if (!isRecord(req)) return errorResponse(null, RpcCode.invalidRequest, 'invalid request: want a JSON-RPC request object');
    const isNotification = !('id' in req);
    const id: Id = validId(req.id) ? req.id : null;
    if (!isNotification && !validId(req.id)) {
      return errorResponse(null, RpcCode.invalidRequest, 'invalid request: id must be a string, a number or null');
    }
    if (req.jsonrpc !== '2.0') return errorResponse(id, RpcCode.invalidRequest, 'invalid request: jsonrpc must be "2.0"');
    if (typeof req.method !== 'string') return errorResponse(id, RpcCode.invalidRequest, 'invalid request: method must be a string');
    const name = req.method;
    const def = Object.hasOwn(this.opts.methods, name) ? this.opts.methods[name] : undefined;
    const started = performance.now();
    const label = def ? name : 'unknown';
    let response: Response;
    if (!def) {
      response = errorResponse(id, RpcCode.methodNotFound, `the method ${name.slice(0, 64)} does not exist/is not available`);
    } else if (req.params !== undefined && req.params !== null && !Array.isArray(req.params)) {
      response = errorResponse(id, RpcCode.invalidParams, 'invalid params: want a positional array');
    } else {
      try {
        const result = await def.invoke(ctx, Array.isArray(req.params) ? req.params : []);
        response = { jsonrpc: '2.0', id, result };
      } catch (err) {
        const { error, internal } = toRpcError(err);
        if (internal) this.opts.logger.error({ err, method: name }, 'rpc handler failed');
        response = { jsonrpc: '2.0', id, error };
      }
    }
    const seconds = (performance.now() - started) / 1000;
    this.opts.metrics.observe(label, 'result' in response, seconds);
    return isNotification ? null : response;
  }
}
