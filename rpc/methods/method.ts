// How a JSON-RPC method is declared: positional argument parsers plus a handler. Parsing happens
// here so every method reports bad or missing params the same way (-32602 naming the argument).
import type { Address } from '../../state-machine/types.ts';
import type { RpcBackend } from '../backend.ts';
import { invalidParams } from '../errors.ts';
import type { ChainFeed } from '../feed.ts';
import type { FilterManager } from '../filters.ts';
import type { Json } from '../format.ts';
import type { Parser } from '../params.ts';
import type { SubscriptionScope } from '../subscriptions.ts';

export interface RpcLimits {
  /** most blocks one eth_getLogs / eth_getFilterLogs may span */
  logRangeCap: number;
  /** most logs one query may return */
  logResultCap: number;
}

export interface CallContext {
  backend: RpcBackend;
  feed: ChainFeed;
  filters: FilterManager;
  limits: RpcLimits;
  /** receives every fee; reported as each block's `miner` and as eth_coinbase */
  feeVault: Address;
  /** set for WebSocket connections only */
  subscriptions?: SubscriptionScope;
}

export interface Arg<T> {
  name: string;
  parse: Parser<T>;
  required: boolean;
}

export function req<T>(name: string, parse: Parser<T>): Arg<T> {
  return { name, parse, required: true };
}

export function opt<T>(name: string, parse: Parser<T>, fallback: T): Arg<T> {
  return { name, parse: (v, where) => (v === undefined || v === null ? fallback : parse(v, where)), required: false };
}

export interface MethodDef {
  invoke(ctx: CallContext, params: readonly unknown[]): Promise<Json>;
}

export function method<P extends unknown[]>(
  args: { [K in keyof P]: Arg<P[K]> },
  run: (ctx: CallContext, ...parsed: P) => Promise<Json> | Json,
): MethodDef {
  const list = args as readonly Arg<unknown>[];
  // built once: every request would otherwise format each argument's name for an error it rarely has
  const where = list.map((a, i) => `argument ${i} (${a.name})`);
  return {
    async invoke(ctx, params) {
      if (params.length > list.length) {
        throw invalidParams(`too many arguments, want at most ${list.length}`);
      }
      const parsed: unknown[] = new Array(list.length);
      for (let i = 0; i < list.length; i++) {
        const a = list[i];
        const v = params[i];
        if (a.required && (v === undefined || v === null)) throw invalidParams(`missing value for required ${where[i]}`);
        parsed[i] = a.parse(v, where[i]);
      }
      return run(ctx, ...(parsed as P));
    },
  };
}

export type MethodTable = Record<string, MethodDef>;
