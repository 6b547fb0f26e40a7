// The rollup service beside a sequencer: the L1 watcher (feeding the sequencer its L1 origin and
// deposits), and, when their keys are given, the batcher and the proposer. Started by startNode when
// the genesis names a portal and an L1 RPC is configured.
import { join } from 'node:path';
import type { Hex, PublicClient } from 'viem';
import type { Genesis } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { bridgeEnabled } from '../../state-machine/modules/bridge/params.ts';
import type { Chain } from '../chain/chain.ts';
import { ConfigError } from '../errors.ts';
import { Batcher } from './batcher.ts';
import { L1Sender, l1PublicClient } from './l1.ts';
import { Proposer } from './proposer.ts';
import { DepositWatcher } from './watcher.ts';

export interface RollupOptions {
  /** L1 JSON-RPC URL */
  l1Rpc: string;
  /** L1 key of the BatchInbox's batcher (null: no batcher in this process) */
  batcherKey: Hex | null;
  /** L1 key of the OutputOracle's proposer (null: no proposer in this process) */
  proposerKey: Hex | null;
  /** L1 poll interval, ms (default 1000) */
  pollMs?: number;
  /** the batcher posts at least this often while blocks wait, ms (default 2000) */
  batchIntervalMs?: number;
  maxBlocksPerBatch?: number;
}

export interface RollupService {
  pub: PublicClient;
  watcher: DepositWatcher;
  batcher: Batcher | null;
  proposer: Proposer | null;
  stop(): Promise<void>;
}

/** Refuses an L1 whose chain id is not the genesis' (a devnet genesis pointed at another L1). */
export async function checkL1ChainId(pub: PublicClient, genesis: Genesis): Promise<void> {
  const id = BigInt(await pub.getChainId());
  if (id !== genesis.modules.bridge.l1ChainId) throw new ConfigError('--l1-rpc', `L1 chain id is ${id}, the genesis wants ${genesis.modules.bridge.l1ChainId}`);
}

export async function startRollup(chain: Chain, genesis: Genesis, dataDir: string, o: RollupOptions, logger: Logger): Promise<RollupService> {
  const p = genesis.modules.bridge;
  if (!bridgeEnabled(p)) throw new ConfigError('genesis.modules.bridge.portal', 'the genesis has no portal: nothing to run against L1');
  const pub = l1PublicClient(o.l1Rpc);
  await checkL1ChainId(pub, genesis);
  const pollMs = o.pollMs ?? 1000;
  const watcher = await DepositWatcher.open({
    pub,
    portal: p.portal,
    startBlock: p.l1StartBlock,
    confirmations: p.confirmations,
    dbDir: join(dataDir, 'rollup', 'watcher'),
    logger: logger.child({ component: 'l1-watcher' }),
    pollMs,
  });
  chain.setL1Feed(watcher);
  watcher.start();
  let batcher: Batcher | null = null;
  let proposer: Proposer | null = null;
  try {
    // without a batcher key the batcher only tracks what another batcher put on L1 (the proposer's bound)
    if (o.batcherKey !== null || o.proposerKey !== null) {
      batcher = await Batcher.open({
        chain,
        pub,
        sender: o.batcherKey === null ? null : new L1Sender(pub, o.l1Rpc, o.batcherKey),
        inbox: p.batchInbox,
        startBlock: p.l1StartBlock,
        dbDir: join(dataDir, 'rollup', 'batcher'),
        logger: logger.child({ component: 'batcher' }),
        intervalMs: o.batchIntervalMs,
        maxBlocks: o.maxBlocksPerBatch,
      });
      batcher.start();
    }
    if (o.proposerKey !== null) {
      const b = batcher;
      if (b === null) throw new ConfigError('proposer', 'no batch tracker');
      proposer = new Proposer({
        chain,
        pub,
        sender: new L1Sender(pub, o.l1Rpc, o.proposerKey),
        oracle: p.outputOracle,
        intervalBlocks: p.outputIntervalBlocks,
        // only blocks already batched to L1 are proposed
        safeHead: () => b.posted(),
        logger: logger.child({ component: 'proposer' }),
        pollMs: Math.max(250, pollMs / 2),
      });
      proposer.start();
    }
  } catch (e) {
    chain.setL1Feed(null);
    await batcher?.close();
    await watcher.close();
    throw e;
  }
  logger.info({ l1Rpc: o.l1Rpc, portal: p.portal, batcher: o.batcherKey !== null, proposer: proposer !== null }, 'rollup service started');
  let stopping: Promise<void> | null = null;
  return {
    pub,
    watcher,
    batcher,
    proposer,
    stop: () => {
      stopping ??= (async () => {
        await proposer?.close();
        await batcher?.close();
        chain.setL1Feed(null);
        await watcher.close();
      })();
      return stopping;
    },
  };
}
