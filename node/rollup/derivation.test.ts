// Derivation against an output root that disagrees with the batches: the proposer's key posts a wrong
// root for a batched block; a node deriving from L1 imports the blocks, then stops with the typed
// DERIVE_OUTPUT_MISMATCH error instead of following.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFunctionData } from 'viem';
import { afterAll, expect, it } from 'vitest';
import { outputOracleAbi } from '../../bridge/artifacts.ts';
import { defaultDevnetGenesis, devnetAccounts } from '../../genesis/index.ts';
import { createLogger } from '../../infra/logger.ts';
import { loadConfig } from '../config.ts';
import { startNode, type RunningNode } from '../verity-node.ts';
import { bridgeParamsFor } from './deploy.ts';
import type { DerivationError } from './errors.ts';
import { L1_KEYS, deployOn, l1Send, startEmbedded, type TestL1 } from './test/l1-harness.ts';

const logger = createLogger('test', 'silent');
const dirs: string[] = [];
const nodes: RunningNode[] = [];
let l1: TestL1 | null = null;
afterAll(async () => {
  for (const n of nodes) await n.stop();
  l1?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'verity-derive-'));
  dirs.push(d);
  return d;
};

async function until(what: string, f: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('stops with DERIVE_OUTPUT_MISMATCH on an output root that its derived block does not give', async () => {
  const L1 = (l1 = await startEmbedded(300));
  const dep = await deployOn(L1, 3600n);
  const genesis = defaultDevnetGenesis();
  genesis.modules.bridge = bridgeParamsFor(dep, { confirmations: 1n, windowSeconds: 3600n, outputIntervalBlocks: 4n });
  // a sequencer with a batcher and no proposer: the only root on L1 is the wrong one below
  const seq = await startNode(loadConfig({ flags: { dataDir: tmp(), rpcPort: 0, sequencerKey: devnetAccounts(1)[0].privateKey } }), genesis, logger, undefined, {
    l1Rpc: L1.url,
    batcherKey: L1_KEYS[4],
    proposerKey: null,
    pollMs: 200,
    batchIntervalMs: 300,
  });
  nodes.push(seq);
  await until('batched blocks', () => (seq.rollup?.service?.batcher?.posted() ?? 0n) >= 6n);
  await l1Send(L1, 2, dep.outputOracle, encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [4n, `0x${'11'.repeat(32)}`] }));
  let failure: Error | null = null;
  const follower = await startNode(loadConfig({ flags: { dataDir: tmp(), rpcPort: 0 } }), genesis, logger, undefined, {
    l1Rpc: L1.url,
    batcherKey: null,
    proposerKey: null,
    deriveFromL1: true,
    pollMs: 100,
    onDerivationFailure: (e) => void (failure = e),
  });
  nodes.push(follower);
  await until('derivation to fail', () => failure !== null);
  const e = follower.rollup?.derivation?.failed as DerivationError;
  expect(e.code).toBe('DERIVE_OUTPUT_MISMATCH');
  expect(e.data?.block).toBe('4');
  // the blocks themselves were derived (same hashes as the sequencer's) before the root was checked
  expect(follower.chain.headHeaderNow().number).toBeGreaterThanOrEqual(4n);
  expect((await follower.chain.log.getBlock(4n))?.block.hash).toBe((await seq.chain.log.getBlock(4n))?.block.hash);
}, 60_000);
