// The pool journal: raw transactions the node acknowledged but has not yet put in a block. A tx is
// acknowledged only after its journal entry is fsynced, so a crash never loses an accepted tx.
// Writes are group-committed: every append made in the same turn of the event loop (a JSON-RPC batch)
// shares one fsynced LevelDB batch, and appends that arrive while a batch is being written form the
// next group. Included txs leave the journal in the block's own batch (see EventLog.writeBlock).
import type { Bytes, Hex } from '../../state-machine/crypto/hash.ts';
import type { Db } from '../store/event-log.ts';
import { hexOfKeyHash } from '../store/event-log.ts';
import { PREFIX, keys } from '../store/keys.ts';

type Op = { type: 'put'; key: Bytes; value: Bytes } | { type: 'del'; key: Bytes };

interface Group {
  ops: Op[];
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

export class Journal {
  private next: Group | null = null;
  private writing: Promise<void> | null = null;
  private scheduled = false;
  /** groups committed, for metrics */
  groupsCommitted = 0;
  onCommit: () => void = () => undefined;

  constructor(private readonly db: Db) {}

  /** Durably records raw txs (and drops replaced ones); resolves once fsynced. */
  append(entries: { hash: Hex; raw: Bytes }[], removals: Hex[] = []): Promise<void> {
    const g = this.group();
    for (const e of entries) g.ops.push({ type: 'put', key: keys.journal(e.hash), value: e.raw });
    for (const h of removals) g.ops.push({ type: 'del', key: keys.journal(h) });
    return new Promise((resolve, reject) => g.waiters.push({ resolve, reject }));
  }

  /** Drops entries without waiting for durability (evictions: losing the delete only leaves a stale entry that reload drops). */
  remove(hashes: Hex[]): void {
    if (hashes.length === 0) return;
    const g = this.group();
    for (const h of hashes) g.ops.push({ type: 'del', key: keys.journal(h) });
  }

  /** Resolves when everything appended so far is on disk. */
  async flushed(): Promise<void> {
    while (this.writing !== null || this.next !== null) {
      if (this.writing !== null) await this.writing.catch(() => undefined);
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Every journalled tx, in key order (callers re-sort by sender and nonce). */
  async all(): Promise<{ hash: Hex; raw: Bytes }[]> {
    const out: { hash: Hex; raw: Bytes }[] = [];
    for await (const [k, v] of this.db.iterator(keys.range(PREFIX.journal))) out.push({ hash: hexOfKeyHash(k, 1), raw: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) });
    return out;
  }

  async size(): Promise<number> {
    let n = 0;
    for await (const _k of this.db.keys(keys.range(PREFIX.journal))) n++;
    return n;
  }

  private group(): Group {
    if (this.next === null) this.next = { ops: [], waiters: [] };
    if (!this.scheduled && this.writing === null) {
      this.scheduled = true;
      setImmediate(() => this.commit());
    }
    return this.next;
  }

  private commit(): void {
    this.scheduled = false;
    const g = this.next;
    if (g === null || this.writing !== null) return;
    this.next = null;
    const batch = this.db.batch();
    for (const op of g.ops) {
      if (op.type === 'put') batch.put(op.key, op.value);
      else batch.del(op.key);
    }
    this.writing = batch
      .write({ sync: true })
      .then(
        () => {
          this.groupsCommitted++;
          this.onCommit();
          for (const w of g.waiters) w.resolve();
        },
        (e: unknown) => {
          for (const w of g.waiters) w.reject(e);
        },
      )
      .finally(() => {
        this.writing = null;
        if (this.next !== null) this.commit();
      });
  }
}
