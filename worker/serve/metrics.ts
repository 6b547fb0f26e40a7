// The worker's Prometheus metrics (one registry, component="worker"), shown at /metrics on the
// checkpoint server.
import type { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '../../infra/metrics.ts';

export class WorkerMetrics {
  readonly registry = new MetricsRegistry('worker');
  /** finished tasks by role and how they ended (finalized, expired, attested, challenged, …) */
  readonly tasks: Counter<'role' | 'outcome'> = this.registry.counter('verity_worker_tasks_total', 'tasks this worker finished, by role and outcome', ['role', 'outcome']);
  readonly transactions: Counter<'method' | 'result'> = this.registry.counter(
    'verity_worker_transactions_total',
    'task-module calls sent, by method and result (ok or the revert error)',
    ['method', 'result'],
  );
  readonly trainingSteps: Counter = this.registry.counter('verity_worker_training_steps_total', 'training steps run (solving and re-execution)');
  readonly stepsPerSecond: Gauge = this.registry.gauge('verity_worker_training_steps_per_second', 'training speed of the latest run chunk');
  readonly servedBytes: Counter<'route'> = this.registry.counter('verity_worker_served_bytes_total', 'response bytes the checkpoint server sent', ['route']);
  readonly fetchFailures: Counter<'reason'> = this.registry.counter(
    'verity_worker_checkpoint_fetch_failures_total',
    "failed fetches from a solver's checkpoint server, by reason",
    ['reason'],
  );
  readonly head: Gauge = this.registry.gauge('verity_worker_head_block', 'latest block the worker has seen');
}
