// `verity devnet` (what `npm start` runs): a single-node devnet with the default devnet genesis,
// funded accounts from the public test mnemonic (devnet only), JSON-RPC on 127.0.0.1:9545, and
// supervised worker processes (one solver and two verifiers by default) on devnet accounts 1..9.
// `--demo` runs the tour (node/devnet/tour.ts): an honest task finalizes, a cheating solver is caught
// by Verde and slashed, and ETH crosses the bridge both ways, each step printed as it happens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { getAddress } from 'viem';
import { ConfigError } from '../errors.ts';
import { defaultDevnetGenesis, devnetAccounts, type DevnetAccount } from '../../genesis/index.ts';
import { createLogger } from '../../infra/logger.ts';
import { startNode, type RunningNode } from '../verity-node.ts';
import { devnetL1FromFlags, addDevnetL1Options, type DevnetL1Flags } from '../devnet/l1.ts';
import { TOUR_CHEAT, runTour } from '../devnet/tour.ts';
import { alignDevnetStakes } from '../devnet/stake.ts';
import { unlockDevnetAccounts } from '../devnet/unlocked.ts';
import { MAX_DEVNET_WORKERS, WorkerSupervisor, assignRoles, prepareWorkers, workerArgs, writeKeyFile } from '../devnet/workers.ts';
import { devnetSummary, type RunsWhere, devnetBanner, devnetFollowersBanner, devnetWorkersBanner } from './devnet-banner.ts';
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
    .option('--followers <n>', `full nodes (verity node --follow) beside the sequencer, RPC on the next ports (0..${MAX_DEVNET_FOLLOWERS})`, followerCount, 2)
    .option('--demo', 'run the tour: an honest task finalizes, a cheating solver is caught by Verde and slashed, ETH crosses the bridge both ways')
    .option('--exit', 'with --demo: stop everything and exit once the tour has ended (exit code 1 unless it completed)')
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
  const submitter = demoSubmitter(accounts, roles.map((r) => r.index));
  // the tour's cheating solver: the next free account below the submitter, started by the tour
  const cheaterIndex = f.demo ? demoSubmitter(accounts, [...roles.map((r) => r.index), submitter.index]).index : null;
  const cheaterRole = cheaterIndex === null || cheaterIndex === 0 ? [] : [{ role: 'solver' as const, index: cheaterIndex }];
  const prepared = await prepareWorkers(config.dataDir, accounts, [...roles, ...cheaterRole]);
  const workers = prepared.slice(0, roles.length);
  const cheaterWorker = prepared[roles.length];
  const submitterKey = join(config.dataDir, 'workers', 'keys', `account-${submitter.index}.key`);
  writeKeyFile(submitterKey, submitter.privateKey);
  // the tour's cheater starts unbonded (so the honest task's draw cannot pick it) and bonds later
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
  const ws = (url: string): string => url.replace(/^http/, 'ws');
  const rows: RunsWhere[] = [
    ...(rollup ? [{ what: `L1${rollup.l1.external ? '' : ' (embedded)'}`, where: rollup.l1.url, note: `chain ${rollup.genesis.modules.bridge.l1ChainId}` }] : []),
    ...(rollup ? [{ what: 'L1 Portal', where: getAddress(rollup.l1.deployment.portal), note: 'deposits, withdrawals' }] : []),
    { what: 'sequencer', where: node.url, note: `${node.rpc.wsUrl}${seqP2p ? `  ${seqP2p}` : ''}` },
    ...(followers?.followers() ?? []).map((x) => ({ what: x.name, where: x.url, note: ws(x.url) })),
    ...workers.map((x) => ({ what: x.name, where: x.url, note: `checkpoints; account (${x.account.index}) ${getAddress(x.account.address)}` })),
    { what: 'dashboard', where: `${node.url}/` },
  ];
  const tryLines = [
    `submit the example task:  node node/cli/bin.js task submit --rpc ${node.url} --key-file ${submitterKey} --spec ${spec} --reward 1ether --fee 0.01ether`,
    ...(rollup
      ? [`deposit 1 ETH from L1:    cast send --rpc-url ${rollup.l1.url} --private-key ${submitter.privateKey} ${getAddress(rollup.l1.deployment.portal)} "depositETH(address)" ${getAddress(submitter.address)} --value 1ether`]
      : []),
    `watch it all:             open ${node.url}/`,
  ];
  out(devnetSummary(rows, tryLines));
  out(`rpc listening on ${node.url} (WebSocket ${node.rpc.wsUrl})`);
  supervisor.start();
  const cheats =
    cheaterWorker === undefined
      ? null
      : new WorkerSupervisor({ rpc: node.url, workers: [cheaterWorker], logger: logger.child({ component: 'workers' }), report: out, args: (w, rpc) => [...workerArgs(w, rpc), '--misbehave', TOUR_CHEAT] });

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
      await cheats?.stop();
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
  if (cheats === null || cheaterWorker === undefined) throw new ConfigError('--demo', 'the tour needs a free devnet account for its cheating solver: run fewer workers');
  runTour({
    rpc: node.url,
    submitter,
    cheater: cheaterWorker.account,
    startCheater: () => cheats.start(),
    specFile: spec,
    windowBlocks: f.demoWindowBlocks,
    l1Rpc: rollup?.l1.url ?? null,
    names,
    print: out,
    signal: demoAbort.signal,
  }).then(
    (r) => {
      if (f.exit) shutdown(r.ok ? 0 : 1, `tour ${r.ok ? 'complete' : 'incomplete'}`);
    },
    (e: unknown) => {
      process.stderr.write(`error: demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
      if (f.exit) shutdown(1, 'demo failed');
    },
  );
}
