// Block execution throughput of the state machine, single core: buildBlock (sequencer) and
// applyBlock (follower, senders known) over blocks of value transfers and stake bonds.
// Run: npx tsx bench/execute.ts
import { encodeFunctionData } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { defaultDevnetGenesis, devnetAccounts } from '../genesis/index.ts';
import { hexToBytes } from '../state-machine/crypto/hash.ts';
import {
  ChainState,
  MODULE_ADDRESSES,
  applyBlock,
  buildBlock,
  decodeTransaction,
  genesisBlock,
  recoverSenders,
  stakeAbi,
  type Address,
  type Block,
  type SignedTx,
} from '../state-machine/index.ts';

const PER_BLOCK = 400;
const BLOCKS = 8;

async function workload(kind: 'transfer' | 'bond'): Promise<SignedTx[]> {
  const g = defaultDevnetGenesis();
  const senders = devnetAccounts(10).slice(1).map((a) => privateKeyToAccount(a.privateKey));
  const bond = encodeFunctionData({ abi: stakeAbi, functionName: 'bond' });
  const out: SignedTx[] = [];
  for (let i = 0; i < PER_BLOCK * BLOCKS; i++) {
    const s = senders[i % senders.length];
    const nonce = Math.floor(i / senders.length);
    const to: Address = kind === 'transfer' ? (`0x${(0x100000 + i).toString(16).padStart(40, '0')}` as Address) : MODULE_ADDRESSES.stake;
    const raw = await s.signTransaction({
      type: 'eip1559', chainId: Number(g.chainId), nonce, to, value: kind === 'transfer' ? 1n : 10n ** 18n,
      data: kind === 'transfer' ? '0x' : bond, gas: kind === 'transfer' ? 21_000n : 70_000n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n,
    });
    out.push(decodeTransaction(hexToBytes(raw), g.chainId));
  }
  return out;
}

/** Best of `runs` wall times of f(), seconds (the machine is shared and noisy). */
function best(runs: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return min;
}

async function measure(kind: 'transfer' | 'bond'): Promise<void> {
  const g = defaultDevnetGenesis();
  const txs = await workload(kind);
  const key = hexToBytes(devnetAccounts(1)[0].privateKey);
  let blocks: Block[] = [];
  const build = best(3, () => {
    const state = ChainState.fromGenesis(g);
    blocks = [genesisBlock(g, state)];
    for (let b = 0; b < BLOCKS; b++) {
      const parent = blocks[blocks.length - 1].header;
      const r = buildBlock(state, parent, txs.slice(b * PER_BLOCK, (b + 1) * PER_BLOCK), { timestamp: parent.timestamp + 1n, sequencerKey: key });
      if (r.included.length !== PER_BLOCK) throw new Error(`only ${r.included.length} included: ${r.skipped[0]?.reason}`);
      blocks.push(r.block);
    }
  });
  const senders = blocks.map((b) => recoverSenders(b.transactions, g.chainId) as Address[]);
  const apply = best(3, () => {
    const follower = ChainState.fromGenesis(g);
    for (let b = 1; b < blocks.length; b++) applyBlock(follower, blocks[b - 1].header, blocks[b], senders[b]);
  });
  const n = PER_BLOCK * BLOCKS;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(7);
  console.log(`${kind.padEnd(9)} buildBlock ${fmt(n / build)} tx/s   applyBlock (senders known) ${fmt(n / apply)} tx/s   (${BLOCKS} blocks × ${PER_BLOCK}, best of 3)`);
}

console.log(`node ${process.version}`);
await measure('transfer');
await measure('bond');
