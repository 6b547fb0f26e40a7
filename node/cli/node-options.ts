// Flags shared by `verity devnet` and `verity node`, and the step from parsed flags to a NodeConfig
// (defaults < --config file < environment < flags) and a running node with clean shutdown.
import { Option, type Command } from 'commander';
import { VerityError } from '../../state-machine/errors.ts';
import type { Genesis } from '../../genesis/index.ts';
import { loadConfig, type NodeConfig } from '../config.ts';
import { createLogger, LOG_LEVELS, type Logger } from '../../infra/logger.ts';
import { startNode, type RunningNode } from '../verity-node.ts';

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
    .option('--recover-workers <n>', 'worker threads for sender recovery, 0 = main thread (default 1)')
    .option('--txpool-min-per-sender <n>', 'pool slots each sender is guaranteed; more while the pool has room (default 64)')
    .option('--txpool-max-total <n>', 'pooled txs in all (default 50000)')
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr as JSON lines)').choices(LOG_LEVELS));
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
): Promise<RunningNode> {
  const logger = createLogger('verity', config.logLevel);
  const node = await startNode(config, genesis, logger);
  banner(logger);
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
