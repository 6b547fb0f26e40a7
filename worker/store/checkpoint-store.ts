// Checkpoint store on disk, content-addressed by C_t:
//   <dir>/checkpoints/<C_t hex>.ckpt   msgpack {v: 1, tensors: [{dtype, shape, data: LE bytes}]}
//   <dir>/runs/<spec hash hex>.json    run manifest: checkpoint steps and roots, traceRoot, result
// Every file is written with infra's atomic write (temp name, fsync, rename, directory fsync), so
// a crash leaves either the old file or the new one; with `background` those writes run on a worker
// thread in submission order. Reads re-hash and refuse a corrupt checkpoint.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../infra/atomic-file.ts';
import { bytesToHex, type Hex } from '../../state-machine/crypto/hash.ts';
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import { VerityError } from '../../state-machine/errors.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { stateRoot } from '../../state-machine/training/commitments.ts';
import { BackgroundWriter } from './background-writer.ts';

export class CheckpointError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('CHECKPOINT', message, data);
  }
}

interface StoredTensor {
  dtype: 'f32' | 'i32';
  shape: number[];
  data: Uint8Array;
}

interface StoredCheckpoint {
  v: 1;
  tensors: StoredTensor[];
}

export interface RunManifest {
  specHash: Hex;
  steps: number;
  checkpointInterval: number;
  /** checkpoints written so far, in step order */
  checkpoints: { step: number; root: Hex; /** training loss of the step that ended here */ loss?: number }[];
  traceRoot?: Hex;
  modelHash?: Hex;
  testAccuracy?: number;
  backend?: string;
}

/** A byte view of the tensor (the codec copies it). */
function toBytes(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

function fromStored(s: StoredTensor): Tensor {
  const n = s.shape.reduce((a, b) => a * b, 1);
  if (s.data.byteLength !== 4 * n) throw new CheckpointError('tensor byte length does not match its shape');
  const buf = s.data.slice().buffer;
  return s.dtype === 'f32'
    ? { dtype: 'f32', shape: s.shape, data: new Float32Array(buf) }
    : { dtype: 'i32', shape: s.shape, data: new Int32Array(buf) };
}

export interface CheckpointStoreOptions {
  /** write files on a background thread (training does not wait for fsync); reads flush first */
  background?: boolean;
}

export class CheckpointStore {
  readonly dir: string;
  private readonly ckptDir: string;
  private readonly runDir: string;
  private readonly writer: BackgroundWriter | undefined;
  private readonly queued = new Set<string>();

  constructor(dir: string, opts: CheckpointStoreOptions = {}) {
    this.dir = dir;
    this.writer = opts.background ? new BackgroundWriter() : undefined;
    this.ckptDir = join(dir, 'checkpoints');
    this.runDir = join(dir, 'runs');
    mkdirSync(this.ckptDir, { recursive: true });
    mkdirSync(this.runDir, { recursive: true });
  }

  private path(root: Hex): string {
    if (!/^0x[0-9a-f]{64}$/.test(root)) throw new CheckpointError(`not a checkpoint root: ${root}`);
    return join(this.ckptDir, `${root.slice(2)}.ckpt`);
  }

  private write(file: string, bytes: Uint8Array): void {
    if (this.writer === undefined) {
      writeFileAtomic(file, bytes);
      return;
    }
    this.queued.add(file);
    this.writer.write(file, bytes);
  }

  /** Waits until every queued write is durable (no-op for a synchronous store). */
  flush(): void {
    if (this.writer === undefined) return;
    this.writer.flush();
    this.queued.clear();
  }

  /** Flushes and stops the background thread. */
  async close(): Promise<void> {
    this.flush();
    await this.writer?.close();
  }

  has(root: Hex): boolean {
    const file = this.path(root);
    return this.queued.has(file) || existsSync(file);
  }

  /** Stores a state (no-op when the same root is already stored) and returns its root C_t. */
  put(state: readonly Tensor[], knownRoot?: Hex): Hex {
    const root = knownRoot ?? bytesToHex(stateRoot(state));
    const file = this.path(root);
    if (this.queued.has(file) || existsSync(file)) return root;
    const body: StoredCheckpoint = {
      v: 1,
      tensors: state.map((t) => ({ dtype: t.dtype, shape: t.shape.slice(), data: toBytes(t) })),
    };
    this.write(file, pack(body));
    return root;
  }

  get(root: Hex): Tensor[] {
    this.flush();
    const file = this.path(root);
    if (!existsSync(file)) throw new CheckpointError(`checkpoint ${root} is not in the store`, { root });
    const body = unpack<StoredCheckpoint>(readFileSync(file));
    if (body.v !== 1 || !Array.isArray(body.tensors)) throw new CheckpointError(`checkpoint ${root}: unknown format`);
    const state = body.tensors.map(fromStored);
    const actual = bytesToHex(stateRoot(state));
    if (actual !== root) throw new CheckpointError(`checkpoint ${root} is corrupt (hashes to ${actual})`, { root, actual });
    return state;
  }

  writeManifest(m: RunManifest): void {
    this.write(join(this.runDir, `${m.specHash.slice(2)}.json`), new TextEncoder().encode(`${JSON.stringify(m, null, 2)}\n`));
  }

  readManifest(specHash: Hex): RunManifest | undefined {
    this.flush();
    const file = join(this.runDir, `${specHash.slice(2)}.json`);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as RunManifest;
  }
}
