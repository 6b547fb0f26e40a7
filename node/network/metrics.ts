// The network's metrics, registered in the node's registry (so /metrics shows them with the rest).
import type { MetricsRegistry } from '../../infra/metrics.ts';

export function networkMetrics(registry: MetricsRegistry) {
  return {
    peers: registry.trackedGauge('verity_p2p_peers', 'Connected libp2p peers'),
    syncDistance: registry.trackedGauge('verity_sync_distance_blocks', 'Best known head minus this node\'s head'),
    imported: registry.counter('verity_blocks_imported_total', 'Blocks received, re-executed and written, by source', ['source']),
    importSeconds: registry.histogram('verity_block_import_seconds', 'Time to check, re-execute and write one received block, by source', undefined, ['source']),
    txsImported: registry.counter('verity_txs_imported_total', 'Transactions in received blocks re-executed and written, by source', ['source']),
    refused: registry.counter('verity_p2p_messages_refused_total', 'Peer messages refused, by offence', ['offence']),
    bans: registry.totalCounter('verity_p2p_peers_banned_total', 'Peers banned for bad messages'),
  };
}

export type NetworkMetrics = ReturnType<typeof networkMetrics>;
