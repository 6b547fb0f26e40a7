// A running node: chain (log, state, pool), sequencer loop and JSON-RPC server, started and stopped
// as one. The CLI commands and the tests start nodes through here.
import type { Genesis } from '../genesis/index.ts';
import { startRpcServer, type RpcServer } from '../rpc/index.ts';
import { hexToBytes } from '../state-machine/crypto/hash.ts';
import { NodeBackend } from './backend.ts';
import { Chain } from './chain/chain.ts';
import type { NodeConfig } from './config.ts';
import type { Logger } from '../infra/logger.ts';
import { Sequencer } from './sequencer/sequencer.ts';
import { DEFAULT_POOL_LIMITS } from './txpool/pool.ts';

export interface RunningNode {
  chain: Chain;
  backend: NodeBackend;
  rpc: RpcServer;
  /** http://host:port of the JSON-RPC server */
  url: string;
  stop(): Promise<void>;
}

export async function startNode(config: NodeConfig, genesis: Genesis, logger: Logger): Promise<RunningNode> {
  const chain = await Chain.open({
    genesis,
    dataDir: config.dataDir,
    sequencerKey: config.sequencerKey === null ? null : hexToBytes(config.sequencerKey),
    snapshotInterval: config.snapshotInterval,
    poolLimits: { ...DEFAULT_POOL_LIMITS, minPerSender: config.txpoolMinPerSender, maxTotal: config.txpoolMaxTotal },
    recoverWorkers: config.recoverWorkers,
    logger: logger.child({ component: 'chain' }),
  });
  const backend = new NodeBackend(chain);
  let rpc: RpcServer;
  try {
    rpc = await startRpcServer({ backend, host: config.rpcHost, port: config.rpcPort, logger, feeVault: genesis.modules.accounts.feeVault });
  } catch (e) {
    await chain.close();
    throw e;
  }
  const sequencer = new Sequencer(chain, genesis.blockIntervalMs, logger.child({ component: 'sequencer' }));
  if (config.sequencerKey !== null) sequencer.start();
  else logger.warn('no sequencer key: serving the existing chain without sealing blocks');
  let stopping: Promise<void> | null = null;
  return {
    chain,
    backend,
    rpc,
    url: rpc.url,
    stop: () => {
      stopping ??= (async () => {
        await sequencer.stop();
        await rpc.close();
        await chain.close();
      })();
      return stopping;
    },
  };
}
