// What startNode runs against L1: the rollup service beside a sequencer, or derivation for a node
// that rebuilds the chain from L1 alone (--derive-from-l1). One entry, so verity-node.ts stays small.
import type { Genesis } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { bridgeEnabled } from '../../state-machine/modules/bridge/params.ts';
import type { Chain } from '../chain/chain.ts';
import type { NodeConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { Derivation } from './derivation.ts';
import { l1PublicClient } from './l1.ts';
import { checkL1ChainId, startRollup, type RollupOptions, type RollupService } from './service.ts';

export interface NodeRollupOptions extends RollupOptions {
  /** rebuild the chain from L1 instead of sequencing (no sequencer key) */
  deriveFromL1?: boolean;
  /** derivation stopped on a disagreement with L1 (the CLI exits on it) */
  onDerivationFailure?: (e: Error) => void;
}

export interface AttachedRollup {
  service: RollupService | null;
  derivation: Derivation | null;
  stop(): Promise<void>;
}

export async function attachRollup(chain: Chain, genesis: Genesis, config: NodeConfig, o: NodeRollupOptions, logger: Logger): Promise<AttachedRollup> {
  if (!bridgeEnabled(genesis.modules.bridge)) throw new ConfigError('--l1-rpc', 'the genesis names no portal (genesis.modules.bridge.portal): this chain has no L1');
  if (o.deriveFromL1) {
    if (config.sequencerKey !== null) throw new ConfigError('--derive-from-l1', 'a deriving node does not sequence: give no sequencer key');
    const pub = l1PublicClient(o.l1Rpc);
    await checkL1ChainId(pub, genesis);
    const derivation = await Derivation.open({ chain, genesis, pub, dataDir: config.dataDir, logger: logger.child({ component: 'derivation' }), pollMs: o.pollMs });
    if (o.onDerivationFailure) derivation.onFailure = o.onDerivationFailure;
    derivation.start();
    logger.info({ l1Rpc: o.l1Rpc, portal: genesis.modules.bridge.portal }, 'deriving the chain from L1');
    return { service: null, derivation, stop: () => derivation.close() };
  }
  if (config.sequencerKey === null) {
    logger.warn('an L1 RPC without a sequencer key: nothing to run against L1');
    return { service: null, derivation: null, stop: async () => undefined };
  }
  const service = await startRollup(chain, genesis, config.dataDir, o, logger);
  return { service, derivation: null, stop: () => service.stop() };
}
