import { describe, expect, it } from 'vitest';
import { sampleValue } from '../infra/test/exposition.ts';
import { nodeMetrics } from './metrics.ts';

describe('nodeMetrics', () => {
  it('keeps the dashboard names, labelled component="node"; tracked gauges read their source when scraped', async () => {
    const m = nodeMetrics();
    let head = 4;
    m.headNumber.track(() => head);
    m.blocksSealedTotal.inc();
    m.txsIncludedTotal.inc(250);
    m.blockTxs.observe(250);
    m.blockSealSeconds.observe(0.004);
    head = 5;
    const text = await m.registry.render();
    const node = { component: 'node' };
    expect(sampleValue(text, 'verity_head_block_number', node)).toBe(5);
    expect(sampleValue(text, 'verity_blocks_sealed_total', node)).toBe(1);
    expect(sampleValue(text, 'verity_txs_included_total', node)).toBe(250);
    expect(sampleValue(text, 'verity_block_txs_bucket', { ...node, le: '100' })).toBe(0);
    expect(sampleValue(text, 'verity_block_txs_bucket', { ...node, le: '500' })).toBe(1);
    expect(sampleValue(text, 'verity_block_seal_seconds_bucket', { ...node, le: '0.005' })).toBe(1);
    for (const name of ['verity_txpool_pending_total', 'verity_txpool_queued_total', 'verity_txpool_journal_commits_total', 'verity_replayed_blocks_total']) {
      expect(sampleValue(text, name, node)).toBe(0);
    }
    expect(m.txsIncludedTotal.value).toBe(250);
  });
});
