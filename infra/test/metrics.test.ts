import { describe, expect, it } from 'vitest';
import { MetricsError, MetricsRegistry } from '../metrics.ts';
import { sampleValue } from './exposition.ts';

describe('MetricsRegistry', () => {
  it('renders counters, gauges and histograms with the component label and their own labels', async () => {
    const r = new MetricsRegistry('worker');
    r.counter('verity_things_total', 'Things', ['kind']).inc({ kind: 'a' }, 3);
    r.gauge('verity_queue_bytes', 'Queued bytes').set(512);
    const h = r.histogram('verity_work_seconds', 'Work', [0.1, 1]);
    for (const v of [0.05, 0.5, 2]) h.observe(v);
    const text = await r.render();
    expect(text).toContain('# TYPE verity_things_total counter\n');
    expect(sampleValue(text, 'verity_things_total', { kind: 'a', component: 'worker' })).toBe(3);
    expect(sampleValue(text, 'verity_queue_bytes', { component: 'worker' })).toBe(512);
    expect(sampleValue(text, 'verity_work_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(sampleValue(text, 'verity_work_seconds_bucket', { le: '1' })).toBe(2);
    expect(sampleValue(text, 'verity_work_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(sampleValue(text, 'verity_work_seconds_sum', { component: 'worker' })).toBe(2.55);
    expect(r.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('reads total counters back at once and tracked gauges at scrape time', async () => {
    const r = new MetricsRegistry('node');
    const c = r.totalCounter('verity_commits_total', 'Commits');
    const g = r.trackedGauge('verity_depth_total', 'Depth');
    c.inc();
    c.inc(2);
    let depth = 5;
    g.track(() => depth);
    depth = 6;
    expect(c.value).toBe(3);
    expect(g.value).toBe(6);
    const text = await r.render();
    expect(sampleValue(text, 'verity_commits_total', { component: 'node' })).toBe(3);
    expect(sampleValue(text, 'verity_depth_total', { component: 'node' })).toBe(6);
    c.inc(); // a counter's collect() must not double-count across scrapes
    expect(sampleValue(await r.render(), 'verity_commits_total')).toBe(4);
  });

  it('refuses a counter without _total and a name registered twice', () => {
    const r = new MetricsRegistry('rpc');
    expect(() => r.counter('verity_things', 'no unit')).toThrow(MetricsError);
    r.gauge('verity_head_block_number', 'Head');
    expect(() => r.trackedGauge('verity_head_block_number', 'again')).toThrow(/already been registered/);
  });
});
