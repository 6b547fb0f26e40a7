// The step graph: the fixed sequence of operator applications of one training step. It is a pure
// function of the spec and t (batch selection, AdamW bias correction), never of data, so the chain's
// referee derives exactly the ops the worker ran.
import type { Attrs } from '../repops/ops/attrs.ts';

export type { Attrs };

/** Where an op input comes from. */
export type InputRef =
  /** the output of op `index` of the same step (index < the consuming op's index) */
  | { kind: 'op'; index: number }
  /** tensor `index` of the training state C_{t-1}, in canonical order */
  | { kind: 'state'; index: number }
  /**
   * The data samples `samples` (dataset indices), their features (`x`) or labels (`y`) stacked in
   * that order, viewed with `shape` (the bytes are the concatenation of the samples' tensors).
   */
  | { kind: 'data'; field: 'x' | 'y'; samples: number[]; shape: number[] }
  /** a constant f32 tensor written into the graph, elements as u32 bit patterns (e.g. dloss = 1) */
  | { kind: 'const'; shape: number[]; bits: number[] };

export interface GraphOp {
  opcode: number;
  /** the opcode's name, for people; the opcode is what is committed */
  name: string;
  attrs: Attrs;
  inputs: InputRef[];
}

export interface StepGraph {
  step: number;
  ops: GraphOp[];
  /** op index of the loss (a scalar), for reporting */
  lossOp: number;
  /** number of state tensors; the last `stateCount` ops produce C_t in canonical order */
  stateCount: number;
}

/** One tensor of the training state, in canonical order. */
export interface StateSlot {
  name: string;
  shape: number[];
  /** initial value: uniform in [-bound, bound] (Kaiming/Xavier-uniform from the seed), or a constant */
  init: { kind: 'uniform'; bound: number } | { kind: 'const'; value: number };
}
