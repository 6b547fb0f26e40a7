// Event-sourced state: the head state lives in memory; any older state is the nearest snapshot at or
// below the block (or genesis) with the log replayed on top through applyBlock, the same path a
// restart takes. Snapshots only make this faster; they never decide a root.
import type { Genesis } from '../../genesis/index.ts';
import { ChainState, applyBlock, genesisBlock, type BlockHeader, type Hex } from '../../state-machine/index.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { StoreError } from '../errors.ts';
import type { EventLog } from '../store/event-log.ts';

/** A snapshot's state, or null when its bytes do not decode (a damaged snapshot is only a cache miss). */
function decodeSnapshot(data: Uint8Array, genesis: Genesis): ChainState | null {
  try {
    return ChainState.fromSnapshot(data, genesis);
  } catch (e) {
    if (e instanceof VerityError) return null;
    throw e;
  }
}

/** Recently rebuilt historical states, so a client paging through one old block does not replay per call. */
const HISTORY_CACHE = 4;

export interface ReplayStats {
  /** the snapshot record the replay started from (null: genesis) */
  fromSnapshot: bigint | null;
  /** where that record's bytes are stored (an earlier block when it was a pointer) and their root */
  snapshotBytes: { source: bigint; root: Hex } | null;
  replayed: number;
}

export class StateHistory {
  private readonly cache = new Map<bigint, ChainState>();

  constructor(
    private readonly genesis: Genesis,
    private readonly log: EventLog,
    private readonly onReplay: (blocks: number) => void = () => undefined,
  ) {}

  /**
   * The state after block n, rebuilt from the nearest snapshot (or genesis) and the log. With
   * `useSnapshots: false` it replays from genesis (used to check that snapshots change nothing).
   */
  async rebuild(n: bigint, opts: { useSnapshots?: boolean } = {}): Promise<{ state: ChainState; header: BlockHeader; stats: ReplayStats }> {
    let state: ChainState | null = null;
    let from = 0n;
    let fromSnapshot: bigint | null = null;
    let snapshotBytes: ReplayStats['snapshotBytes'] = null;
    if (opts.useSnapshots !== false) {
      const snap = await this.log.snapshotAtOrBelow(n);
      if (snap) {
        const stored = await this.log.getBlock(snap.number);
        // A pointer record (an idle chain's unchanged state) stands for the bytes of an earlier
        // snapshot; they must hash to this block's root like any snapshot.
        const candidate = snap.data === null ? null : decodeSnapshot(snap.data, this.genesis);
        // A snapshot that is damaged or disagrees with its block's header is ignored: the log decides.
        if (candidate && stored && candidate.root() === stored.block.header.stateRoot) {
          state = candidate;
          from = snap.number;
          fromSnapshot = snap.number;
          snapshotBytes = { source: snap.source, root: stored.block.header.stateRoot };
        }
      }
    }
    if (state === null) {
      state = ChainState.fromGenesis(this.genesis);
      const g = await this.log.getBlock(0n);
      if (!g) throw new StoreError('the log has no genesis block');
      if (genesisBlock(this.genesis, state).hash !== g.block.hash) throw new StoreError('genesis block in the log does not match the genesis');
    }
    const start = await this.log.getBlock(from);
    if (!start) throw new StoreError(`block ${from} missing from the log`);
    let header = start.block.header;
    for await (const stored of this.log.blockRange(from + 1n, n)) {
      applyBlock(state, header, stored.block, stored.senders);
      header = stored.block.header;
    }
    const replayed = Number(n - from);
    if (replayed > 0) this.onReplay(replayed);
    return { state, header, stats: { fromSnapshot, snapshotBytes, replayed } };
  }

  /** Read-only state after block n (n below the head); cached for a few recent look-ups. */
  async at(n: bigint): Promise<ChainState> {
    const hit = this.cache.get(n);
    if (hit) {
      this.cache.delete(n);
      this.cache.set(n, hit);
      return hit;
    }
    const { state } = await this.rebuild(n);
    this.cache.set(n, state);
    if (this.cache.size > HISTORY_CACHE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return state;
  }
}
