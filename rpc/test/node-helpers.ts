// Starts a real node in this process on 127.0.0.1:0 with its data in a temp dir; stop() removes it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDevnetGenesis, devnetAccounts } from '../../genesis/devnet.ts';
import type { Genesis } from '../../genesis/index.ts';
import { DEFAULT_CONFIG } from '../../node/config.ts';
import { createLogger } from '../../infra/logger.ts';
import { startNode, type RunningNode } from '../../node/verity-node.ts';

/** Devnet-only keys of the public test mnemonic; key 0 is the devnet sequencer. */
export const devnetKeys = devnetAccounts(3);

/** The devnet genesis with three funded accounts and the given block interval. */
export function testGenesis(blockIntervalMs: number): Genesis {
  return { ...defaultDevnetGenesis({ accounts: 3 }), blockIntervalMs };
}

export async function startTempNode(genesis: Genesis): Promise<RunningNode> {
  const dir = await mkdtemp(join(tmpdir(), 'verity-rpc-test-'));
  const node = await startNode(
    { ...DEFAULT_CONFIG, dataDir: dir, rpcPort: 0, sequencerKey: devnetKeys[0].privateKey, logLevel: 'silent' },
    genesis,
    createLogger('verity', 'silent'),
  );
  return {
    ...node,
    stop: async () => {
      await node.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
