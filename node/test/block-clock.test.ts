// The block clock: an idle node seals an empty block every genesis interval, so deadlines counted
// in blocks arrive without traffic; the chain it builds is well formed and survives a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { defaultDevnetGenesis, devnetAccounts } from '../../genesis/index.ts';
import { blockSigner, nextBaseFee, type BlockHeader } from '../../state-machine/index.ts';
import { DEFAULT_CONFIG } from '../config.ts';
import { startNode, type RunningNode } from '../verity-node.ts';

const INTERVAL_MS = 50;
const genesis = { ...defaultDevnetGenesis({ accounts: 2 }), blockIntervalMs: INTERVAL_MS };
const sequencerKey = devnetAccounts(1)[0].privateKey;
const dirs: string[] = [];
const nodes: RunningNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<RunningNode> {
  const node = await startNode({ ...DEFAULT_CONFIG, dataDir, rpcPort: 0, sequencerKey, snapshotInterval: 8 }, genesis, pino({ level: 'silent' }));
  nodes.push(node);
  return node;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('block clock', () => {
  it('an idle node seals empty blocks at the genesis interval, and restarts on the same chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verity-clock-'));
    dirs.push(dir);
    let node = await start(dir);
    const n0 = node.chain.headHeaderNow().number;
    const t0 = performance.now();
    await sleep(1_500);
    const n1 = node.chain.headHeaderNow().number;
    const elapsed = performance.now() - t0;
    const expected = elapsed / INTERVAL_MS;
    // the grid does not drift: never ahead of it, and not far behind even on a busy test machine
    expect(Number(n1 - n0)).toBeLessThanOrEqual(Math.ceil(expected) + 1);
    expect(Number(n1 - n0)).toBeGreaterThanOrEqual(Math.floor(expected * 0.6));

    let parent: BlockHeader | undefined;
    for (let n = 0n; n <= n1; n++) {
      const stored = await node.chain.log.getBlock(n);
      if (!stored) throw new Error(`block ${n} missing`);
      const h = stored.block.header;
      expect(stored.block.transactions).toHaveLength(0);
      if (parent) {
        expect(h.parentHash).toBe((await node.chain.log.getBlock(n - 1n))?.block.hash);
        expect(h.timestamp).toBeGreaterThanOrEqual(parent.timestamp);
        expect(h.baseFee).toBe(nextBaseFee(parent, genesis.baseFee));
        expect(h.baseFee < parent.baseFee || h.baseFee === genesis.baseFee.min).toBe(true);
        expect(h.stateRoot).toBe(parent.stateRoot);
        expect(blockSigner(h)).toBe(genesis.sequencer);
      }
      parent = h;
    }
    await node.stop();
    nodes.splice(0);
    const head = node.chain.log.head();
    const root = parent?.stateRoot;

    node = await start(dir);
    expect(node.chain.log.head()?.number).toBeGreaterThanOrEqual(head?.number ?? 0n);
    const atHead = await node.chain.log.getBlock(head?.number ?? 0n);
    expect(atHead?.block.hash).toBe(head?.hash);
    expect(node.chain.headState().root()).toBe(root);
    // snapshot interval 8: the restart replayed less than one interval
    expect(node.chain.metrics.replayedBlocksTotal.value).toBeLessThan(8);
    const before = node.chain.headHeaderNow().number;
    await sleep(300);
    expect(node.chain.headHeaderNow().number).toBeGreaterThan(before);
  });
});
