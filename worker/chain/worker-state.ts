// The worker's own state, one JSON file in its data directory, replaced atomically
// (infra/atomic-file.ts) after every change: the last block whose task events it processed, and
// each task it is working on with what it has done so far. After a crash (SIGKILL included) the
// worker resumes from exactly this: events after `lastBlock`, then every task still listed.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../infra/atomic-file.ts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { VerityError } from '../../state-machine/errors.ts';

export class WorkerStateError extends VerityError {
  constructor(message: string) {
    super('WORKER_STATE', message);
  }
}

/** A task this worker claimed, and how far it got. */
export interface SolverTaskRecord {
  phase: 'claimed' | 'trained' | 'committed';
  specHash: Hex;
  traceRoot?: Hex;
  modelHash?: Hex;
  /** the run's losses are published (reportLosses mined, or refused by the module) */
  lossesReported?: boolean;
}

/** A task this worker verifies: what it did per segment. */
export interface VerifierTaskRecord {
  /**
   * segment → what this worker did: attested; challenged; or found a mismatch it could not
   * challenge (the chain has no dispute game yet); or failed for good (no data set, deadline passed)
   */
  segments: Record<string, 'attested' | 'challenged' | 'mismatch' | 'failed'>;
  /** segments it forced on chain with requestData */
  requested: number[];
  /** checkpoint leaf → blocks of its data challenge (DataRequested, DataPosted) as seen in events */
  data: Record<string, { requestedAt?: string; postedAt?: string }>;
  /**
   * The challenge this worker made, to rebuild its side of the dispute after a restart: the segment
   * (0 = whole trace) and, for a segment, the solver's C_{(i-1)k} it started from with its proof.
   */
  challenge?: { segment: number; startRoot?: Hex; startProof?: Hex[] };
}

export interface WorkerStateData {
  v: 1;
  chainId: string;
  address: string;
  /** every task event up to and including this block has been processed */
  lastBlock: string;
  solving: Record<string, SolverTaskRecord>;
  verifying: Record<string, VerifierTaskRecord>;
  /** other tasks worth a look when a deadline passes (someone else's claim to expire, a window to finalize) */
  watching: string[];
  /** the last few finished tasks and how they ended, newest last */
  finished: { id: string; role: 'solver' | 'verifier'; outcome: string }[];
}

const MAX_FINISHED = 100;

export class WorkerState {
  readonly file: string;
  readonly data: WorkerStateData;

  private constructor(file: string, data: WorkerStateData) {
    this.file = file;
    this.data = data;
  }

  /** Opens (or creates) the state in `dir`; refuses a directory that belongs to another chain or key. */
  static open(dir: string, chainId: bigint, address: string): WorkerState {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'worker-state.json');
    if (!existsSync(file)) {
      const s = new WorkerState(file, {
        v: 1,
        chainId: chainId.toString(),
        address: address.toLowerCase(),
        lastBlock: '0',
        solving: {},
        verifying: {},
        watching: [],
        finished: [],
      });
      s.save();
      return s;
    }
    let data: WorkerStateData;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as WorkerStateData;
    } catch (e) {
      throw new WorkerStateError(`${file}: unreadable (${(e as Error).message})`);
    }
    if (data.v !== 1) throw new WorkerStateError(`${file}: unknown version ${String(data.v)}`);
    if (data.chainId !== chainId.toString()) throw new WorkerStateError(`${file} belongs to chain ${data.chainId}, the node is chain ${chainId}`);
    if (data.address !== address.toLowerCase()) throw new WorkerStateError(`${file} belongs to ${data.address}, the key is ${address}`);
    return new WorkerState(file, data);
  }

  get lastBlock(): bigint {
    return BigInt(this.data.lastBlock);
  }

  set lastBlock(n: bigint) {
    this.data.lastBlock = n.toString();
  }

  watch(id: bigint): void {
    const k = id.toString();
    if (!this.data.watching.includes(k)) this.data.watching.push(k);
  }

  unwatch(id: bigint): void {
    this.data.watching = this.data.watching.filter((w) => w !== id.toString());
  }

  finish(id: bigint, role: 'solver' | 'verifier', outcome: string): void {
    if (role === 'solver') delete this.data.solving[id.toString()];
    else delete this.data.verifying[id.toString()];
    this.data.finished.push({ id: id.toString(), role, outcome });
    if (this.data.finished.length > MAX_FINISHED) this.data.finished.splice(0, this.data.finished.length - MAX_FINISHED);
  }

  save(): void {
    writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
