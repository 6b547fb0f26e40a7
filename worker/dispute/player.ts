// Plays one side of a Verde dispute by itself: posts its roots, reveals its children, proves the
// referee's inputs and calls the referee, and claims a timeout when the other side is silent. Each
// call to `act` reads the dispute and makes at most the moves that are due, so a restarted worker
// simply calls it again: the chain holds the game's whole state.
import { bytesToHex, type Hex } from '../../state-machine/crypto/hash.ts';
import type { MerkleTree } from '../../state-machine/merkle/tree.ts';
import { stateTree } from '../../state-machine/training/commitments.ts';
import { segmentSteps } from '../../state-machine/training/commitments.ts';
import { revealFrom } from '../../state-machine/modules/verde/descent.ts';
import { Level } from '../../state-machine/modules/verde/records.ts';
import type { verdeAbi } from '../../state-machine/modules/verde/abi.ts';
import type { ContractFunctionName } from 'viem';
import { sampleX, sampleY } from '../datasets/dataset.ts';
import type { Party } from './party.ts';

export type VerdeFn = ContractFunctionName<typeof verdeAbi, 'nonpayable'>;

/** The fields of IVerde.Dispute the player reads. */
export interface DisputeState {
  id: bigint;
  level: number;
  arity: number;
  segment: number;
  step: bigint;
  op: number;
  height: number;
  index: number;
  solverRoot: Hex;
  challengerRoot: Hex;
  solverMoved: boolean;
  challengerMoved: boolean;
  solverClock: bigint;
  challengerClock: bigint;
  roundStart: bigint;
}

/** How the player reaches the chain: eth_call views and transactions, or a test harness. */
export interface DisputeChain {
  dispute(id: bigint): Promise<DisputeState>;
  blockNumber(): Promise<bigint>;
  /** sends a verde call; resolves when included, rejects with the revert reason */
  send(fn: VerdeFn, args: readonly unknown[]): Promise<void>;
  clockBlocks: bigint;
}

const ZERO: Hex = `0x${'00'.repeat(32)}`;
const hexes = (t: MerkleTree, i: number): Hex[] => t.proof(i).siblings.map((s) => bytesToHex(s));

