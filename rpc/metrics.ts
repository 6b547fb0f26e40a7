// RPC request metrics (prom-client through infra/metrics.ts): requests by method and outcome, and
// answer latency by method. The server appends the node's registry on /metrics.
import { MetricsRegistry } from '../infra/metrics.ts';

export class RpcMetrics {
  readonly registry = new MetricsRegistry('rpc');
  private readonly requestsTotal = this.registry.counter('verity_rpc_requests_total', 'JSON-RPC requests answered, by method and outcome', ['method', 'outcome']);
  private readonly durationSeconds = this.registry.histogram('verity_rpc_request_duration_seconds', 'Time to answer one JSON-RPC request', undefined, ['method']);
  private readonly seen = new Set<string>();

  /** `method` must come from a bounded set (the server maps unknown names to "unknown"). */
  observe(method: string, ok: boolean, seconds: number): void {
    if (!this.seen.has(method)) {
      // both outcomes exist from a method's first request, so an error rate starts from 0
      this.seen.add(method);
      this.requestsTotal.inc({ method, outcome: 'ok' }, 0);
      this.requestsTotal.inc({ method, outcome: 'error' }, 0);
    }
    this.requestsTotal.inc({ method, outcome: ok ? 'ok' : 'error' });
    this.durationSeconds.observe({ method }, seconds);
  }

  async requests(method: string): Promise<{ ok: number; error: number }> {
    const { values } = await this.requestsTotal.get();
    const count = (outcome: string) => values.find((v) => v.labels.method === method && v.labels.outcome === outcome)?.value ?? 0;
    return { ok: count('ok'), error: count('error') };
  }

  render(): Promise<string> {
    return this.registry.render();
  }
}
