// The node's metrics (prom-client through infra/metrics.ts), shown by the RPC server on /metrics.
// Counters the tests read back are TotalCounters; values owned elsewhere are TrackedGauges.
import { MetricsRegistry } from '../infra/metrics.ts';

/** The node's metrics. One instance per node. */
export function nodeMetrics(registry = new MetricsRegistry('node')) {
  return {
    registry,
    blockSealSeconds: registry.histogram('verity_block_seal_seconds', 'Time to build, apply and persist one block'),
    blockWriteSeconds: registry.histogram('verity_block_write_seconds', 'Time of the fsynced LevelDB batch of one block'),
    blocksSealedTotal: registry.totalCounter('verity_blocks_sealed_total', 'Blocks sealed by this sequencer'),
    blockTxs: registry.histogram('verity_block_txs', 'Transactions per sealed block', [1, 10, 100, 500, 1000, 2000, 5000, 10000]),
    headNumber: registry.trackedGauge('verity_head_block_number', 'Number of the head block'),
    txsIncludedTotal: registry.totalCounter('verity_txs_included_total', 'Transactions included in sealed blocks'),
    txpoolPendingTotal: registry.trackedGauge('verity_txpool_pending_total', 'Executable transactions in the pool'),
    txpoolQueuedTotal: registry.trackedGauge('verity_txpool_queued_total', 'Transactions waiting for a nonce gap to fill'),
    txpoolAcceptedTotal: registry.totalCounter('verity_txpool_accepted_total', 'Transactions accepted into the pool'),
    txpoolRejectedTotal: registry.totalCounter('verity_txpool_rejected_total', 'Transactions refused by the pool'),
    journalCommitsTotal: registry.totalCounter('verity_txpool_journal_commits_total', 'Fsynced journal group commits'),
    recoverSeconds: registry.histogram('verity_tx_recover_batch_seconds', 'Decode and sender recovery of one batch of raw txs'),
    importSendersAheadTotal: registry.totalCounter('verity_import_senders_ahead_total', 'Imported txs whose sender recovery had started before their block arrived (from tx gossip)'),
    importSendersAtImportTotal: registry.totalCounter('verity_import_senders_at_import_total', 'Imported txs whose sender was recovered when their block arrived'),
    replayedBlocksTotal: registry.totalCounter('verity_replayed_blocks_total', 'Blocks re-applied from the log (restart or historical query)'),
  };
}

export type NodeMetrics = ReturnType<typeof nodeMetrics>;
