// Runs the worker's per-task jobs. A job looks at a task's current on-chain state and does the next
// thing it can (level-triggered, so a restart or a missed event only costs a look); it answers
// when it wants to look again: at a block, or only when an event touches the task. One job per
// key runs at a time; a touch while it runs makes it run again. A failing job (node down, a
// peer misbehaving) is retried with capped exponential backoff.
import type { Logger } from '../../infra/logger.ts';

export type JobResult = { wakeAt: bigint } | { idle: true } | { done: true };
export type Job = (head: bigint) => Promise<JobResult>;

interface Entry {
  job: Job;
  running: boolean;
  dirty: boolean;
  wakeAt: bigint | null;
  failures: number;
  retryAt: number;
}

export class TaskScheduler {
  private readonly entries = new Map<string, Entry>();
  private head = 0n;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Adds (or keeps) the job under `key` and makes it run at the next chance. */
  touch(key: string, job: Job): void {
    const e = this.entries.get(key);
    if (e) {
      e.dirty = true;
      return;
    }
    this.entries.set(key, { job, running: false, dirty: true, wakeAt: null, failures: 0, retryAt: 0 });
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** A new head: runs every job that is dirty or whose wake block has come. */
  onHead(head: bigint): void {
    if (head > this.head) this.head = head;
    const now = Date.now();
    for (const [key, e] of this.entries) {
      if (e.running || now < e.retryAt) continue;
      if (e.dirty || (e.wakeAt !== null && this.head >= e.wakeAt)) this.run(key, e);
    }
  }

  private run(key: string, e: Entry): void {
    if (this.stopped) return;
    e.running = true;
    e.dirty = false;
    const p = e
      .job(this.head)
      .then(
        (r) => {
          e.failures = 0;
          if ('done' in r) this.entries.delete(key);
          else e.wakeAt = 'wakeAt' in r ? r.wakeAt : null;
        },
        (err: unknown) => {
          e.failures++;
          const delay = Math.min(5_000, 250 * 2 ** Math.min(e.failures - 1, 5));
          e.retryAt = Date.now() + delay;
          e.dirty = true;
          const msg = err instanceof Error ? err.message : String(err);
          if (e.failures <= 3) this.log.warn({ job: key, err: msg, retryMs: delay, failures: e.failures }, 'task job failed; will retry');
          else this.log.debug({ job: key, err: msg, retryMs: delay, failures: e.failures }, 'task job failed again');
        },
      )
      .finally(() => {
        e.running = false;
        this.inFlight.delete(p);
        // a touch while it ran: go again now rather than at the next poll
        if (e.dirty && this.entries.get(key) === e && Date.now() >= e.retryAt) this.run(key, e);
      });
    this.inFlight.add(p);
  }

  /** Forgets the backoff of failed jobs (the node is back: no reason to wait out their delays). */
  retryFailedNow(): void {
    for (const e of this.entries.values()) if (e.failures > 0) e.retryAt = 0;
  }

  /** Stops starting jobs and waits for the running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.inFlight]);
  }
}
