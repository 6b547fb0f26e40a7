// A running node: chain (log, state, pool), sequencer loop and JSON-RPC server, started and stopped
// as one. The CLI commands and the tests start nodes through here.
import type { Genesis } from '../genesis/index.ts';
import { startRpcServer, type RpcServer } from '../rpc/index.ts';
import { hexToBytes } from '../state-machine/crypto/hash.ts';
import { NodeBackend } from './backend.ts';
import { dashboardHttp } from './dashboard/plugin.ts';
import { withRollupConfig } from './rollup/backend.ts';
import { attachRollup, type AttachedRollup, type NodeRollupOptions } from './rollup/attach.ts';
import { Chain } from './chain/chain.ts';
import type { NodeConfig } from './config.ts';
import type { Logger } from '../infra/logger.ts';
import { Sequencer } from './sequencer/sequencer.ts';
import { NetworkService, type NetworkOptions } from './network/service.ts';
import { networkBackend, prepareChain } from './network/attach.ts';
import { DEFAULT_POOL_LIMITS } from './txpool/pool.ts';

export interface RunningNode {
  chain: Chain;
  backend: NodeBackend;
  rpc: RpcServer;
  /** the L1 side (rollup service or derivation) when started with L1 options */
  rollup: AttachedRollup | null;
  /** http://host:port of the JSON-RPC server */
  url: string;
  /** the p2p service, when the node runs on the network */
  net: NetworkService | null;
  stop(): Promise<void>;
}

export async function startNode(
  config: NodeConfig,
  genesis: Genesis,
  logger: Logger,
  network?: NetworkOptions,
  l1: NodeRollupOptions | null = null,
): Promise<RunningNode> {
  const net = network ? await NetworkService.start(network, genesis, config.dataDir, logger.child({ component: 'p2p' })) : null;
  const openChain = (): Promise<Chain> => Chain.open({
    genesis,
    dataDir: config.dataDir,
    sequencerKey: config.sequencerKey === null ? null : hexToBytes(config.sequencerKey),
    snapshotInterval: config.snapshotInterval,
    poolLimits: { ...DEFAULT_POOL_LIMITS, minPerSender: config.txpoolMinPerSender, maxTotal: config.txpoolMaxTotal },
    recoverWorkers: config.recoverWorkers ?? (config.sequencerKey === null ? 2 : 1),
    logger: logger.child({ component: 'chain' }),
  });
  let chain: Chain;
  try {
    chain = net ? await prepareChain(net, openChain, logger) : await openChain();
  } catch (e) {
    await net?.stop();
    throw e;
  }
  const backend = withRollupConfig(net ? networkBackend(chain, net) : new NodeBackend(chain), genesis);
  let rpc: RpcServer;
  try {
    const http = dashboardHttp({ genesis, logger, l1Rpc: l1?.l1Rpc ?? null });
    rpc = await startRpcServer({ backend, host: config.rpcHost, port: config.rpcPort, logger, feeVault: genesis.modules.accounts.feeVault, http });
  } catch (e) {
    await chain.close();
    await net?.stop();
    throw e;
  }
  let rollup: AttachedRollup | null = null;
  try {
    if (l1 !== null) rollup = await attachRollup(chain, genesis, config, l1, logger);
  } catch (e) {
    await rpc.close();
    await chain.close();
    await net?.stop();
    throw e;
  }
  const sequencer = new Sequencer(chain, genesis.blockIntervalMs, logger.child({ component: 'sequencer' }));
  net?.attach(chain, { sequencer: config.sequencerKey !== null });
  if (config.sequencerKey !== null) sequencer.start();
  else if (rollup?.derivation == null) logger.warn('no sequencer key: serving the existing chain without sealing blocks');
  let stopping: Promise<void> | null = null;
  return {
    chain,
    backend,
    rpc,
    rollup,
    url: rpc.url,
    net,
    stop: () => {
      stopping ??= (async () => {
        await sequencer.stop();
        await rollup?.stop();
        await net?.stop();
        await rpc.close();
        await chain.close();
      })();
      return stopping;
    },
  };
}
