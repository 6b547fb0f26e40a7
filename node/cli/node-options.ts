// Flags shared by `verity devnet` and `verity node`, and the step from parsed flags to a NodeConfig
// (defaults < --config file < environment < flags) and a running node with clean shutdown.
import { Option, type Command } from 'commander';
import { VerityError } from '../../state-machine/errors.ts';
import type { Genesis } from '../../genesis/index.ts';
import { loadConfig, type NodeConfig } from '../config.ts';
import { createLogger, LOG_LEVELS, type Logger } from '../../infra/logger.ts';
import { startNode, type RunningNode } from '../verity-node.ts';
import type { NodeRollupOptions } from '../rollup/attach.ts';
import { multiaddr } from '@multiformats/multiaddr';
import { ConfigError } from '../errors.ts';
import { DEFAULT_NETWORK, type NetworkOptions } from '../network/service.ts';

export interface CommonFlags {
  config?: string;
  datadir?: string;
  snapshotInterval?: string;
  recoverWorkers?: string;
  txpoolMinPerSender?: string;
  txpoolMaxTotal?: string;
  logLevel?: string;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON config file (settings: see docs/node.md)')
    .option('--datadir <dir>', 'data directory (LevelDB event log, snapshots, pool journal)')
    .option('--snapshot-interval <blocks>', 'write a state snapshot every N blocks (default 100)')
    .option('--recover-workers <n>', 'worker threads for sender recovery, 0 = main thread (default: 1 on the sequencer, 2 on a follower)')
    .option('--txpool-min-per-sender <n>', 'pool slots each sender is guaranteed; more while the pool has room (default 64)')
    .option('--txpool-max-total <n>', 'pooled txs in all (default 50000)')
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr as JSON lines)').choices(LOG_LEVELS));
}

export interface NetworkFlags {
  follow?: boolean;
  bootstrap?: string;
  p2pHost?: string;
  p2pPort?: string;
  snapshotSync?: boolean;
  sequencerRpc?: string;
}

/** The p2p flags of `verity node` (docs/network.md). */
export function addNetworkOptions(cmd: Command): Command {
  return cmd
    .option('--follow', 'run a full node: no sequencer key; follow, re-execute and serve the chain of --bootstrap peers')
    .option('--bootstrap <multiaddrs>', 'comma-separated peer multiaddrs (…/p2p/<peer id>) to dial and keep dialling')
    .option('--p2p-host <host>', 'p2p listen address (default 127.0.0.1)')
    .option('--p2p-port <port>', 'p2p TCP port, 0 = any free port; giving it puts a sequencer on the network')
    .option('--snapshot-sync', 'with an empty data dir: start from a peer\'s state snapshot (checked against its signed header)')
    .option('--sequencer-rpc <url>', 'with --follow: the sequencer\'s JSON-RPC URL, where eth_sendRawTransaction is forwarded');
}

/** Network options from flags, or null when the node runs alone (no p2p flag given). */
export function networkFromFlags(f: NetworkFlags): NetworkOptions | null {
  if (!f.follow && f.bootstrap === undefined && f.p2pPort === undefined) return null;
  const port = f.p2pPort === undefined ? 0 : Number(f.p2pPort);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535 || !/^\d+$/.test(f.p2pPort ?? '0')) throw new ConfigError('--p2p-port', 'want an integer in [0, 65535]');
  const bootstrap = (f.bootstrap ?? '').split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  for (const a of bootstrap) {
    try {
      multiaddr(a);
    } catch {
      throw new ConfigError('--bootstrap', `not a multiaddr: ${a}`);
    }
  }
  if (f.follow && bootstrap.length === 0) throw new ConfigError('--bootstrap', '--follow needs at least one peer to follow');
  if (f.sequencerRpc !== undefined && !/^https?:\/\//.test(f.sequencerRpc)) throw new ConfigError('--sequencer-rpc', 'want an http(s) URL');
  return {
    ...DEFAULT_NETWORK,
    host: f.p2pHost ?? DEFAULT_NETWORK.host,
    port,
    bootstrap,
    follow: f.follow === true,
    snapshotSync: f.snapshotSync === true,
    sequencerRpc: f.sequencerRpc ?? null,
  };
}

export function commonConfigFlags(f: CommonFlags): Partial<Record<keyof NodeConfig, unknown>> {
  return {
    dataDir: f.datadir,
    snapshotInterval: f.snapshotInterval,
    recoverWorkers: f.recoverWorkers,
    txpoolMinPerSender: f.txpoolMinPerSender,
    txpoolMaxTotal: f.txpoolMaxTotal,
    logLevel: f.logLevel,
  };
}

export function resolveConfig(f: CommonFlags, flags: Partial<Record<keyof NodeConfig, unknown>>): NodeConfig {
  return loadConfig({ file: f.config, env: process.env, flags: { ...commonConfigFlags(f), ...flags } });
}

/**
 * Starts the node, prints the parseable "rpc listening on URL" line on stdout, and stops cleanly on
 * SIGINT/SIGTERM (a second signal exits at once). `onStopped` runs after the node has stopped.
 */
export async function runUntilSignal(
  config: NodeConfig,
  genesis: Genesis,
  banner: (logger: Logger) => void,
  onStopped: () => void = () => undefined,
  network?: NetworkOptions,
  l1: NodeRollupOptions | null = null,
): Promise<RunningNode> {
  const logger = createLogger('verity', config.logLevel);
  const node = await startNode(config, genesis, logger, network, l1);
  banner(logger);
  for (const a of node.net?.multiaddrs() ?? []) process.stdout.write(`p2p listening on ${a}\n`);
  process.stdout.write(`rpc listening on ${node.url}\n`);
  let signalled = false;
  const shutdown = (signal: string): void => {
    if (signalled) process.exit(130);
    signalled = true;
    logger.info({ signal }, 'shutting down');
    node.stop().then(
      () => {
        onStopped();
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return node;
}

/**
 * Wraps a command action: a VerityError (bad config, foreign data dir, bad genesis) or a system error
 * (port in use, unreadable file) becomes a one-line error and exit 1; anything else is a bug and keeps its stack.
 */
export function guarded<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      const systemError = e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string';
      if (!(e instanceof VerityError) && !systemError) throw e;
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exit(1);
    }
  };
}
