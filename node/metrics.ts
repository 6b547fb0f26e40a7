// A small metrics registry rendered in the Prometheus text format (exposed by the RPC server on
// /metrics). Names carry their unit (…_seconds, …_total, …_bytes), as Prometheus recommends.

export type MetricKind = 'counter' | 'gauge' | 'histogram';

interface Metric {
  name: string;
  help: string;
  kind: MetricKind;
  render(): string[];
}

export class Counter implements Metric {
  readonly kind = 'counter' as const;
  private v = 0;
  constructor(readonly name: string, readonly help: string) {}
  inc(by = 1): void {
    this.v += by;
  }
  get value(): number {
    return this.v;
  }
  render(): string[] {
    return [`${this.name} ${this.v}`];
  }
}

export class Gauge implements Metric {
  readonly kind = 'gauge' as const;
  private v = 0;
  /** when set, read at render time (for values owned elsewhere, like the pool size) */
  private source: (() => number) | null = null;
  constructor(readonly name: string, readonly help: string) {}
  set(v: number): void {
    this.v = v;
  }
  track(source: () => number): void {
    this.source = source;
  }
  get value(): number {
    return this.source ? this.source() : this.v;
  }
  render(): string[] {
    return [`${this.name} ${this.value}`];
  }
}

/** Cumulative-bucket histogram, Prometheus style. */
export class Histogram implements Metric {
  readonly kind = 'histogram' as const;
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]) this.counts[i]++;
  }
  get observations(): number {
    return this.count;
  }
  render(): string[] {
    const lines = this.buckets.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`);
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets?: number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** Prometheus text exposition format, version 0.0.4. */
  render(): string {
    const out: string[] = [];
    for (const m of this.metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.kind}`, ...m.render());
    }
    return out.join('\n') + '\n';
  }

  private add<M extends Metric>(m: M): M {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }
}

/** The node's metrics. One instance per node. */
export function nodeMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    blockSealSeconds: registry.histogram('verity_block_seal_seconds', 'Time to build, apply and persist one block'),
    blockWriteSeconds: registry.histogram('verity_block_write_seconds', 'Time of the fsynced LevelDB batch of one block'),
    blocksSealedTotal: registry.counter('verity_blocks_sealed_total', 'Blocks sealed by this sequencer'),
    blockTxs: registry.histogram('verity_block_txs', 'Transactions per sealed block', [1, 10, 100, 500, 1000, 2000, 5000, 10000]),
    headNumber: registry.gauge('verity_head_block_number', 'Number of the head block'),
    txsIncludedTotal: registry.counter('verity_txs_included_total', 'Transactions included in sealed blocks'),
    txpoolPendingTotal: registry.gauge('verity_txpool_pending_total', 'Executable transactions in the pool'),
    txpoolQueuedTotal: registry.gauge('verity_txpool_queued_total', 'Transactions waiting for a nonce gap to fill'),
    txpoolAcceptedTotal: registry.counter('verity_txpool_accepted_total', 'Transactions accepted into the pool'),
    txpoolRejectedTotal: registry.counter('verity_txpool_rejected_total', 'Transactions refused by the pool'),
    journalCommitsTotal: registry.counter('verity_txpool_journal_commits_total', 'Fsynced journal group commits'),
    recoverSeconds: registry.histogram('verity_tx_recover_batch_seconds', 'Decode and sender recovery of one batch of raw txs'),
    replayedBlocksTotal: registry.counter('verity_replayed_blocks_total', 'Blocks re-applied from the log (restart or historical query)'),
  };
}

export type NodeMetrics = ReturnType<typeof nodeMetrics>;
