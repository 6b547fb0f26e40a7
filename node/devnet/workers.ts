// The devnet's worker processes: one `verity worker` per devnet account given a role, with its key
// file (mode 0600), data dir and log file under the devnet data dir and its checkpoint server on a
// loopback port. The supervisor restarts a worker that dies, with backoff, and stops them all
// (SIGTERM, then SIGKILL after a grace period) before the node stops.
//
//   <datadir>/workers/keys/account-<i>.key   devnet-only private keys
//   <datadir>/workers/<name>/                 the worker's --data (state, checkpoint store)
//   <datadir>/workers/<name>.log              its stdout and stderr, appended across restarts
//   <datadir>/workers/ports.json              the ports last used, reused while free
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DevnetAccount } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { terminate } from './terminate.ts';

export type DevnetWorkerRole = 'solver' | 'verifier';

export interface DevnetWorker {
  /** `solver-1`: role and account index */
  name: string;
  role: DevnetWorkerRole;
  account: DevnetAccount;
  keyFile: string;
  dataDir: string;
  logFile: string;
  port: number;
  /** the checkpoint server (and /metrics) URL */
  url: string;
}

/** Devnet accounts 1..9 are staked at genesis; account 0 is the sequencer. */
export const MAX_DEVNET_WORKERS = 9;
const BIN = resolve(import.meta.dirname, '..', 'cli', 'bin.js');
const PARENT_WATCH = pathToFileURL(resolve(import.meta.dirname, 'parent-watch.mjs')).href;

/** Roles by account: solvers take the lowest indices from 1, verifiers the next ones. */
export function assignRoles(solvers: number, verifiers: number): { role: DevnetWorkerRole; index: number }[] {
  for (const [what, n] of [['--solvers', solvers], ['--verifiers', verifiers]] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
  }
  if (solvers + verifiers > MAX_DEVNET_WORKERS) {
    throw new RangeError(`--solvers + --verifiers is ${solvers + verifiers}; the devnet stakes ${MAX_DEVNET_WORKERS} accounts (1..9)`);
  }
  return [
    ...Array.from({ length: solvers }, (_, i) => ({ role: 'solver' as const, index: 1 + i })),
    ...Array.from({ length: verifiers }, (_, i) => ({ role: 'verifier' as const, index: 1 + solvers + i })),
  ];
}

/** Writes a devnet key file readable by its owner only (also when it already existed). */
export function writeKeyFile(file: string, privateKey: string): void {
  writeFileSync(file, `${privateKey}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** A free loopback TCP port: `preferred` when it can be bound, else one the kernel picks. */
export async function freeLoopbackPort(preferred = 0): Promise<number> {
  const tryPort = (port: number): Promise<number | null> =>
    new Promise((res) => {
      const srv = createServer();
      srv.once('error', () => res(null));
      srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        const a = srv.address();
        const got = typeof a === 'object' && a !== null ? a.port : null;
        srv.close(() => res(got));
      });
    });
  const got = (preferred > 0 ? await tryPort(preferred) : null) ?? (await tryPort(0));
  if (got === null) throw new Error('no free loopback port');
  return got;
}

/** Lays out the workers' files under `<dataDir>/workers` and picks their ports. */
export async function prepareWorkers(dataDir: string, accounts: DevnetAccount[], roles: { role: DevnetWorkerRole; index: number }[]): Promise<DevnetWorker[]> {
  const root = join(dataDir, 'workers');
  mkdirSync(join(root, 'keys'), { recursive: true, mode: 0o700 });
  const portsFile = join(root, 'ports.json');
  const lastPorts = existsSync(portsFile) ? (JSON.parse(readFileSync(portsFile, 'utf8')) as Record<string, number>) : {};
  const workers: DevnetWorker[] = [];
  for (const { role, index } of roles) {
    const account = accounts[index];
    if (account === undefined) throw new RangeError(`no devnet account ${index}`);
    const name = `${role}-${index}`;
    const keyFile = join(root, 'keys', `account-${index}.key`);
    writeKeyFile(keyFile, account.privateKey);
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    // a port taken by another worker of this devnet is not free either
    let port = await freeLoopbackPort(lastPorts[name]);
    while (workers.some((w) => w.port === port)) port = await freeLoopbackPort();
    workers.push({ name, role, account, keyFile, dataDir: dir, logFile: join(root, `${name}.log`), port, url: `http://127.0.0.1:${port}` });
  }
  writeFileSync(portsFile, `${JSON.stringify(Object.fromEntries(workers.map((w) => [w.name, w.port])))}\n`);
  return workers;
}

/**
 * `node` arguments that run one devnet worker (`verity worker …`, with the parent watch preloaded).
 * A solver runs `--role both`: it is a staker, so the draw may pick it to verify another solver's
 * task, and a drawn worker that does not answer is slashed and jailed (and a jailed solver cannot claim).
 */
