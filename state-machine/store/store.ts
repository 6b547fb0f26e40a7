// The one keyed state store. Keys are [module prefix byte ‖ module-defined subkey]; values are the
// module's ABI-encoded bytes. Writes are journaled so a failed call (or a rejected block) can be
// undone with nested checkpoint/commit/revert; the Merkle commitment is brought up to date only in
// root(), for the keys touched since the last root() (O(log n) hashes each).
// Values handed in and out are shared, never copied: callers must not mutate them.
import { pack, unpack } from '../codec/msgpack.ts';
import { VerityError } from '../errors.ts';
import { bytesToHex, sha256, sha256Of, type Bytes, type Hex } from '../crypto/hash.ts';
import { makeLeaf, nodeHash, smtBuild, smtDelete, smtPut, smtWalk, type LeafNode, type SmtNode } from './smt.ts';
import { proofFromWalk, type StateProof } from './proof.ts';

export class StoreError extends VerityError {
  constructor(message: string) {
    super('STORE', message);
  }
}

interface JournalEntry {
  key: string;
  prev: Bytes | undefined;
}

const SNAPSHOT_VERSION = 1;

interface SnapshotBody {
  version: number;
  entries: [Uint8Array, Uint8Array][];
}

/** ids of key arrays seen before: modules reuse key instances (accountKey caches them), keys are never mutated */
const ids = new WeakMap<Bytes, string>();

function keyId(key: Bytes): string {
  let id = ids.get(key);
  if (id === undefined) {
    id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
    ids.set(key, id);
  }
  return id;
}

function idKey(id: string): Bytes {
  return new Uint8Array(Buffer.from(id, 'hex'));
}

export class StateStore {
  private values: Map<string, Bytes>;
  private tree: SmtNode | null;
  private dirty: Set<string>;
  private journal: JournalEntry[] = [];
  private marks: number[] = [];

  constructor() {
    this.values = new Map();
    this.tree = null;
    this.dirty = new Set();
  }

  static fromEntries(entries: Iterable<readonly [Bytes, Bytes]>): StateStore {
    const s = new StateStore();
    for (const [k, v] of entries) s.set(k, v);
    return s;
  }

