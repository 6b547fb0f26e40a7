// Deploys the bridge contracts (OutputOracle, Portal, BatchInbox, TestToken, in that order, from one
// account) and predicts their addresses from the deployer's starting nonce, so a devnet on a fresh
// L1 knows them before it deploys (genesis/devnet.ts).
import { createWalletClient, getAddress, getContractAddress, http, type Abi, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  batchInboxAbi,
  batchInboxBytecode,
  outputOracleAbi,
  outputOracleBytecode,
  portalAbi,
  portalBytecode,
  testTokenAbi,
  testTokenBytecode,
} from '../../bridge/artifacts.ts';
import { bridgeParams, type BridgeParams } from '../../state-machine/modules/bridge/params.ts';
import { RollupError } from './errors.ts';

export interface BridgeAddresses {
  outputOracle: Address;
  portal: Address;
  batchInbox: Address;
  testToken: Address;
}

export interface BridgeDeployment extends BridgeAddresses {
  l1ChainId: bigint;
  /** L1 block of the first deployment (the watcher and derivation start here) */
  startBlock: bigint;
  deployer: Address;
}

/** Addresses of a deployment by `deployer` starting at `nonce` (checksummed). */
export function predictBridgeAddresses(deployer: Address, nonce = 0n): BridgeAddresses {
  const at = (k: bigint): Address => getAddress(getContractAddress({ from: deployer, nonce: nonce + k }));
  return { outputOracle: at(0n), portal: at(1n), batchInbox: at(2n), testToken: at(3n) };
}

export interface DeployOptions {
  pub: PublicClient;
  url: string;
  deployerKey: Hex;
  proposer: Address;
  guardian: Address;
  batcher: Address;
  windowSeconds: bigint;
}

export async function deployBridge(o: DeployOptions): Promise<BridgeDeployment> {
  const account = privateKeyToAccount(o.deployerKey);
  const wallet = createWalletClient({ account, transport: http(o.url, { timeout: 10_000 }) });
  const nonce = BigInt(await o.pub.getTransactionCount({ address: account.address, blockTag: 'pending' }));
  const expect = predictBridgeAddresses(account.address, nonce);
  // all four sent at once with consecutive nonces (one L1 block on an interval-mining L1), then checked
  const sends: [Abi, Hex, readonly unknown[], Address][] = [
    [outputOracleAbi, outputOracleBytecode, [o.proposer, o.guardian, o.windowSeconds], expect.outputOracle],
    [portalAbi, portalBytecode, [expect.outputOracle], expect.portal],
    [batchInboxAbi, batchInboxBytecode, [o.batcher], expect.batchInbox],
    [testTokenAbi, testTokenBytecode, ['Verity Test Token', 'VTT'], expect.testToken],
  ];
  const hashes: Hex[] = [];
  for (const [i, [abi, bytecode, args]] of sends.entries()) {
    hashes.push(await wallet.deployContract({ account, chain: null, abi, bytecode, args, nonce: Number(nonce) + i }));
  }
  let startBlock: bigint | null = null;
  for (const [i, hash] of hashes.entries()) {
    const want = sends[i][3];
    const r = await o.pub.waitForTransactionReceipt({ hash, timeout: 60_000, pollingInterval: 200 });
    if (r.status !== 'success' || r.contractAddress == null || getAddress(r.contractAddress) !== want) {
      throw new RollupError('ROLLUP_DEPLOY', `deployment at ${want} failed (tx ${hash})`);
    }
    startBlock ??= r.blockNumber;
  }
  return { ...expect, l1ChainId: BigInt(await o.pub.getChainId()), startBlock: startBlock ?? 0n, deployer: account.address };
}

/** The genesis bridge parameters for a deployment (addresses lowercase, as the genesis keeps them). */
export function bridgeParamsFor(d: BridgeDeployment, o: { confirmations: bigint; windowSeconds: bigint; outputIntervalBlocks: bigint; maxSequencerDriftSeconds?: bigint }): BridgeParams {
  return {
    ...bridgeParams.defaults(),
    l1ChainId: d.l1ChainId,
    portal: d.portal.toLowerCase() as Address,
    outputOracle: d.outputOracle.toLowerCase() as Address,
    batchInbox: d.batchInbox.toLowerCase() as Address,
    l1StartBlock: d.startBlock,
    confirmations: o.confirmations,
    outputIntervalBlocks: o.outputIntervalBlocks,
    finalizationWindowSeconds: o.windowSeconds,
    ...(o.maxSequencerDriftSeconds === undefined ? {} : { maxSequencerDriftSeconds: o.maxSequencerDriftSeconds }),
  };
}
