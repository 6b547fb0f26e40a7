// One party's view of a task in a dispute: the C_t it computed (or claims) for every step, its trace
// and segment trees, the op tree of any step and the referee's inputs with their proofs. It runs
// the spec's step graphs on RepOps with the party's behaviour applied (honest when none), so an
// honest party's trees are the real ones and a cheater's are the consistent record of its cheat.
import { bytesToHex, sha256, uintToBytes, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { MerkleTree } from '../../state-machine/merkle/tree.ts';
import type { Backend } from '../../state-machine/repops/backend.ts';
import { tensorHash } from '../../state-machine/repops/tensor-hash.ts';
import { cloneTensor, type Tensor } from '../../state-machine/repops/tensor.ts';
import { checkpointSteps, opLeaf, segmentSteps, stateRoot } from '../../state-machine/training/commitments.ts';
import { runOps, type DataSource, type OpVisitor } from '../../state-machine/training/executor.ts';
import type { GraphOp, StepGraph } from '../../state-machine/training/graph.ts';
import { initGraph } from '../../state-machine/training/init.ts';
import { graphOfStep } from '../../state-machine/training/graph-of-step.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import { StepRunner } from '../../state-machine/training/step-runner.ts';
import { stateLayout, stepGraph } from '../../state-machine/training/step-graph.ts';
import { dataSource } from '../datasets/gather.ts';
import type { CommittedDataset } from '../datasets/load.ts';
import type { Misbehaviour } from './behaviour.ts';

export interface OpTrace {
  step: number;
  graph: StepGraph;
  tree: MerkleTree;
  /** resolved inputs and output of every op */
  inputs: Tensor[][];
  outputs: Tensor[];
  outputHashes: Bytes[];
}

function flipLowestBit(t: Tensor): void {
  if (t.data.length === 0) return;
  const bits = new Uint32Array(t.data.buffer, t.data.byteOffset, 1);
  bits[0] ^= 1;
}

/**
 * Where a party's computation starts when it is not C_0: a spot-checker re-ran one segment from the
 * solver's C_{(i-1)k}, proven against the solver's traceRoot by `proof` (leaf i−1).
 */
export interface PartyStart {
  step: number;
  state: Tensor[];
  proof: Hex[];
}

export class Party {
  private readonly roots: Hex[] = [];
  private readonly saved = new Map<number, Tensor[]>();
  /** trees and traces already built: a dispute asks for the same ones round after round */
  private readonly memo = new Map<string, MerkleTree | OpTrace>();
  private readonly data: DataSource;
  readonly start?: PartyStart;

  constructor(
    readonly spec: TaskSpec,
    readonly dataset: CommittedDataset,
    readonly backend: Backend,
    readonly behaviour?: Misbehaviour,
    start?: PartyStart,
  ) {
    this.data = dataSource(dataset.data);
    this.start = start;
    const marks = new Set(checkpointSteps(spec.steps, spec.checkpointInterval));
    const from = start?.step ?? 0;
    let state = start ? start.state.map((s) => cloneTensor(s)) : this.initialState();
    this.record(from, state, marks);
    this.saved.set(from, state.map((s) => cloneTensor(s)));
    const runner = new StepRunner(backend, this.dataFor(0));
    for (let t = from + 1; t <= spec.steps; t++) {
      if (this.behaviour?.kind === 'data' && this.behaviour.step === t) state = runOps(backend, stepGraph(spec, t).ops, state, this.dataFor(t), undefined).slice(-state.length);
      else if (!(this.behaviour?.kind === 'skip' && this.behaviour.step === t)) state = runner.run(stepGraph(spec, t), state, this.visitor(t)).state;
      this.record(t, state, marks);
    }
  }

  private initialState(): Tensor[] {
    return runOps(this.backend, initGraph(this.spec), [], this.data, this.visitor(0));
  }

  private record(t: number, state: readonly Tensor[], marks: ReadonlySet<number>): void {
    this.roots[t] = bytesToHex(stateRoot(state));
    if (marks.has(t) || t === this.spec.steps) this.saved.set(t, state.map((s) => cloneTensor(s)));
  }

  /** The data source of step t: the wrong samples at the `data` cheat's step. */
  private dataFor(t: number): DataSource {
    const b = this.behaviour;
    if (b?.kind !== 'data' || b.step !== t) return this.data;
    const n = this.spec.dataset.samples - this.spec.dataset.test;
    return { gather: (ref) => this.data.gather({ ...ref, samples: ref.samples.map((s) => (s + 1) % n) }) };
  }

  private visitor(t: number): OpVisitor | undefined {
    const b = this.behaviour;
    if (b?.kind !== 'op' || b.step !== t) return undefined;
    return (j, _op, _inputs, out) => {
      if (j === b.op) flipLowestBit(out);
    };
  }

  /** C_t as the party claims it (a `checkpoint` cheat claims a made-up root at its step). */
  claim(t: number): Hex {
    const b = this.behaviour;
    if (b?.kind === 'checkpoint' && b.step === t) return bytesToHex(sha256(new TextEncoder().encode('wrong checkpoint'), uintToBytes(BigInt(t), 8)));
    return this.roots[t];
  }

  private remember<T extends MerkleTree | OpTrace>(key: string, make: () => T): T {
    let v = this.memo.get(key) as T | undefined;
    if (v === undefined) this.memo.set(key, (v = make()));
    return v;
  }

  traceTree(): MerkleTree {
    if (this.start) throw new RangeError('a party that started mid-run has no trace of its own');
    return this.remember('trace', () => new MerkleTree(checkpointSteps(this.spec.steps, this.spec.checkpointInterval).map((t) => hexBytes(this.claim(t)))));
  }

  segmentTree(segment: number): MerkleTree {
    return this.remember(`segment:${segment}`, () => new MerkleTree(segmentSteps(this.spec.steps, this.spec.checkpointInterval, segment).map((t) => hexBytes(this.claim(t)))));
  }

  /** The party's computed C_t tensors (replayed from the newest saved state at or before t). */
  stateAfter(t: number): Tensor[] {
    let from = this.start?.step ?? 0;
    for (const s of this.saved.keys()) if (s <= t && s > from) from = s;
    let state = (this.saved.get(from) ?? this.initialState()).map((s) => cloneTensor(s));
    for (let u = from + 1; u <= t; u++) {
      if (this.behaviour?.kind === 'skip' && this.behaviour.step === u) continue;
      state = runOps(this.backend, stepGraph(this.spec, u).ops, state, this.dataFor(u), this.visitor(u)).slice(-state.length);
    }
    return state;
  }

  /** Every op of step t re-run from the party's C_{t-1}, with its leaves' tree and tensors. */
  opTrace(t: number): OpTrace {
    return this.remember(`ops:${t}`, () => this.computeOpTrace(t));
  }

  private computeOpTrace(t: number): OpTrace {
    const graph = graphOfStep(this.spec, t);
    const prev = t === 0 ? [] : this.stateAfter(t - 1);
    const inputs: Tensor[][] = [];
    const outputs: Tensor[] = [];
    const outputHashes: Bytes[] = [];
    const leaves: Bytes[] = [];
    const flip = this.visitor(t);
    runOps(this.backend, graph.ops, prev, this.dataFor(t), (j: number, op: GraphOp, ins: readonly Tensor[], out: Tensor) => {
      flip?.(j, op, ins, out);
      const h = tensorHash(out);
      inputs.push(ins.map((x) => cloneTensor(x)));
      outputs.push(out);
      outputHashes.push(h);
      leaves.push(opLeaf(j, op.opcode, h));
    });
    return { step: t, graph, tree: new MerkleTree(leaves), inputs, outputs, outputHashes };
  }
}

export function hexBytes(h: Hex): Bytes {
  return Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
}
