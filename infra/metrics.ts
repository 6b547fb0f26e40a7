// Prometheus metrics on prom-client. Each component (node, rpc, worker) owns one registry whose
// default label `component` tells its series apart when several share one /metrics page. Names
// carry their unit (…_seconds, …_bytes, …_total), as Prometheus recommends.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Component = 'node' | 'rpc' | 'worker';

/** Latency buckets, 0.5 ms to 10 s: sealing, sender recovery and RPC answers all fall inside. */
export const SECONDS_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class MetricsError extends Error {
  readonly code = 'METRIC_NAME';
}

/** A counter whose total this process can read back synchronously (tests, progress lines). */
export interface TotalCounter {
  inc(by?: number): void;
  readonly value: number;
}

/** A gauge whose value is owned elsewhere (a pool size, the head number) and read at scrape time. */
export interface TrackedGauge {
  track(source: () => number): void;
  readonly value: number;
}

/** One labelled series of a hot-path counter: a plain number, read back synchronously. */
export type CounterSeries = TotalCounter;

/** One labelled series of a hot-path histogram. */
export interface HistogramSeries {
  observe(value: number): void;
}

type Labels = Record<string, string | number>;
interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}

/**
 * A metric prom-client's registry renders from `get()`: the hot-path counters and histograms below
 * keep their series in plain numbers, because prom-client's own hashes the label object on every
 * inc/observe (≈ 5 µs per JSON-RPC request at thousands of requests per second).
 */
class SeriesMetric {
  constructor(readonly name: string, readonly help: string, readonly type: 'counter' | 'histogram', private readonly samples: () => Sample[]) {}
  readonly aggregator = 'sum';
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.samples() };
  }
  reset(): void {}
}

function counterName(name: string): string {
  if (!name.endsWith('_total')) throw new MetricsError(`counter ${name}: a counter's name ends in _total`);
  return name;
}

export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(readonly component: Component) {
    this.registry.setDefaultLabels({ component });
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name: counterName(name), help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string = never>(name: string, help: string, buckets: readonly number[] = SECONDS_BUCKETS, labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.registry] });
  }

  /** A counter whose series are created once per label set and then updated without label hashing. */
  seriesCounter<L extends string>(name: string, help: string): (labels: Record<L, string>) => CounterSeries {
    const series: { labels: Labels; value: number }[] = [];
    this.register(new SeriesMetric(counterName(name), help, 'counter', () => series.map((x) => ({ labels: x.labels, value: x.value }))));
    return (labels) => {
      const x = { labels: { ...labels }, value: 0 };
      series.push(x);
      return {
        inc: (by = 1) => {
          x.value += by;
        },
        get value() {
          return x.value;
        },
      };
    };
  }

  /** A histogram whose series are created once per label set and then observed without label hashing. */
  seriesHistogram<L extends string>(name: string, help: string, buckets: readonly number[] = SECONDS_BUCKETS): (labels: Record<L, string>) => HistogramSeries {
    const bounds = [...buckets];
    const series: { labels: Labels; counts: Float64Array; sum: number; count: number }[] = [];
    this.register(new SeriesMetric(name, help, 'histogram', () => series.flatMap((x) => {
      let cumulative = 0;
      const out: Sample[] = bounds.map((le, i) => ({ labels: { ...x.labels, le }, value: (cumulative += x.counts[i]), metricName: `${name}_bucket` }));
      out.push({ labels: { ...x.labels, le: '+Inf' }, value: x.count, metricName: `${name}_bucket` });
      out.push({ labels: x.labels, value: x.sum, metricName: `${name}_sum` }, { labels: x.labels, value: x.count, metricName: `${name}_count` });
      return out;
    })));
    return (labels) => {
      const x = { labels: { ...labels }, counts: new Float64Array(bounds.length), sum: 0, count: 0 };
      series.push(x);
      return {
        observe: (v) => {
          x.sum += v;
          x.count++;
          for (let i = 0; i < bounds.length; i++) {
            if (v <= bounds[i]) {
              x.counts[i]++;
              return;
            }
          }
        },
      };
    };
  }

  private register(m: SeriesMetric): void {
    // the registry reads a metric only through name, help, type and get()
    this.registry.registerMetric(m as unknown as Counter);
  }

  /** An unlabelled counter in a plain number (a series counter with no labels). */
  totalCounter(name: string, help: string): TotalCounter {
    return this.seriesCounter<never>(name, help)({});
  }

  trackedGauge(name: string, help: string): TrackedGauge {
    let source: () => number = () => 0;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(source());
      },
    });
    return {
      track: (s) => {
        source = s;
      },
      get value() {
        return source();
      },
    };
  }

  /** Prometheus text exposition format 0.0.4 (see `contentType`). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
