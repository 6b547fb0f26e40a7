// bench:bridge: the rollup's figures on the embedded L1 (1 s blocks, as the devnet), all in one process.
// 1. deposit latency: L1 inclusion (the deposit's receipt) → the recipient's L2 balance shows it
//    (1 confirmation, watcher polling every 500 ms as on the devnet), median and max of N deposits;
// 2. batcher calldata per L2 transaction: raw signed tx bytes vs the batch payload (msgpack of whole
//    blocks, headers included) vs the brotli frame posted as calldata, under a transfer load;
// 3. derivation speed: a second node rebuilds the chain from L1 alone; blocks/s and txs/s against the
//    sequencer's live rate (4 blocks/s).
// Usage: npm run bench:bridge [-- --deposits 10 --txs 3000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPublicClient, encodeFunctionData, http, type Address } from 'viem';
import { portalAbi } from '../bridge/artifacts.ts';
import { defaultDevnetGenesis, devnetAccounts } from '../genesis/index.ts';
import { createLogger } from '../infra/logger.ts';
import { bytesToHex, hexToBytes } from '../state-machine/crypto/hash.ts';
import { loadConfig } from '../node/config.ts';
import { rpcBatch } from '../node/devnet/rpc-batch.ts';
import { signTx } from '../node/devnet/sign-tx.ts';
import { bridgeParamsFor } from '../node/rollup/deploy.ts';
import { L1_KEYS, deployOn, l1Send, startEmbedded } from '../node/rollup/test/l1-harness.ts';
import { startNode } from '../node/verity-node.ts';

const { values } = parseArgs({ options: { deposits: { type: 'string', default: '10' }, txs: { type: 'string', default: '3000' } } });
const N_DEPOSITS = Number(values.deposits);
const N_TXS = Number(values.txs);
const logger = createLogger('bench', 'warn');
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'verity-bench-bridge-'));
  dirs.push(d);
  return d;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const l1 = await startEmbedded(1000);
const dep = await deployOn(l1, 60n);
const genesis = defaultDevnetGenesis();
genesis.modules.bridge = bridgeParamsFor(dep, { confirmations: 1n, windowSeconds: 60n, outputIntervalBlocks: 20n });
const accounts = devnetAccounts(10);
const config = loadConfig({ flags: { dataDir: tmp(), rpcPort: 0, sequencerKey: accounts[0].privateKey } });
const node = await startNode(config, genesis, logger, undefined, { l1Rpc: l1.url, batcherKey: L1_KEYS[4], proposerKey: L1_KEYS[2], pollMs: 500, batchIntervalMs: 2000 });
const l2 = createPublicClient({ transport: http(node.url) });

// 1. deposit latency
const latencies: number[] = [];
for (let i = 0; i < N_DEPOSITS; i++) {
  const to = `0x${(0xd0000 + i).toString(16).padStart(40, '0')}` as Address;
  await l1Send(l1, 1, dep.portal, encodeFunctionData({ abi: portalAbi, functionName: 'depositETH', args: [to] }), 1000n + BigInt(i));
  const t0 = performance.now(); // the receipt is seen: the deposit is in an L1 block
  while ((await l2.getBalance({ address: to })) === 0n) await new Promise((res) => setTimeout(res, 10));
  latencies.push(performance.now() - t0);
}

// 2. batcher bytes under a transfer load
const senders = accounts.slice(1);
const perSender = Math.ceil(N_TXS / senders.length);
const raws: string[] = [];
for (let nonce = 0; nonce < perSender; nonce++) {
  for (const s of senders) {
    if (raws.length >= N_TXS) break;
    raws.push(bytesToHex(signTx({ chainId: genesis.chainId, nonce: BigInt(nonce), to: accounts[0].address, value: 1n, gasLimit: 21_000n, maxFeePerGas: 50n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n }, hexToBytes(s.privateKey))));
  }
}
const batcher = node.rollup?.service?.batcher;
if (!batcher) throw new Error('no batcher');
const statsBefore = { ...batcher.stats };
for (let i = 0; i < raws.length; i += 200) await rpcBatch(node.url, raws.slice(i, i + 200).map((r) => ['eth_sendRawTransaction', [r]] as const));
const loadedHead = await (async () => {
  for (;;) {
    const n = node.chain.headHeaderNow().number;
    const pending = node.chain.pool.counts((a) => node.chain.headState().getNonce(a)).pending;
    if (pending === 0) return n;
    await new Promise((res) => setTimeout(res, 200));
  }
})();
while (batcher.posted() < loadedHead) await new Promise((res) => setTimeout(res, 200));
const s = {
  batches: batcher.stats.batches - statsBefore.batches,
  blocks: batcher.stats.blocks - statsBefore.blocks,
  txs: batcher.stats.txs - statsBefore.txs,
  rawTxBytes: batcher.stats.rawTxBytes - statsBefore.rawTxBytes,
  payloadBytes: batcher.stats.payloadBytes - statsBefore.payloadBytes,
  frameBytes: batcher.stats.frameBytes - statsBefore.frameBytes,
};

// 3. derivation speed
const target = batcher.posted();
const follower = await startNode(loadConfig({ flags: { dataDir: tmp(), rpcPort: 0 } }), genesis, logger, undefined, { l1Rpc: l1.url, batcherKey: null, proposerKey: null, deriveFromL1: true, pollMs: 50 });
const t0 = performance.now();
while (follower.chain.headHeaderNow().number < target) await new Promise((res) => setTimeout(res, 20));
const deriveSec = (performance.now() - t0) / 1000;
let derivedTxs = 0;
for (let n = 1n; n <= target; n++) derivedTxs += (await follower.chain.log.getBlock(n))?.block.transactions.length ?? 0;
const failed = follower.rollup?.derivation?.failed ?? null;
await follower.stop();
await node.stop();
l1.stop();
for (const d of dirs) rmSync(d, { recursive: true, force: true });

const f1 = (x: number): string => x.toFixed(1);
console.log(
  JSON.stringify(
    {
      depositLatencyMs: { n: latencies.length, median: Math.round(median(latencies)), max: Math.round(Math.max(...latencies)) },
      batcher: {
        ...s,
        perTx: { rawTx: f1(s.rawTxBytes / s.txs), payload: f1(s.payloadBytes / s.txs), calldataFrame: f1(s.frameBytes / s.txs) },
        compressionVsPayload: f1(s.payloadBytes / s.frameBytes),
        frameVsRawTxs: (s.frameBytes / s.rawTxBytes).toFixed(3),
      },
      derivation: { blocks: Number(target), txs: derivedTxs, seconds: f1(deriveSec), blocksPerSec: f1(Number(target) / deriveSec), txsPerSec: f1(derivedTxs / deriveSec), liveBlocksPerSec: 1000 / genesis.blockIntervalMs, failed: failed?.message ?? null },
    },
    null,
    2,
  ),
);
process.exit(0);
