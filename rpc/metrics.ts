// RPC request metrics (prom-client through infra/metrics.ts): requests by method and outcome, and
// answer latency by method. The server appends the node's registry on /metrics.
import { MetricsRegistry, type CounterSeries, type HistogramSeries } from '../infra/metrics.ts';

interface MethodSeries {
  ok: CounterSeries;
  error: CounterSeries;
  seconds: HistogramSeries;
}

export class RpcMetrics {
  readonly registry = new MetricsRegistry('rpc');
  private readonly requestsTotal = this.registry.seriesCounter<'method' | 'outcome'>('verity_rpc_requests_total', 'JSON-RPC requests answered, by method and outcome');
  private readonly durationSeconds = this.registry.seriesHistogram<'method'>('verity_rpc_request_duration_seconds', 'Time to answer one JSON-RPC request');
  private readonly methods = new Map<string, MethodSeries>();

  /** `method` must come from a bounded set (the server maps unknown names to "unknown"). */
  observe(method: string, ok: boolean, seconds: number): void {
    const m = this.methods.get(method) ?? this.add(method);
    (ok ? m.ok : m.error).inc();
    m.seconds.observe(seconds);
  }

  /** Both outcomes exist from a method's first request, so an error rate starts from 0. */
  private add(method: string): MethodSeries {
    const m = {
      ok: this.requestsTotal({ method, outcome: 'ok' }),
      error: this.requestsTotal({ method, outcome: 'error' }),
      seconds: this.durationSeconds({ method }),
    };
    this.methods.set(method, m);
    return m;
  }

  requests(method: string): { ok: number; error: number } {
    const m = this.methods.get(method);
    return { ok: m?.ok.value ?? 0, error: m?.error.value ?? 0 };
  }

  render(): Promise<string> {
    return this.registry.render();
  }
}
