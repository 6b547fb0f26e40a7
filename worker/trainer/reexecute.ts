// Re-execution of one step from its predecessor state, with the records and proofs a dispute needs:
// opRoot_t and every op's record (j, opcode, attrs, input references, output hash), optionally the
// input and output tensors, and Merkle proofs for state tensors (against C_t), op leaves (against
// opRoot_t), data samples (against the data set root) and checkpoints (against traceRoot).
import { bytesToHex, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import type { MerkleProof, MerkleTree } from '../../state-machine/merkle/tree.ts';
import type { Backend } from '../../state-machine/repops/backend.ts';
import { tensorHash } from '../../state-machine/repops/tensor-hash.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { opLeaf, opTree, stateRoot, stateTree, checkpointLeafIndex, traceTree } from '../../state-machine/training/commitments.ts';
import { runStep } from '../../state-machine/training/executor.ts';
import type { Attrs, InputRef } from '../../state-machine/training/graph.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import { stepGraph } from '../../state-machine/training/step-graph.ts';
import { TrainingError } from '../../state-machine/training/errors.ts';
import { sampleX, sampleY } from '../datasets/dataset.ts';
import { dataSource } from '../datasets/gather.ts';
import type { CommittedDataset } from '../datasets/load.ts';

export interface OpRecord {
  j: number;
  opcode: number;
  name: string;
  attrs: Attrs;
  inputs: InputRef[];
  outputHash: Hex;
}

export interface StepTrace {
  step: number;
  /** C_{t-1} */
  prevStateRoot: Hex;
  /** C_t */
  stateRoot: Hex;
  opRoot: Hex;
  loss: number;
  records: OpRecord[];
  newState: Tensor[];
  opTree: MerkleTree;
  stateTree: MerkleTree;
  /** with keepTensors: each op's resolved inputs and its output */
  inputs?: Tensor[][];
  outputs?: Tensor[];
}

export interface ReexecuteOptions {
  spec: TaskSpec;
  dataset: CommittedDataset;
  backend: Backend;
  /** C_{t-1}'s tensors in canonical order */
  prevState: Tensor[];
  step: number;
  keepTensors?: boolean;
}

export function reexecuteStep(o: ReexecuteOptions): StepTrace {
  const graph = stepGraph(o.spec, o.step);
  const leaves: Bytes[] = [];
  const records: OpRecord[] = [];
  const inputs: Tensor[][] = [];
  const r = runStep(o.backend, graph, o.prevState, dataSource(o.dataset.data), (j, op, ins, out) => {
    const h = tensorHash(out);
    leaves.push(opLeaf(j, op.opcode, h));
    records.push({ j, opcode: op.opcode, name: op.name, attrs: op.attrs, inputs: op.inputs, outputHash: bytesToHex(h) });
    if (o.keepTensors) inputs.push(ins.slice());
  });
  const ops = opTree(leaves);
  const st = stateTree(r.state);
  const trace: StepTrace = {
    step: o.step,
    prevStateRoot: bytesToHex(stateRoot(o.prevState)),
    stateRoot: bytesToHex(st.root),
    opRoot: bytesToHex(ops.root),
    loss: r.loss,
    records,
    newState: r.state,
    opTree: ops,
    stateTree: st,
  };
  if (o.keepTensors) {
    trace.inputs = inputs;
    trace.outputs = r.outputs;
  }
  return trace;
}

export interface LeafProof {
  leaf: Bytes;
  proof: MerkleProof;
}

/** Proof of op j's leaf against opRoot_t. */
export function opLeafProof(trace: StepTrace, j: number): LeafProof {
  return { leaf: trace.opTree.node(0, j), proof: trace.opTree.proof(j) };
}

/** Proof of tensor i of C_t against C_t. */
export function stateTensorProof(trace: StepTrace, i: number): LeafProof {
  return { leaf: trace.stateTree.node(0, i), proof: trace.stateTree.proof(i) };
}

/** Proof of tensor i of any state against that state's root. */
export function tensorProofIn(state: readonly Tensor[], i: number): LeafProof {
  const tree = stateTree(state);
  return { leaf: tree.node(0, i), proof: tree.proof(i) };
}

/** A data sample's tensors and its proof against the data set root. */
export function sampleProof(ds: CommittedDataset, i: number): LeafProof & { x: Tensor; y: Tensor } {
  return { x: sampleX(ds.data, i), y: sampleY(ds.data, i), leaf: ds.tree.node(0, i), proof: ds.tree.proof(i) };
}

/** Proof of checkpoint C_step against traceRoot, from the run's checkpoint roots in step order. */
export function checkpointProof(spec: TaskSpec, checkpointRoots: readonly Bytes[], step: number): LeafProof {
  const index = checkpointLeafIndex(step, spec.steps, spec.checkpointInterval);
  if (index < 0) throw new TrainingError('STEP_RANGE', `step ${step} is not a checkpoint step`);
  const tree = traceTree(checkpointRoots);
  return { leaf: tree.node(0, index), proof: tree.proof(index) };
}
