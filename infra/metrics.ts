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

  totalCounter(name: string, help: string): TotalCounter {
    let total = 0;
    new Counter({
      name: counterName(name),
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(total);
      },
    });
    return {
      inc: (by = 1) => {
        total += by;
      },
      get value() {
        return total;
      },
    };
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
