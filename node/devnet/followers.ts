// `verity devnet --followers N`: N full nodes beside the sequencer, each its own process (`verity
// node --follow`) with its own data dir under <devnet dir>/followers/<i>, RPC on the ports after the
// devnet's (9546, 9547, … by default), bootstrapped from the sequencer's multiaddr and forwarding
// transactions to its RPC. A follower that dies is restarted; all stop with the devnet.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { genesisToJson, type Genesis } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { DEFAULT_NETWORK, type NetworkOptions } from '../network/service.ts';
import { freeLoopbackPort } from './workers.ts';
import { terminate } from './terminate.ts';

const BIN = resolve(import.meta.dirname, '..', 'cli', 'bin.js');
const PARENT_WATCH = pathToFileURL(resolve(import.meta.dirname, 'parent-watch.mjs')).href;
/** the devnet sequencer's p2p port when free (else any free port) */
export const DEVNET_P2P_PORT = 30303;
export const MAX_DEVNET_FOLLOWERS = 8;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** The sequencer's network options: on the network only when followers run. */
export async function devnetNetwork(followers: number, host: string): Promise<NetworkOptions | undefined> {
  if (followers === 0) return undefined;
  // two devnets at once (tests) may both see the port free: the second then takes any port
  return { ...DEFAULT_NETWORK, host, port: await freeLoopbackPort(DEVNET_P2P_PORT), anyPortIfTaken: true };
}

export interface DevnetFollower {
  name: string;
  url: string;
  dataDir: string;
  logFile: string;
}

export interface FollowersInput {
  count: number;
  devnetDir: string;
  genesis: Genesis;
  sequencerP2p: string;
  sequencerRpc: string;
  rpcHost: string;
  /** the devnet's RPC port: followers take the next ones (any free port when it is 0) */
  rpcPort: number;
  snapshotInterval: number;
  logLevel: string;
  logger: Logger;
}

interface Slot {
  follower: DevnetFollower;
  args: string[];
  fd: number;
  child: ChildProcess | null;
  exited: Promise<void>;
  delayMs: number;
  timer: NodeJS.Timeout | null;
}

export class FollowerSupervisor {
  private readonly slots: Slot[] = [];
  private stopping: Promise<void> | null = null;

  private constructor(private readonly logger: Logger) {}

  static async start(i: FollowersInput): Promise<FollowerSupervisor> {
    const sup = new FollowerSupervisor(i.logger);
    const root = join(i.devnetDir, 'followers');
    mkdirSync(root, { recursive: true });
    const genesisFile = join(root, 'genesis.json');
    writeFileSync(genesisFile, genesisToJson(i.genesis));
    for (let k = 1; k <= i.count; k++) {
      const port = await freeLoopbackPort(i.rpcPort === 0 ? 0 : i.rpcPort + k);
      const dataDir = join(root, String(k));
      mkdirSync(dataDir, { recursive: true });
      const follower: DevnetFollower = { name: `follower-${k}`, url: `http://${i.rpcHost}:${port}`, dataDir, logFile: join(dataDir, 'node.log') };
      const args = [
        '--import', PARENT_WATCH, BIN, 'node', '--follow', '--genesis', genesisFile, '--datadir', dataDir, '--rpc-host', i.rpcHost, '--rpc-port', String(port),
        '--bootstrap', i.sequencerP2p, '--sequencer-rpc', i.sequencerRpc, '--snapshot-interval', String(i.snapshotInterval), '--log-level', i.logLevel,
      ];
      const slot: Slot = { follower, args, fd: openSync(follower.logFile, 'a', 0o600), child: null, exited: Promise.resolve(), delayMs: 1_000, timer: null };
      sup.slots.push(slot);
      sup.spawn(slot);
    }
    await Promise.all(sup.slots.map((s) => sup.ready(s.follower)));
    return sup;
  }

  followers(): DevnetFollower[] {
    return this.slots.map((s) => s.follower);
  }

  private spawn(slot: Slot): void {
    // detached with an IPC channel, as the devnet's workers: Ctrl-C reaches the devnet only, and a
    // follower whose devnet died (kill -9 included) stops itself
    const child = spawn(process.execPath, slot.args, { stdio: ['ignore', slot.fd, slot.fd, 'ipc'], detached: true });
    slot.child = child;
    const started = Date.now();
    slot.exited = new Promise((res) => {
      child.once('exit', (code, signal) => {
        slot.child = null;
        res();
        if (this.stopping) return;
        if (Date.now() - started > 60_000) slot.delayMs = 1_000;
        const delay = slot.delayMs;
        slot.delayMs = Math.min(slot.delayMs * 2, 30_000);
        this.logger.warn({ follower: slot.follower.name, code, signal, restartInMs: delay }, 'follower exited; restarting');
        slot.timer = setTimeout(() => {
          slot.timer = null;
          if (!this.stopping) this.spawn(slot);
        }, delay);
      });
    });
    child.once('error', (err) => this.logger.error({ follower: slot.follower.name, err }, 'cannot start follower'));
  }

  /** Waits until a follower answers on its RPC (it may still be syncing). */
  private async ready(f: DevnetFollower): Promise<void> {
    const end = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < end && !this.stopping) {
      try {
        const res = await fetch(f.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    this.logger.warn({ follower: f.name, log: f.logFile }, 'follower not answering yet');
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(
        this.slots.map(async (slot) => {
          if (slot.timer) clearTimeout(slot.timer);
          const child = slot.child;
          if (child !== null) await terminate(child, slot.exited, STOP_GRACE_MS);
          try {
            writeSync(slot.fd, `--- ${slot.follower.name} stopped\n`);
          } finally {
            closeSync(slot.fd);
          }
        }),
      );
    })();
    return this.stopping;
  }
}
