// eth_getLogs semantics shared by eth_getLogs and eth_getFilterLogs: resolve tags against the head,
// enforce the range and result caps with a clear error, ask the backend.
import type { LogFilter, LocatedLog, RpcBackend } from './backend.ts';
import { RpcCode, RpcError, invalidParams } from './errors.ts';
import type { FilterObject } from './params.ts';
import type { BlockTag } from './backend.ts';
import type { RpcLimits } from './methods/method.ts';

/** A tag as a number for log ranges: latest, pending, safe and finalized all mean the head. */
export function tagNumber(tag: BlockTag, head: bigint): bigint {
  if (typeof tag === 'bigint') return tag;
  return tag === 'earliest' ? 0n : head;
}

export async function resolveLogFilter(backend: RpcBackend, f: FilterObject, limits: RpcLimits): Promise<LogFilter | null> {
  if (f.blockHash) {
    const block = await backend.getBlock(f.blockHash);
    if (!block) throw new RpcError(RpcCode.server, 'unknown block');
    const n = block.header.number;
    return { fromBlock: n, toBlock: n, blockHash: f.blockHash, addresses: f.addresses, topics: f.topics };
  }
  const head = backend.headNumber();
  const from = tagNumber(f.fromBlock, head);
  let to = tagNumber(f.toBlock, head);
  if (from > to) throw invalidParams('invalid block range params: fromBlock is after toBlock');
  if (from > head) return null;
  if (to > head) to = head;
  const span = to - from + 1n;
  if (span > BigInt(limits.logRangeCap)) {
    throw new RpcError(
      RpcCode.limitExceeded,
      `block range too large: ${span} blocks requested, at most ${limits.logRangeCap} per query`,
    );
  }
  return { fromBlock: from, toBlock: to, addresses: f.addresses, topics: f.topics };
}

export async function queryLogs(backend: RpcBackend, f: FilterObject, limits: RpcLimits): Promise<LocatedLog[]> {
  const filter = await resolveLogFilter(backend, f, limits);
  if (!filter) return [];
  const logs = await backend.getLogs(filter);
  if (logs.length > limits.logResultCap) {
    throw new RpcError(
      RpcCode.limitExceeded,
      `query returned more than ${limits.logResultCap} results; narrow the block range or the filter`,
    );
  }
  return logs;
}
