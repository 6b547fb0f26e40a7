// What the solver and verifier roles share inside one worker process.
import type { Logger } from '../../infra/logger.ts';
import type { Backend } from '../../state-machine/repops/backend.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import type { CheckpointCatalog } from '../serve/catalog.ts';
import type { WorkerMetrics } from '../serve/metrics.ts';
import type { DatasetFinder } from '../solver/task-inputs.ts';
import type { ChainClient, TaskCall, TxOutcome } from './client.ts';
import type { TaskScheduler } from './scheduler.ts';
import type { WorkerState } from './worker-state.ts';

export interface WorkerContext {
  client: ChainClient;
  state: WorkerState;
  scheduler: TaskScheduler;
  store: CheckpointStore;
  catalog: CheckpointCatalog;
  finder: DatasetFinder;
  backend: Backend;
  metrics: WorkerMetrics;
  log: Logger;
  /** true once shutdown began: long work stops at its next checkpoint */
  stopping(): boolean;
}

/** Sends a call, counts it, and logs a revert with the module's error. */
export async function sendLogged(ctx: WorkerContext, call: TaskCall, fields: Record<string, unknown>): Promise<TxOutcome> {
  const out = await ctx.client.send(call);
  ctx.metrics.transactions.inc({ method: call.functionName, result: out.ok ? 'ok' : out.error });
  if (out.ok) ctx.log.debug({ ...fields, method: call.functionName, tx: out.hash, block: out.blockNumber.toString() }, 'transaction mined');
  else ctx.log.info({ ...fields, method: call.functionName, error: out.error, reason: out.message }, 'call reverted');
  return out;
}

/** Lets timers and I/O run between chunks of CPU-bound work. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
