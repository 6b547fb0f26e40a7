import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.ts';

describe('MetricsRegistry', () => {
  it('renders counters, tracked gauges and histograms in the Prometheus text format', () => {
    const r = new MetricsRegistry();
    const c = r.counter('verity_things_total', 'Things');
    const g = r.gauge('verity_depth_total', 'Depth');
    const h = r.histogram('verity_work_seconds', 'Work', [0.1, 1]);
    c.inc(3);
    let depth = 5;
    g.track(() => depth);
    depth = 6;
    h.observe(0.05);
    h.observe(0.5);
    h.observe(2);
    const text = r.render();
    expect(text).toContain('# TYPE verity_things_total counter\nverity_things_total 3\n');
    expect(text).toContain('verity_depth_total 6\n');
    expect(text).toContain('verity_work_seconds_bucket{le="0.1"} 1\nverity_work_seconds_bucket{le="1"} 2\nverity_work_seconds_bucket{le="+Inf"} 3\n');
    expect(text).toContain('verity_work_seconds_sum 2.55\nverity_work_seconds_count 3\n');
    expect(() => r.counter('verity_things_total', 'again')).toThrow();
  });
});