  static fromSnapshot(bytes: Uint8Array): StateStore {
    let body: SnapshotBody;
    try {
      body = unpack<SnapshotBody>(bytes);
    } catch (e) {
      throw new StoreError(`state snapshot does not decode: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (body === null || typeof body !== 'object' || body.version !== SNAPSHOT_VERSION || !Array.isArray(body.entries)) {
      throw new StoreError('not a state snapshot of a supported version');
    }
    const s = new StateStore();
    for (const e of body.entries) {
      if (!Array.isArray(e) || !(e[0] instanceof Uint8Array) || !(e[1] instanceof Uint8Array)) {
        throw new StoreError('malformed snapshot entry');
      }
      s.set(e[0], e[1]);
    }
    return s;
  }

  get size(): number {
    return this.values.size;
  }

  get(key: Bytes): Bytes | undefined {
    return this.values.get(keyId(key));
  }

  has(key: Bytes): boolean {
    return this.values.has(keyId(key));
  }

  set(key: Bytes, value: Bytes): void {
    if (key.length === 0) throw new StoreError('empty key');
    this.write(keyId(key), value);
  }

  delete(key: Bytes): void {
    const id = keyId(key);
    if (this.values.has(id)) this.write(id, undefined);
  }

  private write(id: string, value: Bytes | undefined): void {
    if (this.marks.length > 0) this.journal.push({ key: id, prev: this.values.get(id) });
    if (value === undefined) this.values.delete(id);
    else this.values.set(id, value);
    this.dirty.add(id);
  }

  /** Opens a nested journal level. */
  checkpoint(): void {
    this.marks.push(this.journal.length);
  }

  /** Keeps the writes since the matching checkpoint (they stay revertible by an outer level). */
  commit(): void {
    const mark = this.marks.pop();
    if (mark === undefined) throw new StoreError('commit without checkpoint');
    if (this.marks.length === 0) this.journal.length = 0;
  }

  /** Undoes every write since the matching checkpoint. */
  revert(): void {
    const mark = this.marks.pop();
    if (mark === undefined) throw new StoreError('revert without checkpoint');
    for (let i = this.journal.length - 1; i >= mark; i--) {
      const { key, prev } = this.journal[i];
      if (prev === undefined) this.values.delete(key);
      else this.values.set(key, prev);
      this.dirty.add(key);
    }
    this.journal.length = mark;
  }

  get depth(): number {
    return this.marks.length;
  }

  /**
   * Every key written since the outermost open checkpoint, once, with its value from before that
   * checkpoint and its value now (undefined = absent). O(writes): lets a block check invariants over
   * what it touched instead of walking the whole state.
   */
  changesSinceCheckpoint(): { key: Bytes; before: Bytes | undefined; after: Bytes | undefined }[] {
    if (this.marks.length === 0) throw new StoreError('no open checkpoint');
    const seen = new Set<string>();
    const out: { key: Bytes; before: Bytes | undefined; after: Bytes | undefined }[] = [];
    for (let i = this.marks[0]; i < this.journal.length; i++) {
      const { key, prev } = this.journal[i];
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key: idKey(key), before: prev, after: this.values.get(key) });
    }
    return out;
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    if (this.tree === null && this.dirty.size > 1) {
      // Empty tree: build it in one pass (genesis, snapshot restore).
      const leaves: LeafNode[] = [];
      for (const [id, v] of this.values) leaves.push(makeLeaf(sha256Of(idKey(id)), sha256Of(v)));
      this.tree = smtBuild(leaves);
      this.dirty.clear();
      return;
    }
    let tree = this.tree;
    for (const id of this.dirty) {
      const path = sha256Of(idKey(id));
      const v = this.values.get(id);
      tree = v === undefined ? smtDelete(tree, 0, path) : smtPut(tree, 0, makeLeaf(path, sha256Of(v)));
    }
    this.tree = tree;
    this.dirty.clear();
  }

  /** The state commitment (32 bytes). */
  root(): Bytes {
    this.flush();
    return nodeHash(this.tree);
  }

  rootHex(): Hex {
    return bytesToHex(this.root());
  }

  /** Inclusion proof if `key` is present, exclusion proof otherwise; verify with verifyStateProof. */
  prove(key: Bytes): StateProof {
    this.flush();
    const path = sha256(key);
    const { siblings, bottom } = smtWalk(this.tree, path);
    return proofFromWalk(siblings, bottom, path);
  }

  /** Entries sorted by key bytes (deterministic export order). */
  entries(): [Bytes, Bytes][] {
    const ids = [...this.values.keys()].sort();
    return ids.map((id) => [idKey(id), this.values.get(id) as Bytes]);
  }

  /** Entries whose key starts with `prefix`, sorted by key. */
  entriesWithPrefix(prefix: Bytes): [Bytes, Bytes][] {
    const p = keyId(prefix);
    const ids = [...this.values.keys()].filter((id) => id.startsWith(p)).sort();
    return ids.map((id) => [idKey(id), this.values.get(id) as Bytes]);
  }

  snapshot(): Uint8Array {
    if (this.marks.length > 0) throw new StoreError('snapshot inside an open checkpoint');
    const body: SnapshotBody = { version: SNAPSHOT_VERSION, entries: this.entries() };
    return pack(body);
  }

  /** Independent copy; O(entries) for the value map, O(1) for the tree (nodes are shared, immutable). */
  clone(): StateStore {
    if (this.marks.length > 0) throw new StoreError('clone inside an open checkpoint');
    const c = new StateStore();
    c.values = new Map(this.values);
    c.tree = this.tree;
    c.dirty = new Set(this.dirty);
    return c;
  }
}