function bytesOf(t: { data: Float32Array | Int32Array }): Hex {
  return bytesToHex(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

export type ActResult = 'resolved' | 'moved' | 'waiting' | 'silent';

export class DisputePlayer {
  private moves = 0;

  constructor(
    private readonly chain: DisputeChain,
    readonly role: 'solver' | 'challenger',
    private readonly party: Party,
    private readonly silentAfter?: number,
  ) {}

  /** Makes every move now due in dispute `id`. */
  async act(id: bigint): Promise<ActResult> {
    const d = await this.chain.dispute(id);
    if (d.level === Level.Resolved) return 'resolved';
    if (this.silentAfter !== undefined && this.moves >= this.silentAfter) return 'silent';
    const mine = this.role === 'solver';
    const moved = mine ? d.solverMoved : d.challengerMoved;
    const myRoot = mine ? d.solverRoot : d.challengerRoot;
    if (d.level === Level.Referee) return this.referee(d);
    if ((d.level === Level.Steps || d.level === Level.Ops) && myRoot === ZERO) return this.move('postRoot', this.rootArgs(d));
    if (d.level === Level.Ops && d.solverRoot !== ZERO && d.solverRoot === d.challengerRoot) return this.proveOutputs(d);
    if (!moved && d.height > 0 && d.solverRoot !== ZERO && d.challengerRoot !== ZERO) {
      const tree = this.treeOf(d);
      const children = revealFrom(tree, { height: d.height, index: d.index, a: tree.root, b: tree.root }, d.arity);
      return this.move('reveal', [id, children.map((c) => bytesToHex(c))]);
    }
    return this.claimTimeout(d);
  }

  private async move(fn: VerdeFn, args: readonly unknown[]): Promise<ActResult> {
    await this.chain.send(fn, args);
    this.moves++;
    return 'moved';
  }

  private treeOf(d: DisputeState): MerkleTree {
    if (d.level === Level.Checkpoints) return this.party.traceTree();
    if (d.level === Level.Steps) return this.party.segmentTree(d.segment);
    return this.party.opTrace(Number(d.step)).tree;
  }

  private rootArgs(d: DisputeState): unknown[] {
    if (d.level === Level.Ops) return [d.id, bytesToHex(this.party.opTrace(Number(d.step)).tree.root), ZERO, [], []];
    const seg = this.party.segmentTree(d.segment);
    const last = seg.leafCount - 1;
    const claimProof = this.role === 'solver' ? hexes(this.party.traceTree(), d.segment) : [];
    return [d.id, bytesToHex(seg.root), bytesToHex(seg.node(0, last)), claimProof, hexes(seg, last)];
  }

  private async proveOutputs(d: DisputeState): Promise<ActResult> {
    const trace = this.party.opTrace(Number(d.step));
    const m = trace.graph.ops.length;
    const first = m - trace.graph.stateCount;
    const hashes: Hex[] = [];
    const proofs: Hex[] = [];
    for (let j = first; j < m; j++) {
      hashes.push(bytesToHex(trace.outputHashes[j]));
      proofs.push(...hexes(trace.tree, j));
    }
    return this.move('proveOutputs', [d.id, hashes, proofs]);
  }

  /** Proves the agreed state and every input of the disputed op, then asks for the re-run. */
  private async referee(d: DisputeState): Promise<ActResult> {
    const step = Number(d.step);
    const party = this.party;
    const trace = party.opTrace(step);
    const op = trace.graph.ops[d.op];
    const sends: [VerdeFn, unknown[]][] = [];
    if (step > 0 && op.inputs.some((r) => r.kind === 'state')) {
      const steps = segmentSteps(party.spec.steps, party.spec.checkpointInterval, d.segment);
      const s = steps.indexOf(step);
      const proof = s > 0 ? hexes(party.segmentTree(d.segment), s - 1) : party.start ? party.start.proof : hexes(party.traceTree(), d.segment - 1);
      sends.push(['proveState', [d.id, party.claim(step - 1), proof]]);
    }
    const prev = step > 0 ? party.stateAfter(step - 1) : [];
    op.inputs.forEach((ref, k) => {
      if (ref.kind === 'const') return;
      const t = trace.inputs[d.op][k];
      if (ref.kind === 'op') {
        sends.push(['proveInput', [d.id, k, t.dtype === 'f32' ? 0 : 1, t.shape, bytesOf(t), '0x', hexes(trace.tree, ref.index)]]);
      } else if (ref.kind === 'state') {
        sends.push(['proveInput', [d.id, k, t.dtype === 'f32' ? 0 : 1, t.shape, bytesOf(t), '0x', hexes(stateTree(prev), ref.index)]]);
      } else {
        const ds = party.dataset;
        const xs = ref.samples.map((s) => sampleX(ds.data, s));
        const ys = ref.samples.map((s) => sampleY(ds.data, s));
        const cat = (ts: { data: Float32Array | Int32Array }[]): Hex => `0x${ts.map((x) => bytesOf(x).slice(2)).join('')}`;
        const proof = ref.samples.flatMap((s) => hexes(ds.tree, s));
        sends.push(['proveInput', [d.id, k, xs[0].dtype === 'f32' ? 0 : 1, xs[0].shape, cat(xs), cat(ys), proof]]);
      }
    });
    sends.push(['referee', [d.id]]);
    for (const [fn, args] of sends) await this.chain.send(fn, args);
    this.moves++;
    return 'moved';
  }

  private async claimTimeout(d: DisputeState): Promise<ActResult> {
    const now = await this.chain.blockNumber();
    const elapsed = now - d.roundStart;
    const waitingForBoth = d.level === Level.Referee || (d.level === Level.Ops && d.solverRoot !== ZERO && d.solverRoot === d.challengerRoot);
    const late = waitingForBoth
      ? elapsed > this.chain.clockBlocks
      : (!d.solverMoved && elapsed > d.solverClock) || (!d.challengerMoved && elapsed > d.challengerClock);
    if (!late) return 'waiting';
    await this.chain.send('timeout', [d.id]);
    return 'moved';
  }
}
