// `verity devnet` (what `npm start` runs): a single-node devnet with the default devnet genesis,
// funded accounts from the public test mnemonic (devnet only), JSON-RPC on 127.0.0.1:9545, and
// supervised worker processes (one solver and two verifiers by default) on devnet accounts 1..9.
// `--demo` submits the example task and prints its life until it is finalized.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { defaultDevnetGenesis, devnetAccounts, type DevnetAccount } from '../../genesis/index.ts';
import { createLogger } from '../../infra/logger.ts';
import { startNode, type RunningNode } from '../verity-node.ts';
import { devnetL1FromFlags, addDevnetL1Options, type DevnetL1Flags } from '../devnet/l1.ts';
import { runDemo } from '../devnet/demo.ts';
import { alignDevnetStakes } from '../devnet/stake.ts';
import { unlockDevnetAccounts } from '../devnet/unlocked.ts';
import { MAX_DEVNET_WORKERS, WorkerSupervisor, assignRoles, prepareWorkers, writeKeyFile } from '../devnet/workers.ts';
import { devnetBanner, devnetFollowersBanner, devnetWorkersBanner } from './devnet-banner.ts';
import { FollowerSupervisor, MAX_DEVNET_FOLLOWERS, devnetNetwork } from '../devnet/followers.ts';
import { addCommonOptions, guarded, resolveConfig, type CommonFlags } from './node-options.ts';

interface DevnetFlags extends CommonFlags, DevnetL1Flags {
  tmp?: boolean;
  unlocked?: boolean;
  host?: string;
  port?: string;
  solvers: number;
  verifiers: number;
  followers: number;
  demo?: boolean;
  exit?: boolean;
  demoWindowBlocks: bigint;
}

export const EXAMPLE_SPEC = resolve(import.meta.dirname, '..', '..', 'worker', 'examples', 'digits-mlp.json');
const ETHER = 10n ** 18n;

function count(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > MAX_DEVNET_WORKERS) throw new InvalidArgumentError(`must be an integer in 0..${MAX_DEVNET_WORKERS}`);
  return Number(v);
}

function followerCount(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > MAX_DEVNET_FOLLOWERS) throw new InvalidArgumentError(`must be an integer in 0..${MAX_DEVNET_FOLLOWERS}`);
  return Number(v);
}

function blocks(v: string): bigint {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('must be a block count');
  return BigInt(v);
}

/** The demo's submitter: the highest devnet account that runs no worker (account 0, the sequencer, if all do). */
export function demoSubmitter(accounts: DevnetAccount[], workerIndices: number[]): DevnetAccount {
  for (let i = MAX_DEVNET_WORKERS; i >= 1; i--) if (!workerIndices.includes(i)) return accounts[i];
  return accounts[0];
}

/** The devnet calls the RPC port --port: a bad value names that flag, not the node's --rpc-port. */
function parsePort(v: string): string {
  if (!/^\d+$/.test(v) || Number(v) > 65_535) throw new InvalidArgumentError('want an integer in [0, 65535]');
  return v;
}

export function register(program: Command): void {
  const cmd = program
    .command('devnet')
    .description('run a single-node devnet with solver and verifier workers (DEVNET ONLY: accounts come from the public test mnemonic)')
    .showHelpAfterError('(add --help for usage)')
    .option('--tmp', 'use a fresh temporary data directory, removed on exit')
    .option('--unlocked', 'eth_accounts lists the devnet test accounts and eth_sendTransaction signs for them, as anvil does (devnet-only keys)')
    .option('--host <host>', 'JSON-RPC listen address (default 127.0.0.1)')
    .option('--port <port>', 'JSON-RPC port, 0 = any free port (default 9545)', parsePort)
    .option('--solvers <n>', 'solver workers (devnet accounts from 1 up)', count, 1)
    .option('--verifiers <n>', 'verifier workers (the next accounts); solvers + verifiers <= 9', count, 2)
    .option('--followers <n>', `full nodes (verity node --follow) beside the sequencer, RPC on the next ports (0..${MAX_DEVNET_FOLLOWERS})`, followerCount, 0)
    .option('--demo', 'submit worker/examples/digits-mlp.json and print its life until it is finalized')
    .option('--exit', 'with --demo: stop everything and exit once the task has ended (exit code 1 unless finalized)')
    .addOption(new Option('--demo-window-blocks <n>', 'tests only: the demo task asks for this verification window').argParser(blocks).default(0n, '0').hideHelp());
  addDevnetL1Options(addCommonOptions(cmd)).action(
    guarded(async (f: DevnetFlags) => {
      if (f.solvers + f.verifiers > MAX_DEVNET_WORKERS) cmd.error(`error: --solvers + --verifiers must be at most ${MAX_DEVNET_WORKERS} (devnet accounts 1..9 are staked)`);
      if (f.exit && !f.demo) cmd.error('error: --exit goes with --demo');
      const tmp = f.tmp ? mkdtempSync(join(tmpdir(), 'verity-devnet-')) : null;
      // The temporary dir must not outlive the process however it ends: a failed startup, Ctrl-C
      // while starting, or process.exit anywhere. A signal during startup is held until startup
      // settles (exiting under LevelDB's open could recreate the dir) and then delivered to the
      // devnet's own handlers; a second one exits at once.
      const removeTmp = (): void => {
        if (tmp) rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
      };
      let held: NodeJS.Signals | null = null;
      const hold = (signal: NodeJS.Signals): void => {
        if (held !== null) process.exit(130);
        held = signal;
      };
      if (tmp) {
        process.once('exit', removeTmp);
        process.on('SIGINT', hold);
        process.on('SIGTERM', hold);
      }
      const started: Started = {};
      try {
        await runDevnet(f, tmp, started);
      } catch (e) {
        await started.node?.stop();
        await started.l1?.stop();
        removeTmp();
        throw e;
      } finally {
        process.off('SIGINT', hold);
        process.off('SIGTERM', hold);
      }
      if (held !== null) process.kill(process.pid, held);
    }),
  );
}

