// RPC request metrics in the Prometheus text format: a request counter and a latency histogram,
// labelled by method and outcome. The node's own registry (if the backend exposes one) is appended.

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface MethodStats {
  ok: number;
  error: number;
  buckets: number[];
  sum: number;
  count: number;
}

export class RpcMetrics {
  private readonly byMethod = new Map<string, MethodStats>();

  /** `method` must come from a bounded set (the server maps unknown names to "unknown"). */
  observe(method: string, ok: boolean, seconds: number): void {
    let s = this.byMethod.get(method);
    if (!s) {
      s = { ok: 0, error: 0, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.byMethod.set(method, s);
    }
    if (ok) s.ok++;
    else s.error++;
    s.sum += seconds;
    s.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) s.buckets[i]++;
  }

  requests(method: string): { ok: number; error: number } {
    const s = this.byMethod.get(method);
    return { ok: s?.ok ?? 0, error: s?.error ?? 0 };
  }

  render(): string {
    const total = ['# HELP verity_rpc_requests_total JSON-RPC requests answered, by method and outcome', '# TYPE verity_rpc_requests_total counter'];
    const hist = ['# HELP verity_rpc_request_duration_seconds Time to answer one JSON-RPC request', '# TYPE verity_rpc_request_duration_seconds histogram'];
    for (const [m, s] of [...this.byMethod].sort(([a], [b]) => (a < b ? -1 : 1))) {
      total.push(`verity_rpc_requests_total{method="${m}",outcome="ok"} ${s.ok}`);
      total.push(`verity_rpc_requests_total{method="${m}",outcome="error"} ${s.error}`);
      BUCKETS.forEach((b, i) => hist.push(`verity_rpc_request_duration_seconds_bucket{method="${m}",le="${b}"} ${s.buckets[i]}`));
      hist.push(
        `verity_rpc_request_duration_seconds_bucket{method="${m}",le="+Inf"} ${s.count}`,
        `verity_rpc_request_duration_seconds_sum{method="${m}"} ${s.sum}`,
        `verity_rpc_request_duration_seconds_count{method="${m}"} ${s.count}`,
      );
    }
    return [...total, ...hist].join('\n') + '\n';
  }
}
