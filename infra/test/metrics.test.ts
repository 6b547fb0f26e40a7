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

  it('renders series counters and histograms like prom-client\'s, and reads counters back at once', async () => {
    const r = new MetricsRegistry('rpc');
    const c = r.seriesCounter<'method'>('verity_calls_total', 'Calls');
    const h = r.seriesHistogram<'method'>('verity_call_seconds', 'Call time', [0.1, 1]);
    const a = c({ method: 'a' });
    c({ method: 'b' });
    a.inc();
    a.inc(2);
    const ha = h({ method: 'a' });
    for (const v of [0.05, 0.5, 2, 0.1]) ha.observe(v);
    expect(a.value).toBe(3);
    const text = await r.render();
    expect(text).toContain('# TYPE verity_calls_total counter\n');
    expect(text).toContain('# TYPE verity_call_seconds histogram\n');
    expect(sampleValue(text, 'verity_calls_total', { method: 'a', component: 'rpc' })).toBe(3);
    expect(sampleValue(text, 'verity_calls_total', { method: 'b', component: 'rpc' })).toBe(0);
    expect(sampleValue(text, 'verity_call_seconds_bucket', { method: 'a', le: '0.1', component: 'rpc' })).toBe(2);
    expect(sampleValue(text, 'verity_call_seconds_bucket', { method: 'a', le: '1' })).toBe(3);
    expect(sampleValue(text, 'verity_call_seconds_bucket', { method: 'a', le: '+Inf' })).toBe(4);
    expect(sampleValue(text, 'verity_call_seconds_sum', { method: 'a' })).toBe(2.65);
    expect(sampleValue(text, 'verity_call_seconds_count', { method: 'a' })).toBe(4);
    expect(() => r.seriesCounter('verity_calls', 'no unit')).toThrow(MetricsError);
  });

  it('refuses a counter without _total and a name registered twice', () => {
    const r = new MetricsRegistry('rpc');
    expect(() => r.counter('verity_things', 'no unit')).toThrow(MetricsError);
    r.gauge('verity_head_block_number', 'Head');
    expect(() => r.trackedGauge('verity_head_block_number', 'again')).toThrow(/already been registered/);
  });
});
