// The default devnet genesis. DEVNET ONLY: its keys come from the public test mnemonic that anvil and
// hardhat also use; anyone can spend from them. Never fund these addresses on a real network.
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { bytesToHex } from '../state-machine/crypto/hash.ts';
import { privateKeyToAddress } from '../state-machine/tx/recover.ts';
import { DEFAULT_FEE_VAULT } from '../state-machine/modules/addresses.ts';
import type { Address } from '../state-machine/types.ts';
import type { Hex } from '../state-machine/crypto/hash.ts';
import { slashingParams } from '../state-machine/modules/slashing/params.ts';
import { stakeParams } from '../state-machine/modules/stake/params.ts';
import { taskParams } from '../state-machine/modules/task/params.ts';
import { verdeParams } from '../state-machine/modules/verde/params.ts';
import { getContractAddress } from 'viem';
import { bridgeParams, type BridgeParams } from '../state-machine/modules/bridge/params.ts';
import type { Genesis } from './schema.ts';

/** Public test mnemonic (anvil/hardhat default). Devnet only. */
export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk';
/** Chosen not to collide with anvil/hardhat (31337), which benchmarks run beside us. */
export const DEVNET_CHAIN_ID = 271828n;
export const DEVNET_NOTE =
  'DEVNET ONLY: accounts are derived from the public test mnemonic "test test ... junk"; anyone can spend them.';
export const FEE_VAULT_ADDRESS: Address = DEFAULT_FEE_VAULT;
const ETHER = 10n ** 18n;
/** Stake bonded at genesis for each of devnet accounts 1-9. */
export const GENESIS_BOND = 100n * ETHER;

export interface DevnetAccount {
  /** always 'devnet-only': these keys are public */
  label: 'devnet-only';
  index: number;
  address: Address;
  privateKey: Hex;
}

let seed: Uint8Array | null = null;

/** The first n accounts of the test mnemonic at m/44'/60'/0'/0/i (the same as anvil's). Devnet only. */
export function devnetAccounts(n = 10): DevnetAccount[] {
  if (!Number.isSafeInteger(n) || n < 0 || n > 1000) throw new RangeError('n must be in 0..1000');
  seed ??= mnemonicToSeedSync(DEVNET_MNEMONIC);
  const base = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
  const out: DevnetAccount[] = [];
  for (let i = 0; i < n; i++) {
    const key = base.deriveChild(i).privateKey;
    if (!key) throw new Error(`no private key at index ${i}`);
    out.push({ label: 'devnet-only', index: i, address: privateKeyToAddress(key), privateKey: bytesToHex(key) });
  }
  return out;
}

/** The devnet's L1: the embedded L1 (anvil's chain id, so a fresh anvil fits too). */
export const DEVNET_L1_CHAIN_ID = 31337n;
/** The devnet's withdrawal finalization window: short, so a withdrawal finalizes while you watch. */
export const DEVNET_WINDOW_SECONDS = 30n;

/**
 * The devnet's bridge: OutputOracle, Portal, BatchInbox (and TestToken) deployed in that order by
 * devnet account 0 from nonce 0 on a fresh L1, so their addresses are known before deployment.
 */
export function devnetBridgeParams(): BridgeParams {
  const deployer = devnetAccounts(1)[0].address;
  const at = (nonce: bigint): Address => getContractAddress({ from: deployer, nonce }).toLowerCase() as Address;
  return {
    ...bridgeParams.defaults(),
    l1ChainId: DEVNET_L1_CHAIN_ID,
    outputOracle: at(0n),
    portal: at(1n),
    batchInbox: at(2n),
    l1StartBlock: 0n,
    confirmations: 1n,
    outputIntervalBlocks: 20n,
    finalizationWindowSeconds: DEVNET_WINDOW_SECONDS,
  };
}

/** Devnet genesis: 10 test accounts with 10000 ETH each, account 0 as sequencer, 1-9 staked. Devnet only. */
export function defaultDevnetGenesis(opts: { timestamp?: bigint; accounts?: number } = {}): Genesis {
  const accounts = devnetAccounts(opts.accounts ?? 10);
  const alloc: Record<Address, bigint> = {};
  for (const a of accounts) alloc[a.address] = 10_000n * ETHER;
  return {
    note: DEVNET_NOTE,
    chainId: DEVNET_CHAIN_ID,
    timestamp: opts.timestamp ?? 0n,
    // 60 M per 250 ms block: the EIP-1559 target (30 M, 1,428 transfers, ≈5,700 transfers/s) is the old
    // 30 M cap, so the base fee climbs only when load stays above that rate; 2× headroom for bursts.
    gasLimit: 60_000_000n,
    baseFee: { initial: 1_000_000_000n, elasticityMultiplier: 2n, changeDenominator: 8n, min: 1_000_000n },
    blockIntervalMs: 250,
    sequencer: accounts[0].address,
    modules: {
      accounts: { feeVault: FEE_VAULT_ADDRESS },
      // accounts 1-9 start staked so that workers (solver 1, verifiers 2-3, extras 4-9) can join at once
      stake: { ...stakeParams.defaults(), bonds: Object.fromEntries(accounts.slice(1).map((a) => [a.address, GENESIS_BOND])) },
      slashing: slashingParams.defaults(),
      task: taskParams.defaults(),
      verde: verdeParams.defaults(),
      bridge: devnetBridgeParams(),
    },
    alloc,
  };
}
