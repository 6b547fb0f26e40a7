// stepGraph(spec, t): the ops of training step t ≥ 1, derived from the spec alone.
//   1. inputs: the batch's features (scaled by dataset.inputScale unless it is 1) and labels
//   2. the model's forward pass, the mean cross-entropy loss, its gradient (dloss = 1), the backward pass
//   3. the optimiser update: the last ops produce C_t's tensors in canonical order (stateLayout)
// evalGraph gives the forward pass alone over any sample list (test accuracy; never committed).
import { bitsOf } from '../repops/f32.ts';
import { batchIndices } from './batches.ts';
import { GraphBuilder, type Ref } from './builder.ts';
import { TrainingError } from './errors.ts';
import type { GraphOp, StateSlot, StepGraph } from './graph.ts';
import { cnnGraph, cnnParams } from './models/cnn.ts';
import type { ModelGraph } from './models/model.ts';
import { mlpGraph, mlpParams } from './models/mlp.ts';
import { transformerGraph, transformerParams } from './models/transformer.ts';
import { appendUpdate, optimizerSlots } from './optimizer-ops.ts';
import type { ModelSpec, TaskSpec } from './spec.ts';

export function modelParams(model: ModelSpec): StateSlot[] {
  switch (model.kind) {
    case 'mlp':
      return mlpParams(model);
    case 'cnn':
      return cnnParams(model);
    case 'transformer':
      return transformerParams(model);
  }
}

/** The training state in canonical order: optimiser slots, then the model parameters. */
export function stateLayout(spec: TaskSpec): StateSlot[] {
  const params = modelParams(spec.model);
  return [...optimizerSlots(spec.optimizer, params), ...params];
}

function modelGraph(model: ModelSpec, base: number): ModelGraph {
  switch (model.kind) {
    case 'mlp':
      return mlpGraph(model, base);
    case 'cnn':
      return cnnGraph(model, base);
    case 'transformer':
      return transformerGraph(model, base);
  }
}

/** Shape of the stacked features of `rows` samples as the model consumes them. */
function inputShape(model: ModelSpec, rows: number): number[] {
  switch (model.kind) {
    case 'mlp':
      return [rows, model.layers[0]];
    case 'cnn':
      return [rows, ...model.input];
    case 'transformer':
      return [rows, model.context];
  }
}

function appendInputs(b: GraphBuilder, spec: TaskSpec, samples: number[]): { x: Ref; y: Ref } {
  const rows = samples.length;
  let x: Ref = { kind: 'data', field: 'x', samples, shape: inputShape(spec.model, rows) };
  if (spec.model.kind !== 'transformer' && spec.dataset.inputScale !== 1) {
    x = b.op('scale', [x], { s: bitsOf(spec.dataset.inputScale) });
  }
  const yShape = spec.model.kind === 'transformer' ? [rows * spec.model.context] : [rows];
  return { x, y: { kind: 'data', field: 'y', samples, shape: yShape } };
}

const ONE: Ref = { kind: 'const', shape: [], bits: [0x3f800000] };

function buildStepGraph(spec: TaskSpec, t: number, batch: number[]): StepGraph {
  const b = new GraphBuilder();
  const params = modelParams(spec.model);
  const base = optimizerSlots(spec.optimizer, params).length;
  const { x, y } = appendInputs(b, spec, batch);
  const { loss, grads } = modelGraph(spec.model, base).forwardBackward(b, x, spec.batchSize, (logits) => ({
    loss: b.op('cross_entropy', [logits, y]),
    dLogits: b.op('cross_entropy_backward', [logits, y, ONE]),
  }));
  appendUpdate(b, spec.optimizer, t, grads, base);
  return { step: t, ops: b.ops, lossOp: loss.index, stateCount: base + params.length };
}

// Only the batch (data references) and AdamW's step attribute change with t, so each spec's graph is
// built once and later steps copy just the ops that carry them (the rest are shared, never mutated).
interface Template {
  graph: StepGraph;
  varying: number[];
}
const templates = new WeakMap<TaskSpec, Template>();

function template(spec: TaskSpec): Template {
  let tpl = templates.get(spec);
  if (tpl === undefined) {
    const graph = buildStepGraph(spec, 1, batchIndices(spec, 1));
    const varying: number[] = [];
    graph.ops.forEach((op, j) => {
      if (op.name === 'adamw_param' || op.inputs.some((r) => r.kind === 'data')) varying.push(j);
    });
    tpl = { graph, varying };
    templates.set(spec, tpl);
  }
  return tpl;
}

export function stepGraph(spec: TaskSpec, t: number): StepGraph {
  if (!Number.isSafeInteger(t) || t < 1 || t > spec.steps) throw new TrainingError('STEP_RANGE', `step ${t} outside 1..${spec.steps}`);
  const { graph, varying } = template(spec);
  if (t === 1) return graph;
  const batch = batchIndices(spec, t);
  const ops = graph.ops.slice();
  for (const j of varying) {
    const op = ops[j];
    ops[j] = {
      ...op,
      inputs: op.inputs.map((r) => (r.kind === 'data' ? { ...r, samples: batch } : r)),
      attrs: op.name === 'adamw_param' ? { ...op.attrs, step: t } : op.attrs,
    };
  }
  return { ...graph, step: t, ops };
}

/** Forward-only ops over `samples`; the last op is argmax of the logits (i32 predictions). */
export function evalGraph(spec: TaskSpec, samples: number[]): GraphOp[] {
  const b = new GraphBuilder();
  const base = stateLayout(spec).length - modelParams(spec.model).length;
  const { x } = appendInputs(b, spec, samples);
  b.op('argmax', [modelGraph(spec.model, base).forward(b, x, samples.length)]);
  return b.ops;
}
