// Runs a list of graph ops over a backend through the RepOps opcode table, resolving input references
// against the previous state, the data set and earlier outputs. The worker trains with it and the
// referee re-runs single ops with the same reference resolution.
import type { Backend } from '../repops/backend.ts';
import { f32 } from '../repops/f32.ts';
import { opByCode } from '../repops/opcodes.ts';
import { tensorF32, type Tensor } from '../repops/tensor.ts';
import { TrainingError } from './errors.ts';
import type { GraphOp, InputRef, StepGraph } from './graph.ts';

export type DataRef = Extract<InputRef, { kind: 'data' }>;

/** Supplies stacked data samples (the worker's data set, or proven samples on the referee side). */
export interface DataSource {
  gather(ref: DataRef): Tensor;
  /** Optional: refills `out` (a tensor `gather` returned for a reference of the same shape) in place. */
  gatherInto?(ref: DataRef, out: Tensor): void;
}

/** Called after each op with its index, the op, its resolved inputs and its output. */
export type OpVisitor = (j: number, op: GraphOp, inputs: readonly Tensor[], output: Tensor) => void;

export function constTensor(ref: Extract<InputRef, { kind: 'const' }>): Tensor {
  return tensorF32(ref.shape, ref.bits.map((b) => f32(b)));
}

export function resolveInput(ref: InputRef, j: number, outputs: readonly Tensor[], state: readonly Tensor[], data: DataSource): Tensor {
  switch (ref.kind) {
    case 'op':
      if (ref.index < 0 || ref.index >= j) throw new TrainingError('BAD_INPUT_REF', `op ${j} reads op ${ref.index}, not an earlier op`);
      return outputs[ref.index];
    case 'state':
      if (ref.index < 0 || ref.index >= state.length) throw new TrainingError('BAD_INPUT_REF', `op ${j} reads state ${ref.index} of ${state.length}`);
      return state[ref.index];
    case 'data':
      return data.gather(ref);
    case 'const':
      return constTensor(ref);
  }
}

/** Runs ops in order; returns every op's output. */
export function runOps(
  backend: Backend,
  ops: readonly GraphOp[],
  state: readonly Tensor[],
  data: DataSource,
  visit?: OpVisitor,
): Tensor[] {
  const outputs: Tensor[] = [];
  for (let j = 0; j < ops.length; j++) {
    const op = ops[j];
    const inputs = op.inputs.map((r) => resolveInput(r, j, outputs, state, data));
    const out = opByCode(op.opcode).run(backend, inputs, op.attrs);
    outputs.push(out);
    if (visit) visit(j, op, inputs, out);
  }
  return outputs;
}

export interface StepResult {
  outputs: Tensor[];
  /** C_t's tensors in canonical order: the outputs of the last `stateCount` ops */
  state: Tensor[];
  loss: number;
}

export function runStep(backend: Backend, graph: StepGraph, state: readonly Tensor[], data: DataSource, visit?: OpVisitor): StepResult {
  if (state.length !== graph.stateCount) {
    throw new TrainingError('STATE_MISMATCH', `step ${graph.step} needs ${graph.stateCount} state tensors, got ${state.length}`);
  }
  const outputs = runOps(backend, graph.ops, state, data, visit);
  return {
    outputs,
    state: outputs.slice(outputs.length - graph.stateCount),
    loss: outputs[graph.lossOp].data[0],
  };
}
