import { encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, SEQUENCER_KEY, TestChain, prng, signTx, testGenesis } from '../test/chain-harness.ts';
import { hexToBytes } from '../crypto/hash.ts';
import {
  ChainState,
  MODULE_ADDRESSES,
  accountsAbi,
  applyBlock,
  buildBlock,
  genesisBlock,
  recoverSenders,
  stakeAbi,
  type Address,
  type Block,
  type SignedTx,
} from '../index.ts';

const TX_COUNT = 3000;
const PER_BLOCK = 100;
const ETH = 10n ** 18n;

/** A reproducible mix of transfers, stake calls, views and deliberately invalid transactions. */
async function workload(seed: number): Promise<SignedTx[][]> {
  const g = testGenesis();
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const senders = ACCOUNTS.slice(1);
  const nonces = new Map<string, number>(senders.map((a) => [a.address, 0]));
  const strangers: Address[] = Array.from({ length: 20 }, (_, i) => `0x${(0xabc000 + i).toString(16).padStart(40, '0')}` as Address);
  const blocks: SignedTx[][] = [];
  let batch: SignedTx[] = [];
  for (let i = 0; i < TX_COUNT; i++) {
    const from = pick(senders);
    const n = nonces.get(from.address) ?? 0;
    const roll = rand();
    let nonce = n;
    let to: Address = pick([...senders.map((a) => a.address), ...strangers]);
    let value = BigInt(Math.floor(rand() * 1e6)) * 10n ** 9n;
    let data: Hex = '0x';
    let gas = 30_000n;
    let maxFeePerGas = 2_000_000_000n;
    if (roll < 0.3) {
      // transfer, as drawn
    } else if (roll < 0.45) {
      to = MODULE_ADDRESSES.stake;
      value = ETH + BigInt(Math.floor(rand() * 5)) * ETH;
      data = encodeFunctionData({ abi: stakeAbi, functionName: 'bond' });
      gas = 80_000n;
    } else if (roll < 0.6) {
      to = MODULE_ADDRESSES.stake;
      value = 0n;
      data = encodeFunctionData({ abi: stakeAbi, functionName: 'beginUnbond', args: [BigInt(Math.floor(rand() * 3)) * ETH] });
      gas = 90_000n;
    } else if (roll < 0.7) {
      to = MODULE_ADDRESSES.stake;
      value = 0n;
      data = encodeFunctionData({ abi: stakeAbi, functionName: 'withdraw' });
      gas = 60_000n;
    } else if (roll < 0.75) {
      to = MODULE_ADDRESSES.accounts;
      value = 0n;
      data = encodeFunctionData({ abi: accountsAbi, functionName: 'balanceOf', args: [from.address] });
    } else if (roll < 0.8) {
      to = MODULE_ADDRESSES.stake;
      data = '0x12345678'; // unknown selector: reverts, pays gas
    } else if (roll < 0.85) {
      nonce = n + 1 + Math.floor(rand() * 3); // gap: skipped
    } else if (roll < 0.88) {
      nonce = Math.max(0, n - 1); // replay or still valid at 0
    } else if (roll < 0.92) {
      maxFeePerGas = 1n; // below base fee
    } else if (roll < 0.95) {
      value = 10n ** 30n; // more than anyone has
    } else {
      gas = 25_000n; // out of gas for module calls, fine for transfers
      to = pick([MODULE_ADDRESSES.stake, from.address]);
      data = encodeFunctionData({ abi: stakeAbi, functionName: 'bond' });
      value = ETH;
    }
    const tx = await signTx(g, from, { to, nonce, value, data, gas, maxFeePerGas, maxPriorityFeePerGas: maxFeePerGas > 1n ? 1_000n : 1n, legacy: rand() < 0.2 });
    // The generator assumes a tx at the right nonce with a sane fee and value is included.
    if (nonce === n && maxFeePerGas > 1n && value < 10n ** 30n) nonces.set(from.address, n + 1);
    batch.push(tx);
    if (batch.length === PER_BLOCK) {
      blocks.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) blocks.push(batch);
  return blocks;
}

function run(candidates: SignedTx[][]): { chain: TestChain; skipped: number; failed: number } {
  const chain = new TestChain();
  let skipped = 0;
  let failed = 0;
  for (const txs of candidates) {
    const r = chain.build(txs);
    skipped += r.skipped.length;
    failed += r.receipts.filter((x) => x.status === 0).length;
  }
  return { chain, skipped, failed };
}

describe('determinism', () => {
  it(`${TX_COUNT} random transactions give identical blocks twice, and replay and snapshots reproduce the roots`, async () => {
    const candidates = await workload(20261122);
    const a = run(candidates);
    const b = run(candidates);
    expect(a.chain.blocks.map((x) => x.hash)).toEqual(b.chain.blocks.map((x) => x.hash));
    expect(a.chain.state.root()).toBe(b.chain.state.root());
    // the workload exercised every path
    expect(a.skipped).toBeGreaterThan(200);
    expect(a.failed).toBeGreaterThan(200);
    const included = a.chain.blocks.reduce((s, x) => s + x.transactions.length, 0);
    expect(included).toBeGreaterThan(1500);
    expect(a.chain.state.getBalance(MODULE_ADDRESSES.stake)).toBeGreaterThan(0n);

    // A follower re-applies the blocks (with senders recovered up front) and reaches the same roots.
    const g = testGenesis();
    const follower = ChainState.fromGenesis(g);
    follower.assertSupply = true;
    const blocks: Block[] = a.chain.blocks;
    for (let i = 1; i < blocks.length; i++) {
      const senders = recoverSenders(blocks[i].transactions, g.chainId);
      expect(senders.every((s) => s !== null)).toBe(true);
      applyBlock(follower, blocks[i - 1].header, blocks[i], senders as Address[]);
      expect(follower.root()).toBe(blocks[i].header.stateRoot);
    }
    expect(a.chain.replay().root()).toBe(a.chain.state.root());

    // snapshot → fromSnapshot gives the same root, and the restored state keeps building identically
    const restored = ChainState.fromSnapshot(a.chain.state.snapshot(), g);
    expect(restored.root()).toBe(a.chain.state.root());
    const head = a.chain.head;
    const extra = [await signTx(g, ACCOUNTS[3], { to: ACCOUNTS[4].address, nonce: Number(a.chain.state.getNonce(ACCOUNTS[3].address)), value: 1n })];
    const env = { timestamp: head.timestamp + 1n, sequencerKey: SEQUENCER_KEY };
    const x = buildBlock(restored, head, extra, env);
    const y = buildBlock(a.chain.state, head, extra, env);
    expect(x.block.hash).toBe(y.block.hash);
    expect(x.receipts[0].status).toBe(1);
  });

  it('genesis block and state root depend only on the genesis', () => {
    const g = testGenesis();
    const s1 = ChainState.fromGenesis(g);
    const s2 = ChainState.fromGenesis(g);
    expect(genesisBlock(g, s1).hash).toBe(genesisBlock(g, s2).hash);
    const other = ChainState.fromGenesis({ ...g, alloc: { ...g.alloc, [ACCOUNTS[0].address]: 1n } });
    expect(other.root()).not.toBe(s1.root());
    expect(hexToBytes(s1.root())).toHaveLength(32);
  });
});