/** What a failed startup must stop before its data dir can go. */
interface Started {
  node?: RunningNode;
  l1?: { stop(): Promise<void> };
}

async function runDevnet(f: DevnetFlags, tmp: string | null, started: Started): Promise<void> {
  const genesis = defaultDevnetGenesis();
  const accounts = devnetAccounts(10);
  const config = resolveConfig(f, { rpcHost: f.host, rpcPort: f.port, dataDir: tmp ?? f.datadir });
  // the devnet sequencer is devnet account 0, unless a key is configured
  if (config.sequencerKey === null) config.sequencerKey = accounts[0].privateKey;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const logger = createLogger('verity', config.logLevel);

  const rollup = await devnetL1FromFlags(f, config, genesis, logger);
  started.l1 = rollup ?? undefined;
  const node = await startNode(config, rollup?.genesis ?? genesis, logger, await devnetNetwork(f.followers, config.rpcHost), rollup?.nodeOptions ?? null);
  started.node = node;
  if (f.unlocked) unlockDevnetAccounts(node.backend, accounts);
  const roles = assignRoles(f.solvers, f.verifiers);
  const workers = await prepareWorkers(config.dataDir, accounts, roles);
  const submitter = demoSubmitter(accounts, roles.map((r) => r.index));
  const submitterKey = join(config.dataDir, 'workers', 'keys', `account-${submitter.index}.key`);
  writeKeyFile(submitterKey, submitter.privateKey);
  const stakes = await alignDevnetStakes(node.url, accounts, roles.map((r) => r.index), genesis.modules.stake.bonds, logger.child({ component: 'devnet' }));
  const supervisor = new WorkerSupervisor({ rpc: node.url, workers, logger: logger.child({ component: 'workers' }), report: out });

  out(devnetBanner(accounts.map((account) => ({ account, balance: genesis.alloc[account.address] ?? 0n })), genesis.chainId, { http: node.url, ws: node.rpc.wsUrl }));
  if (rollup) out(rollup.banner(node.url));
  out(`data dir: ${config.dataDir}${tmp ? ' (temporary)' : ''}`);
  if (f.unlocked) out(`unlocked: eth_sendTransaction signs for accounts (0)..(${accounts.length - 1}) above (devnet-only keys of the test mnemonic)`);
  const fromCwd = relative(process.cwd(), EXAMPLE_SPEC);
  const spec = fromCwd.startsWith('..') ? EXAMPLE_SPEC : fromCwd;
  out(devnetWorkersBanner({ rpc: node.url, workers, logDir: join(config.dataDir, 'workers'), submitter, submitterKey, spec, stakes }));
  const seqP2p = node.net?.multiaddrs()[0];
  const followers =
    seqP2p === undefined
      ? null
      : await FollowerSupervisor.start({ count: f.followers, devnetDir: config.dataDir, genesis: rollup?.genesis ?? genesis, sequencerP2p: seqP2p, sequencerRpc: node.url, rpcHost: config.rpcHost, rpcPort: config.rpcPort, snapshotInterval: config.snapshotInterval, logLevel: config.logLevel, logger: logger.child({ component: 'followers' }) });
  if (followers && seqP2p) out(devnetFollowersBanner(seqP2p, followers.followers()));
  out(`rpc listening on ${node.url} (WebSocket ${node.rpc.wsUrl})`);
  supervisor.start();

  const demoAbort = new AbortController();
  let stopping: Promise<void> | null = null;
  const shutdown = (code: number, why: string): void => {
    if (stopping) {
      if (why.startsWith('SIG')) process.exit(130);
      return;
    }
    logger.info({ why }, 'shutting down');
    demoAbort.abort();
    stopping = (async () => {
      await supervisor.stop();
      await followers?.stop();
      await node.stop();
      await rollup?.stop();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      logger.info('stopped');
      logger.flush();
    })();
    stopping.then(
      () => process.exit(code),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => shutdown(0, 'SIGTERM'));

  if (!f.demo) return;
  const names = new Map(workers.map((w) => [w.account.address.toLowerCase(), w.name]));
  runDemo({ rpc: node.url, account: submitter, specFile: spec, reward: ETHER, fee: ETHER / 100n, windowBlocks: f.demoWindowBlocks, names, print: out, signal: demoAbort.signal }).then(
    (r) => {
      if (f.exit && r.end !== null) shutdown(r.end === 'Finalized' ? 0 : 1, `demo ${r.end}`);
    },
    (e: unknown) => {
      process.stderr.write(`error: demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
      if (f.exit) shutdown(1, 'demo failed');
    },
  );
}
