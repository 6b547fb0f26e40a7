// How startNode puts a node on the network: the chain it opens (after a snapshot sync when asked
// and the data dir is new) and the RPC backend it serves.
import { NetworkBackend } from '../follower/backend.ts';
import { TxForwarder } from '../follower/forward.ts';
import type { Chain } from '../chain/chain.ts';
import type { Logger } from '../../infra/logger.ts';
import type { NetworkService } from './service.ts';
import { snapshotSync } from './snapshot-sync.ts';

export async function prepareChain(net: NetworkService, open: () => Promise<Chain>, logger: Logger): Promise<Chain> {
  const chain = await open();
  if (!net.opts.snapshotSync || chain.headHeaderNow().number !== 0n) return chain;
  let installed: bigint | null;
  try {
    installed = await snapshotSync(net, chain, logger.child({ component: 'snapshot-sync' }));
  } finally {
    await chain.close();
  }
  // reopened, the chain starts from the snapshot just written
  const reopened = await open();
  if (installed !== null) logger.info({ snapshot: Number(installed), head: Number(reopened.headHeaderNow().number) }, 'started from a peer snapshot');
  return reopened;
}

export function networkBackend(chain: Chain, net: NetworkService): NetworkBackend {
  const url = net.opts.sequencerRpc;
  return new NetworkBackend(chain, net, net.opts.follow, url === null ? null : new TxForwarder(url));
}
