// Decoding and sender recovery of incoming raw txs, on the main thread or in worker threads.
// Requests made in the same event-loop turn (one JSON-RPC batch) are decoded as one batch; with
// workers, the batch is split evenly across them, and each returns fully decoded SignedTx objects
// (a structured clone costs ~10 µs, parsing and recovery ~90 µs).
import { Worker } from 'node:worker_threads';
import type { SignedTx } from '../../state-machine/chain/types.ts';
import type { Bytes } from '../../state-machine/crypto/hash.ts';
import { TxDecodeError } from '../../state-machine/tx/errors.ts';
import { decodeTransaction } from '../../state-machine/tx/decode.ts';
import { TxPoolError, txPoolErrors } from '../errors.ts';

export type DecodeResult = { ok: true; tx: SignedTx } | { ok: false; code: string; message: string };

export interface DecodeRequest {
  id: number;
  chainId: bigint;
  raws: Bytes[];
}

export interface DecodeResponse {
  id: number;
  results: DecodeResult[];
}

export function decodeRaw(raw: Bytes, chainId: bigint): DecodeResult {
  try {
    return { ok: true, tx: decodeTransaction(raw, chainId) };
  } catch (e) {
    if (e instanceof TxDecodeError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: 'TX_MALFORMED', message: `malformed transaction: ${String(e).slice(0, 200)}` };
  }
}

/** The pool error a failed decode is reported as (geth's text where geth has one). */
export function decodeFailure(r: { code: string; message: string }): TxPoolError {
  if (r.code === 'TX_TOO_LARGE') return txPoolErrors.oversized();
  if (r.code === 'TX_WRONG_CHAIN') return txPoolErrors.invalidChainId();
  return new TxPoolError(r.code, r.message);
}

export interface TxDecoder {
  /** Decodes one raw tx; calls in the same turn share a batch. */
  decode(raw: Bytes): Promise<DecodeResult>;
  close(): Promise<void>;
}

interface Waiting {
  raw: Bytes;
  resolve: (r: DecodeResult) => void;
}

/** Batches the calls of one event-loop turn and hands each batch to `run`. */
abstract class BatchingDecoder implements TxDecoder {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(protected readonly chainId: bigint) {}

  decode(raw: Bytes): Promise<DecodeResult> {
    return new Promise((resolve) => {
      this.queue.push({ raw, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    this.run(batch.map((w) => w.raw)).then(
      (results) => batch.forEach((w, i) => w.resolve(results[i])),
      (e: unknown) => batch.forEach((w) => w.resolve({ ok: false, code: 'TX_DECODE_UNAVAILABLE', message: String(e) })),
    );
  }

  protected abstract run(raws: Bytes[]): Promise<DecodeResult[]>;
  abstract close(): Promise<void>;
}

export class InlineDecoder extends BatchingDecoder {
  protected run(raws: Bytes[]): Promise<DecodeResult[]> {
    return Promise.resolve(raws.map((r) => decodeRaw(r, this.chainId)));
  }
  async close(): Promise<void> {}
}

/** Smallest slice worth a message round trip to a worker. */
const MIN_SLICE = 16;

export class WorkerDecoder extends BatchingDecoder {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { raws: Bytes[]; worker: Worker; done: (r: DecodeResult[]) => void }>();
  private nextId = 0;
  private rr = 0;
  /** set when a worker died: decode inline from then on rather than lose txs */
  private broken = false;

  constructor(chainId: bigint, threads: number) {
    super(chainId);
    this.workers = Array.from({ length: threads }, () => {
      const w = new Worker(new URL('./decode-worker.js', import.meta.url));
      w.on('message', (res: DecodeResponse) => {
        const p = this.pending.get(res.id);
        this.pending.delete(res.id);
        if (p) this.release(p.worker);
        p?.done(res.results);
      });
      w.on('error', () => this.fallBack());
      w.unref();
      return w;
    });
  }

  /** Outstanding requests per worker: a worker keeps the process alive only while it owes an answer. */
  private readonly owed = new Map<Worker, number>();

  private hold(w: Worker): void {
    const n = this.owed.get(w) ?? 0;
    if (n === 0) w.ref();
    this.owed.set(w, n + 1);
  }

  private release(w: Worker): void {
    const n = (this.owed.get(w) ?? 1) - 1;
    this.owed.set(w, n);
    if (n === 0) w.unref();
  }

  private fallBack(): void {
    this.broken = true;
    for (const p of this.pending.values()) p.done(p.raws.map((r) => decodeRaw(r, this.chainId)));
    this.pending.clear();
  }

  protected async run(raws: Bytes[]): Promise<DecodeResult[]> {
    if (this.broken) return raws.map((r) => decodeRaw(r, this.chainId));
    const slices = Math.max(1, Math.min(this.workers.length, Math.floor(raws.length / MIN_SLICE)));
    const per = Math.ceil(raws.length / slices);
    const parts: Promise<DecodeResult[]>[] = [];
    for (let i = 0; i < raws.length; i += per) {
      const id = this.nextId++;
      const w = this.workers[this.rr++ % this.workers.length];
      const slice = raws.slice(i, i + per);
      parts.push(
        new Promise((resolve) => {
          this.pending.set(id, { raws: slice, worker: w, done: resolve });
          this.hold(w);
          w.postMessage({ id, chainId: this.chainId, raws: slice } satisfies DecodeRequest);
        }),
      );
    }
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    const closing: DecodeResult = { ok: false, code: 'TX_DECODE_UNAVAILABLE', message: 'node is shutting down' };
    for (const p of this.pending.values()) p.done(p.raws.map(() => closing));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function createDecoder(chainId: bigint, threads: number): TxDecoder {
  return threads > 0 ? new WorkerDecoder(chainId, threads) : new InlineDecoder(chainId);
}
