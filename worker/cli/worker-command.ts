// `verity worker --rpc URL --key-file FILE --role solver|verifier|both [--data DIR] [--datasets DIR]
// [--serve HOST:PORT]`: a long-running solver and/or verifier that talks to a node only over
// JSON-RPC. docs/worker.md describes what it does, its files, its HTTP routes and its metrics.
import { join, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from '../../infra/logger.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { getBackend, type BackendName } from '../../state-machine/repops/backend.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { ChainClient } from '../chain/client.ts';
import type { WorkerContext } from '../chain/context.ts';
import { Backoff, EventFollower, wsUrlFor } from '../chain/follower.ts';
import { readKeyFile } from '../chain/key.ts';
import { TaskScheduler } from '../chain/scheduler.ts';
import { WorkerState } from '../chain/worker-state.ts';
import { CheckpointCatalog } from '../serve/catalog.ts';
import { WorkerMetrics } from '../serve/metrics.ts';
import { startCheckpointServer, type CheckpointServer } from '../serve/server.ts';
import { Solver } from '../solver/solver.ts';
import { DatasetFinder, SHIPPED_DATASETS } from '../solver/task-inputs.ts';
import { DEFAULT_FETCH_LIMITS } from '../verifier/fetch-checkpoint.ts';
import { Verifier } from '../verifier/verifier.ts';
import { parseMisbehaviour, type Misbehaviour } from '../dispute/behaviour.ts';
import { parseBackend, parseNonNegativeInt } from './common.ts';

export type WorkerRole = 'solver' | 'verifier' | 'both';

export interface WorkerOptions {
  rpc: string;
  keyFile: string;
  role: WorkerRole;
  data?: string;
  /** data set directories searched in order (default: the shipped worker/datasets) */
  datasets: string[];
  serve?: { host: string; port: number };
  /** public URL committed on chain (default: the --serve address as bound) */
  endpoint?: string;
  backend: BackendName;
  pollMs: number;
  ws: boolean;
  /** value a challenge escrows; absent: the chain's challengeBond */
  challengeBond?: bigint;
  /** --misbehave: cheat on purpose (tests and demos only; docs/verde.md) */
  misbehave?: Misbehaviour;
  fetchTimeoutMs: number;
  fetchRetries: number;
  logLevel: LogLevel;
  progress: boolean;
}

/** Hidden, test-only switches (environment): never set outside tests. */
export interface WorkerTestHooks {
  /** VERITY_WORKER_TEST_REFUSE_SERVE=1: the checkpoint server answers 503 to every checkpoint route */
  refuseServe: boolean;
  /** VERITY_WORKER_TEST_SEGMENT_DELAY_MS: pause after each trained segment */
  segmentDelayMs: number;
}

export function testHooksFromEnv(env: NodeJS.ProcessEnv): WorkerTestHooks {
  return {
    refuseServe: env.VERITY_WORKER_TEST_REFUSE_SERVE === '1',
    segmentDelayMs: Number(env.VERITY_WORKER_TEST_SEGMENT_DELAY_MS ?? 0) || 0,
  };
}

export interface RunningWorker {
  address: string;
  endpoint: string | null;
  stop(): Promise<void>;
}

/** Connects, retrying until the node answers (a worker may start before its node). */
async function connect(o: WorkerOptions, log: Logger, stopping: () => boolean): Promise<ChainClient> {
  const account = readKeyFile(o.keyFile);
  const backoff = new Backoff(250, 2_000);
  for (;;) {
    try {
      return await ChainClient.connect(o.rpc, account, { pollMs: Math.max(20, Math.floor(o.pollMs / 2)) });
    } catch (e) {
      if (stopping()) throw e;
      const delay = backoff.next();
      log.warn({ rpc: o.rpc, err: (e as Error).message, retryMs: delay }, 'node not reachable; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export async function startWorker(o: WorkerOptions, hooks: WorkerTestHooks = testHooksFromEnv({})): Promise<RunningWorker> {
  const solving = o.role !== 'verifier';
  const verifying = o.role !== 'solver';
  if (solving && o.serve === undefined) throw new VerityError('WORKER_OPTIONS', 'a solver serves its checkpoints: give --serve HOST:PORT');
  const root = createLogger('verity-worker', o.logLevel);
  let stopping = false;
  const client = await connect(o, root, () => stopping);
  const log = root.child({ address: client.address });
  const dataDir = resolve(o.data ?? join('.verity-worker', client.address));
  const state = WorkerState.open(dataDir, client.chainId, client.address);
  const store = new CheckpointStore(join(dataDir, 'store'), { background: true });
  const metrics = new WorkerMetrics();
  const catalog = new CheckpointCatalog(store);
  const refuse = hooks.refuseServe || o.misbehave?.kind === 'refuse-data';
  if (o.misbehave) log.warn({ misbehave: o.misbehave }, 'MISBEHAVING on purpose (--misbehave): this worker cheats');
  else if (hooks.refuseServe) log.warn('TEST HOOK: the checkpoint server refuses every request');

  let server: CheckpointServer | null = null;
  if (o.serve) {
    server = await startCheckpointServer({ ...o.serve, catalog, metrics, log: log.child({ component: 'serve' }), address: client.address, refuse });
  }
  const endpoint = o.endpoint ?? server?.url ?? null;
  const scheduler = new TaskScheduler(log.child({ component: 'jobs' }));
  const ctx: WorkerContext = {
    client,
    state,
    scheduler,
    store,
    catalog,
    finder: new DatasetFinder(o.datasets.length > 0 ? o.datasets.map((d) => resolve(d)) : [SHIPPED_DATASETS], log.child({ component: 'datasets' })),
    backend: getBackend(o.backend, (reason) => log.warn({ requested: o.backend, using: 'ts' }, reason)),
    metrics,
    log,
    stopping: () => stopping,
  };
  const solver = solving ? new Solver({ ...ctx, log: log.child({ role: 'solver' }) }, { endpoint: endpoint ?? '', progress: o.progress, segmentDelayMs: hooks.segmentDelayMs, behaviour: o.misbehave }) : null;
  const verifier = verifying
    ? new Verifier(
        { ...ctx, log: log.child({ role: 'verifier' }) },
        { challengeBond: o.challengeBond, behaviour: o.misbehave, fetch: { ...DEFAULT_FETCH_LIMITS, timeoutMs: o.fetchTimeoutMs }, retries: o.fetchRetries, retryDelayMs: 200 },
      )
    : null;

  // A fresh state starts at the head: the resume scan below covers the recent tasks.
  const fresh = state.lastBlock === 0n;
  if (fresh) state.lastBlock = await client.blockNumber();
  state.save();
  scheduler.touch('resume', async () => {
    await solver?.resume();
    await verifier?.resume();
    return { done: true };
  });

  const follower = new EventFollower({
    client,
    wsUrl: o.ws ? wsUrlFor(o.rpc) : null,
    pollMs: o.pollMs,
    cursor: () => state.lastBlock,
    onEvents: async (events, toBlock) => {
      for (const e of events) {
        solver?.onEvent(e);
        verifier?.onEvent(e);
      }
      state.lastBlock = toBlock;
      state.save();
    },
    onHead: async (head) => {
      metrics.head.set(Number(head));
      scheduler.onHead(head);
    },
    onRecovered: () => scheduler.retryFailedNow(),
    log: log.child({ component: 'events' }),
  });
  follower.start();
  log.info({ role: o.role, chainId: client.chainId.toString(), rpc: o.rpc, dataDir, endpoint, resumeFrom: state.lastBlock.toString(), fresh }, 'worker started');

  let stopped: Promise<void> | null = null;
  return {
    address: client.address,
    endpoint,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        await follower.stop();
        await scheduler.stop();
        await store.close();
        await server?.close();
        state.save();
        log.info('worker stopped');
      })();
      return stopped;
    },
  };
}

function parseHostPort(v: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new InvalidArgumentError('want HOST:PORT (port 0 = any free port)');
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function parseWei(v: string): bigint {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('want an amount in wei (decimal digits)');
  return BigInt(v);
}

function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

function parseRole(v: string): WorkerRole {
  if (v !== 'solver' && v !== 'verifier' && v !== 'both') throw new InvalidArgumentError("must be 'solver', 'verifier' or 'both'");
  return v;
}

function parseMode(v: string): Misbehaviour {
  try {
    return parseMisbehaviour(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function parseRpcUrl(v: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(v)) throw new InvalidArgumentError('want an http(s):// JSON-RPC URL (the WebSocket endpoint is derived from it)');
  return v;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run a solver and/or verifier against a node over JSON-RPC (see docs/worker.md)')
    .requiredOption('--rpc <url>', 'node JSON-RPC URL (http://…; its ws:// twin is used for the event subscription)', parseRpcUrl)
    .requiredOption('--key-file <file>', 'file holding the 0x-hex private key this worker signs with')
    .option('--role <role>', 'solver | verifier | both', parseRole, 'both')
    .option('--data <dir>', 'state and checkpoint store directory (default ./.verity-worker/<address>)')
    .option('--datasets <dir>', `data set directory (repeatable, searched in order; default: the shipped ${SHIPPED_DATASETS})`, collect, [])
    .option('--serve <host:port>', 'checkpoint server (and /metrics) listen address; a solver needs it', parseHostPort)
    .option('--endpoint <url>', 'public URL of the checkpoint server committed on chain (default: http://<serve address>)')
    .option('--backend <name>', 'RepOps backend: ts | native (falls back to ts, with a warning)', parseBackend, 'native')
    .option('--poll-ms <ms>', 'event poll interval when no subscription wakes the worker', parseNonNegativeInt, 500)
    .option('--no-ws', 'poll only; do not open the WebSocket event subscription')
    .option('--challenge-bond <wei>', "value sent with a challenge (default: the chain's challengeBond)", parseWei)
    .option('--misbehave <mode>', 'TESTS AND DEMOS ONLY: cheat on purpose (op:T:J, checkpoint:T, lazy, skip:T, data:T, silent-after:N, refuse-data, false-challenge)', parseMode)
    .option('--fetch-timeout-ms <ms>', "deadline of each request to a solver's checkpoint server", parseNonNegativeInt, 10_000)
    .option('--fetch-retries <n>', "extra tries of a failed fetch before forcing the data on chain", parseNonNegativeInt, 2)
    .option('--no-progress', 'no training progress bar')
    .addOption(new Option('--log-level <level>', 'log level (JSON lines on stderr)').choices(LOG_LEVELS).default('info'))
    .action(async (o: WorkerOptions) => {
      let w: RunningWorker;
      try {
        w = await startWorker(o, testHooksFromEnv(process.env));
      } catch (e) {
        if (!(e instanceof VerityError)) throw e;
        process.stderr.write(`error ${e.code}: ${e.message}\n`);
        process.exit(1);
      }
      if (w.endpoint) process.stdout.write(`worker ${w.address} serving checkpoints on ${w.endpoint}\n`);
      let signalled = false;
      const shutdown = (): void => {
        if (signalled) process.exit(130);
        signalled = true;
        w.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    });
}
