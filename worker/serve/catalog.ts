// What the checkpoint server can answer: the traces this worker committed (their checkpoint roots
// in leaf order) and the checkpoint states behind them, read from the checkpoint store. Loaded
// states and trace trees are cached (a few states: they can be large).
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { bytesToHex, hexToBytes } from '../../state-machine/crypto/hash.ts';
import type { MerkleTree } from '../../state-machine/merkle/tree.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { checkpointSteps, stateTree, traceTree } from '../../state-machine/training/commitments.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';

export interface TraceEntry {
  traceRoot: Hex;
  steps: number;
  checkpointInterval: number;
  /** C_t of each checkpoint leaf, leaf order */
  roots: Hex[];
  tree: MerkleTree;
}

export interface LoadedCheckpoint {
  state: Tensor[];
  tree: MerkleTree;
}

const STATE_CACHE = 4;

export class CheckpointCatalog {
  private readonly traces = new Map<Hex, TraceEntry>();
  /** root → traces it is a leaf of, with its leaf index */
  private readonly leaves = new Map<Hex, { traceRoot: Hex; leaf: number }[]>();
  private readonly states = new Map<Hex, LoadedCheckpoint>();

  constructor(private readonly store: CheckpointStore) {}

  /** Makes a committed trace servable. `roots` are C_0, C_k, …, C_T. */
  register(steps: number, checkpointInterval: number, roots: Hex[]): TraceEntry {
    const expected = checkpointSteps(steps, checkpointInterval).length;
    if (roots.length !== expected) throw new Error(`trace has ${roots.length} checkpoint roots, want ${expected}`);
    const tree = traceTree(roots.map(hexToBytes));
    const traceRoot = bytesToHex(tree.root);
    if (this.traces.has(traceRoot)) return this.traces.get(traceRoot) as TraceEntry;
    const entry: TraceEntry = { traceRoot, steps, checkpointInterval, roots: roots.slice(), tree };
    this.traces.set(traceRoot, entry);
    roots.forEach((root, leaf) => {
      const list = this.leaves.get(root) ?? [];
      list.push({ traceRoot, leaf });
      this.leaves.set(root, list);
    });
    return entry;
  }

  trace(traceRoot: Hex): TraceEntry | undefined {
    return this.traces.get(traceRoot);
  }

  /** The traces `root` is a leaf of (empty: not a checkpoint this worker serves). */
  leafOf(root: Hex): { traceRoot: Hex; leaf: number }[] {
    return this.leaves.get(root) ?? [];
  }

  /** A served checkpoint's state (re-hashed by the store on load), or undefined. */
  load(root: Hex): LoadedCheckpoint | undefined {
    if (!this.leaves.has(root) || !this.store.has(root)) return undefined;
    const hit = this.states.get(root);
    if (hit) {
      this.states.delete(root);
      this.states.set(root, hit);
      return hit;
    }
    const state = this.store.get(root);
    const loaded = { state, tree: stateTree(state) };
    this.states.set(root, loaded);
    if (this.states.size > STATE_CACHE) this.states.delete(this.states.keys().next().value as Hex);
    return loaded;
  }
}
