// Durable file writes off the training thread. A worker thread runs infra's atomic write sequence
// (temp file, fsync, rename, directory fsync) in submission order; flush() blocks until every
// submitted write is durable (Atomics.wait on a shared counter) and rethrows the first failure.
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ATOMIC_WRITE_SOURCE, tempNameFor } from '../../infra/atomic-file.ts';
import { VerityError } from '../../state-machine/errors.ts';

// Plain JavaScript so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
${ATOMIC_WRITE_SOURCE}
const done = new Int32Array(workerData.shared);
parentPort.on('message', (m) => {
  try {
    writeSteps(fs, m.file, m.tmp, m.dir, m.bytes);
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message ? e.message : e), file: m.file });
    Atomics.store(done, 1, 1);
  }
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
`;

export class BackgroundWriteError extends VerityError {
  constructor(message: string) {
    super('BACKGROUND_WRITE', message);
  }
}

export class BackgroundWriter {
  private readonly worker: Worker;
  /** [completed writes, failure flag] */
  private readonly done: Int32Array;
  private submitted = 0;
  private failure: string | undefined;

  constructor() {
    const shared = new SharedArrayBuffer(8);
    this.done = new Int32Array(shared);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared } });
    this.worker.on('message', (m: { error: string; file: string }) => {
      this.failure ??= `${m.file}: ${m.error}`;
    });
    this.worker.unref();
  }

  /** Queues an atomic, durable write of `bytes` to `file`. */
  write(file: string, bytes: Uint8Array): void {
    const own = bytes.slice(); // the codec may hand out a view of a pooled buffer: send a copy
    this.submitted++;
    this.worker.postMessage({ file, tmp: tempNameFor(file), dir: dirname(file), bytes: own }, [own.buffer]);
  }

  /** Blocks until every queued write is durable; throws if any failed. */
  flush(): void {
    while (Atomics.load(this.done, 0) < this.submitted) {
      Atomics.wait(this.done, 0, Atomics.load(this.done, 0), 1000);
    }
    if (Atomics.load(this.done, 1) !== 0) {
      throw new BackgroundWriteError(`checkpoint write failed${this.failure ? `: ${this.failure}` : ''}`);
    }
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