export function workerArgs(w: DevnetWorker, rpc: string): string[] {
  return [
    '--import', PARENT_WATCH, BIN, 'worker', '--rpc', rpc, '--key-file', w.keyFile, '--role', w.role === 'solver' ? 'both' : 'verifier', '--data', w.dataDir,
    '--serve', `127.0.0.1:${w.port}`, '--no-progress',
  ];
}

export interface SupervisorOptions {
  rpc: string;
  workers: DevnetWorker[];
  logger: Logger;
  /** one line for the person at the terminal (crashes, restarts) */
  report?: (line: string) => void;
  /** node arguments of a worker; tests substitute their own */
  args?: (w: DevnetWorker, rpc: string) => string[];
  env?: NodeJS.ProcessEnv;
  /** first restart delay, doubled per crash up to maxMs; reset after a run of resetAfterMs */
  backoff?: { initialMs: number; maxMs: number; resetAfterMs: number };
  /** how long a worker has after SIGTERM before SIGKILL */
  stopGraceMs?: number;
}

interface Slot {
  worker: DevnetWorker;
  fd: number;
  child: ChildProcess | null;
  exited: Promise<void>;
  startedAt: number;
  restarts: number;
  delayMs: number;
  timer: NodeJS.Timeout | null;
}

export class WorkerSupervisor {
  private readonly slots: Slot[] = [];
  private stopping: Promise<void> | null = null;
  private readonly backoff: { initialMs: number; maxMs: number; resetAfterMs: number };

  constructor(private readonly o: SupervisorOptions) {
    this.backoff = o.backoff ?? { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };
  }

  start(): void {
    for (const worker of this.o.workers) {
      const slot: Slot = {
        worker,
        fd: openSync(worker.logFile, 'a', 0o600),
        child: null,
        exited: Promise.resolve(),
        startedAt: 0,
        restarts: 0,
        delayMs: this.backoff.initialMs,
        timer: null,
      };
      this.slots.push(slot);
      this.spawn(slot);
    }
  }

  /** Each worker's pid (null between a crash and its restart) and restart count. */
  status(): { name: string; pid: number | null; restarts: number }[] {
    return this.slots.map((s) => ({ name: s.worker.name, pid: s.child?.pid ?? null, restarts: s.restarts }));
  }

  private spawn(slot: Slot): void {
    const w = slot.worker;
    const args = (this.o.args ?? workerArgs)(w, this.o.rpc);
    writeSync(slot.fd, `--- ${new Date().toISOString()} devnet starts ${w.name}${slot.restarts > 0 ? ` (restart ${slot.restarts})` : ''}\n`);
    // detached: a worker gets its own process group, so the terminal's Ctrl-C reaches the devnet
    // only and the devnet stops each worker once (a second signal would make a worker exit at once);
    // the parent watch (IPC channel) still ends it if the devnet dies without stopping it
    const child = spawn(process.execPath, args, { stdio: ['ignore', slot.fd, slot.fd, 'ipc'], env: this.o.env ?? process.env, detached: true });
    slot.child = child;
    slot.startedAt = Date.now();
    slot.exited = new Promise((res) => {
      child.once('exit', (code, signal) => {
        slot.child = null;
        res();
        this.onExit(slot, code, signal);
      });
    });
    child.once('error', (err) => this.o.logger.error({ worker: w.name, err }, 'cannot start worker'));
    this.o.logger.info({ worker: w.name, pid: child.pid, role: w.role, address: w.account.address }, 'worker started');
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const w = slot.worker;
    const how = signal === null ? `code ${code}` : signal;
    try {
      writeSync(slot.fd, `--- ${new Date().toISOString()} ${w.name} exited (${how})\n`);
    } catch {
      // the log was closed by stop()
    }
    if (this.stopping) return;
    if (Date.now() - slot.startedAt >= this.backoff.resetAfterMs) slot.delayMs = this.backoff.initialMs;
    const delay = slot.delayMs;
    slot.delayMs = Math.min(slot.delayMs * 2, this.backoff.maxMs);
    this.o.logger.warn({ worker: w.name, code, signal, restartInMs: delay }, 'worker exited; restarting');
    this.o.report?.(`worker ${w.name} exited (${how}); restarting in ${(delay / 1000).toFixed(1)} s (log: ${w.logFile})`);
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (this.stopping) return;
      slot.restarts++;
      this.spawn(slot);
    }, delay);
  }

  /** Stops every worker: SIGTERM, SIGKILL after the grace period; resolves when all have exited. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const grace = this.o.stopGraceMs ?? 10_000;
      await Promise.all(
        this.slots.map(async (slot) => {
          if (slot.timer) clearTimeout(slot.timer);
          const child = slot.child;
          if (child !== null) {
            await terminate(child, slot.exited, grace, () => this.o.logger.warn({ worker: slot.worker.name, graceMs: grace }, 'worker did not stop in time; killing it'));
          }
          closeSync(slot.fd);
        }),
      );
    })();
    return this.stopping;
  }
}
