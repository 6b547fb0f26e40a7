// Test harness: a devnet chain driven through the public API, with viem-signed transactions.
import { privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import { defaultDevnetGenesis, devnetAccounts, type DevnetAccount, type Genesis } from '../../genesis/index.ts';
import { hexToBytes } from '../crypto/hash.ts';
import {
  ChainState,
  applyBlock,
  buildBlock,
  decodeTransaction,
  genesisBlock,
  type Address,
  type Block,
  type BlockHeader,
  type BuildResult,
  type SignedTx,
} from '../index.ts';

export const ACCOUNTS: DevnetAccount[] = devnetAccounts(10);
export const SEQUENCER_KEY = hexToBytes(ACCOUNTS[0].privateKey);

export function testGenesis(overrides: Partial<Genesis> = {}): Genesis {
  const g = defaultDevnetGenesis({ timestamp: 1_700_000_000n });
  return { ...g, modules: { ...g.modules, stake: { ...g.modules.stake, unbondingPeriodBlocks: 3n, minBond: 10n ** 18n, bonds: {} } }, ...overrides };
}

export interface TxFields {
  to: Address;
  nonce: number;
  value?: bigint;
  data?: Hex;
  gas?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  legacy?: boolean;
}

const signers = new Map<Hex, ReturnType<typeof privateKeyToAccount>>();

/** A transaction signed by viem and decoded by the chain. */
export async function signTx(g: Genesis, from: DevnetAccount, f: TxFields): Promise<SignedTx> {
  let account = signers.get(from.privateKey);
  if (!account) {
    account = privateKeyToAccount(from.privateKey);
    signers.set(from.privateKey, account);
  }
  const common = { chainId: Number(g.chainId), nonce: f.nonce, to: f.to, value: f.value ?? 0n, data: f.data ?? '0x', gas: f.gas ?? 100_000n };
  const raw = f.legacy
    ? await account.signTransaction({ ...common, type: 'legacy', gasPrice: f.maxFeePerGas ?? 2_000_000_000n })
    : await account.signTransaction({
        ...common,
        type: 'eip1559',
        maxFeePerGas: f.maxFeePerGas ?? 2_000_000_000n,
        maxPriorityFeePerGas: f.maxPriorityFeePerGas ?? 1_000n,
      });
  return decodeTransaction(hexToBytes(raw), g.chainId);
}

/** A chain of blocks built on one state; timestamps advance by one second per block. */
export class TestChain {
  readonly genesis: Genesis;
  readonly state: ChainState;
  readonly blocks: Block[];

  constructor(genesis: Genesis = testGenesis()) {
    this.genesis = genesis;
    this.state = ChainState.fromGenesis(genesis);
    this.state.assertSupply = true;
    this.blocks = [genesisBlock(genesis, this.state)];
  }

  get head(): BlockHeader {
    return this.blocks[this.blocks.length - 1].header;
  }

  build(txs: readonly SignedTx[], l1Origin?: { number: bigint; hash: Hex }): BuildResult {
    const r = buildBlock(this.state, this.head, txs, { timestamp: this.head.timestamp + 1n, sequencerKey: SEQUENCER_KEY, l1Origin });
    this.blocks.push(r.block);
    return r;
  }

  /** Replays every block after genesis into a fresh state with applyBlock. */
  replay(): ChainState {
    const s = ChainState.fromGenesis(this.genesis);
    s.assertSupply = true;
    for (let i = 1; i < this.blocks.length; i++) applyBlock(s, this.blocks[i - 1].header, this.blocks[i]);
    return s;
  }
}

/** Small seeded PRNG (mulberry32) so random workloads are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
