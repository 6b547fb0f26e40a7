// The devnet's L1: the embedded L1 (bridge/l1) on 127.0.0.1:8545 with its blocks under the devnet
// data dir (resumed on the next start), or an external L1 given by --l1-rpc with a deployer key.
// The bridge contracts are deployed once from devnet account 0 (on a fresh embedded L1 its nonces
// 0..3 give the addresses in defaultDevnetGenesis); the batcher, proposer and guardian are their own
// accounts of the test mnemonic (indices 10..12, funded from account 0), so their L1 nonces never
// race a user's. DEVNET ONLY: every key here is public.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { join } from 'node:path';
import { createWalletClient, getAddress, http, parseEther, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startEmbeddedL1, type EmbeddedL1 } from '../../bridge/l1/index.ts';
import { DEVNET_L1_CHAIN_ID, DEVNET_WINDOW_SECONDS, devnetAccounts, devnetBridgeParams as defaultBridgeParams, type DevnetAccount } from '../../genesis/devnet.ts';
import type { Genesis } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { writeFileAtomic } from '../../infra/atomic-file.ts';
import { bridgeParamsFor, deployBridge, predictBridgeAddresses, type BridgeDeployment } from '../rollup/deploy.ts';
import { l1PublicClient } from '../rollup/l1.ts';
import { RollupError } from '../rollup/errors.ts';
import type { NodeRollupOptions } from '../rollup/attach.ts';
import type { NodeConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';

export const DEVNET_L1_PORT = 8545;
export const DEVNET_L1_BLOCK_MS = 1000;
const ROLE_INDEX = { batcher: 10, proposer: 11, guardian: 12 } as const;

/** The deployment defaultDevnetGenesis expects: account 0 from nonce 0 on a fresh L1. */
export function devnetBridgeDeployment(): BridgeDeployment {
  const deployer = getAddress(devnetAccounts(1)[0].address);
  return { ...predictBridgeAddresses(deployer, 0n), l1ChainId: DEVNET_L1_CHAIN_ID, startBlock: 0n, deployer };
}

/** The devnet's bridge parameters for a deployment (the default genesis' own for the default one). */
export const devnetBridgeParams = (d: BridgeDeployment) => {
  const p = defaultBridgeParams();
  return bridgeParamsFor(d, { confirmations: p.confirmations, windowSeconds: p.finalizationWindowSeconds, outputIntervalBlocks: p.outputIntervalBlocks });
};

export interface DevnetL1 {
  url: string;
  external: boolean;
  deployment: BridgeDeployment;
  batcher: DevnetAccount;
  proposer: DevnetAccount;
  guardian: DevnetAccount;
  stop(): Promise<void>;
}

export interface DevnetL1Options {
  dataDir: string;
  /** external L1 instead of the embedded one */
  l1Rpc?: string;
  /** deploys on the external L1 (default: devnet account 0) */
  deployerKey?: Hex;
  host?: string;
  port?: number;
  logger: Logger;
}

async function hasCode(pub: PublicClient, a: Address): Promise<boolean> {
  const code = await pub.getCode({ address: a });
  return code !== undefined && code !== '0x';
}

export async function startDevnetL1(o: DevnetL1Options): Promise<DevnetL1> {
  const accounts = devnetAccounts(13);
  const [batcher, proposer, guardian] = [accounts[ROLE_INDEX.batcher], accounts[ROLE_INDEX.proposer], accounts[ROLE_INDEX.guardian]];
  let embedded: EmbeddedL1 | null = null;
  let url: string;
  if (o.l1Rpc === undefined) {
    const dir = join(o.dataDir, 'l1');
    mkdirSync(dir, { recursive: true });
    embedded = await startEmbeddedL1({ host: o.host ?? '127.0.0.1', port: o.port ?? DEVNET_L1_PORT, chainId: DEVNET_L1_CHAIN_ID, blockTimeMs: DEVNET_L1_BLOCK_MS, dataDir: dir, logger: o.logger });
    url = embedded.url;
  } else url = o.l1Rpc;
  const stop = async (): Promise<void> => void (await embedded?.stop());
  try {
    const pub = l1PublicClient(url, { timeoutMs: 10_000 });
    const record = join(o.dataDir, 'l1-deployment.json');
    let deployment: BridgeDeployment | null = null;
    if (existsSync(record)) {
      const j = JSON.parse(readFileSync(record, 'utf8')) as Record<string, string>;
      deployment = { outputOracle: j.outputOracle as Address, portal: j.portal as Address, batchInbox: j.batchInbox as Address, testToken: j.testToken as Address, l1ChainId: BigInt(j.l1ChainId), startBlock: BigInt(j.startBlock), deployer: j.deployer as Address };
      if (!(await hasCode(pub, deployment.portal))) throw new RollupError('DEVNET_L1_MISMATCH', `the devnet data dir names a portal at ${deployment.portal} that this L1 does not hold; use a fresh data dir`);
    } else {
      const fresh = devnetBridgeDeployment();
      const deployerKey = o.deployerKey ?? accounts[0].privateKey;
      const deployer = privateKeyToAccount(deployerKey);
      if (o.l1Rpc === undefined && (await hasCode(pub, fresh.portal))) deployment = fresh;
      else {
        deployment = await deployBridge({ pub, url, deployerKey, proposer: getAddress(proposer.address), guardian: getAddress(guardian.address), batcher: getAddress(batcher.address), windowSeconds: DEVNET_WINDOW_SECONDS });
        // the default devnet genesis scans from L1 block 0 on a fresh embedded L1
        if (o.l1Rpc === undefined) deployment = { ...deployment, startBlock: 0n };
        o.logger.info({ portal: deployment.portal, deployer: deployer.address }, 'bridge contracts deployed on L1');
      }
      writeFileAtomic(record, `${JSON.stringify(Object.fromEntries(Object.entries(deployment).map(([k, v]) => [k, String(v)])), null, 2)}\n`);
      // fund the role accounts for gas
      const wallet = createWalletClient({ account: deployer, transport: http(url) });
      const funding: Hex[] = [];
      let nonce = await pub.getTransactionCount({ address: deployer.address, blockTag: 'latest' });
      for (const r of [batcher, proposer, guardian]) {
        if ((await pub.getBalance({ address: getAddress(r.address) })) >= parseEther('10')) continue;
        funding.push(await wallet.sendTransaction({ account: deployer, chain: null, to: getAddress(r.address), value: parseEther('100'), nonce: nonce++ }));
      }
      for (const hash of funding) await pub.waitForTransactionReceipt({ hash, pollingInterval: 200 });
    }
    return { url, external: embedded === null, deployment, batcher, proposer, guardian, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The devnet genesis bound to this L1 (its deployment may differ from the default on an external L1). */
export function genesisForL1(g: Genesis, l1: DevnetL1): Genesis {
  return { ...g, modules: { ...g.modules, bridge: devnetBridgeParams(l1.deployment) } };
}

/** The L1 section of the devnet banner: URL, chain id, checksummed contract addresses, how to deposit. */
export function l1Banner(l1: DevnetL1, l2Rpc: string, user: DevnetAccount): string {
  const d = l1.deployment;
  return [
    'L1 (bridge)',
    '==================',
    '',
    `L1 RPC:          ${l1.url}${l1.external ? '' : ' (embedded; accounts as above, same keys)'}`,
    `L1 chain id:     ${d.l1ChainId}`,
    `Portal:          ${getAddress(d.portal)}`,
    `OutputOracle:    ${getAddress(d.outputOracle)}`,
    `BatchInbox:      ${getAddress(d.batchInbox)}`,
    `TestToken:       ${getAddress(d.testToken)}  (ERC-20, mint(to, amount) is open: test only)`,
    `Window:          ${DEVNET_WINDOW_SECONDS} s; deposits credited after 1 confirmation`,
    `Batcher, proposer, guardian: accounts ${ROLE_INDEX.batcher}, ${ROLE_INDEX.proposer}, ${ROLE_INDEX.guardian} of the mnemonic`,
    '',
    'Deposit 1 ETH to L2 (then withdraw/prove/finalize: docs/bridge.md):',
    `  cast send --rpc-url ${l1.url} --private-key ${user.privateKey} ${getAddress(d.portal)} "depositETH(address)" ${getAddress(user.address)} --value 1ether`,
    `  node node/cli/bin.js bridge deposit --l1-rpc ${l1.url} --rpc ${l2Rpc} --key-file <key file> --amount 1ether`,
    '',
  ].join('\n');
}

export interface DevnetL1Flags {
  /** commander's --no-l1 */
  l1?: boolean;
  l1Rpc?: string;
  l1DeployerKey?: string;
  l1Port?: string;
}

export function addDevnetL1Options(cmd: Command): Command {
  return cmd
    .option('--l1-rpc <url>', 'use this L1 (anvil, geth, a testnet) instead of the embedded one; contracts are deployed once, recorded in the data dir')
    .option('--l1-deployer-key <key>', 'with --l1-rpc: 0x-hex key that deploys the bridge and funds its roles (or VERITY_L1_DEPLOYER_KEY; default devnet account 0)')
    .option('--l1-port <port>', 'port of the embedded L1 (default 8545; 0 = any free port, the default when --port is 0)')
    .option('--no-l1', 'run without an L1 (no deposits, batches or output roots)');
}

export interface DevnetRollup {
  genesis: Genesis;
  nodeOptions: NodeRollupOptions;
  l1: DevnetL1;
  banner(l2Rpc: string): string;
  stop(): Promise<void>;
}

/** Starts (or connects to) the devnet's L1 as the flags say; null with --no-l1. */
export async function devnetL1FromFlags(f: DevnetL1Flags, config: NodeConfig, genesis: Genesis, logger: Logger): Promise<DevnetRollup | null> {
  if (f.l1 === false) return null;
  const key = f.l1DeployerKey ?? (process.env.VERITY_L1_DEPLOYER_KEY || undefined);
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new ConfigError('--l1-deployer-key', 'want a 0x-prefixed 32-byte hex key');
  if (f.l1Port !== undefined && (!/^\d+$/.test(f.l1Port) || Number(f.l1Port) > 65_535)) throw new ConfigError('--l1-port', 'want an integer in [0, 65535]');
  const port = f.l1Port !== undefined ? Number(f.l1Port) : config.rpcPort === 0 ? 0 : DEVNET_L1_PORT;
  const l1 = await startDevnetL1({ dataDir: config.dataDir, l1Rpc: f.l1Rpc, deployerKey: key as Hex | undefined, host: config.rpcHost, port, logger: logger.child({ component: 'l1' }) });
  const user = devnetAccounts(10)[9];
  return {
    genesis: genesisForL1(genesis, l1),
    nodeOptions: { l1Rpc: l1.url, batcherKey: l1.batcher.privateKey, proposerKey: l1.proposer.privateKey, pollMs: 500, batchIntervalMs: 2000 },
    l1,
    banner: (l2Rpc) => l1Banner(l1, l2Rpc, user),
    stop: () => l1.stop(),
  };
}
