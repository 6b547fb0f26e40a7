// A step executor for a training loop that reuses its buffers. The ops of a step graph have the same
// shapes and (except data and step-dependent attrs) the same arguments every step, so the first run
// records, per op, the kernel calls the op made through the opcode table; later steps replay those
// calls with the current input arrays patched in, writing into the same output buffers. No op's
// semantics are restated here: every call was made by the op itself, and anything not provably a pure
// kernel dispatch (data inputs, changed attrs, JS-side work, views of inputs) runs through the opcode
// table each step, exactly as runOps does. Results are bit-identical to runStep.
//
// Two tapes alternate, so a step never writes the arrays of the state it reads. The state (and every
// output) a run returns stays valid until the run after next: copy it to keep it longer.
import type { Kernels } from '../repops/kernels.ts';
import type { Backend } from '../repops/reference.ts';
import { opByCode } from '../repops/opcodes.ts';
import { sameShape, type Tensor } from '../repops/tensor.ts';
import { TrainingError } from './errors.ts';
import { resolveInput, runStep, type DataSource, type OpVisitor, type StepResult } from './executor.ts';
import type { GraphOp, InputRef, StepGraph } from './graph.ts';

/**
 * Opcodes whose op function only checks shapes and attrs, allocates its output (and scratch), and
 * hands typed arrays and attr-derived scalars to kernels: nothing it computes depends on input
 * values. Cross-entropy (label range checks), embedding (id checks), conv2d (bias added in JS),
 * reshape (a JS copy) and the initialisers are left out and always run through the opcode table.
 */
const REPLAYABLE = new Set<number>([
  1, 2, 3, 10, 11, 12, 13, 14, 15, 16,
  30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45,
  60, 61, 62, 63, 64, 65, 70, 71, 72, 73, 80, 81, 82,
  102, 103, 104, 105, 106, 107, 121, 122, 123, 124, 130, 131, 140, 141,
  160, 161, 162, 163, 164,
]);

type KernelFn = (...args: unknown[]) => void;

interface Call {
  fn: KernelFn;
  args: unknown[];
  /** [argument index, op input index]: the argument is that input's data, patched each step */
  patches: number[];
}

interface Slot {
  op: GraphOp;
  /** true: the recorded kernel calls replay the op; false: it runs through the opcode table */
  replay: boolean;
  output: Tensor;
  calls: Call[];
  /** the inputs as recorded: shape and dtype reference, reused const and data buffers */
  recorded: Tensor[];
  /** this step's resolved inputs (reused array) */
  inputs: Tensor[];
}

interface Tape {
  slots: Slot[];
  /** the output and batch arrays this tape rewrites, to refuse a state that lives in them */
  owned: Set<ArrayBufferView>;
  outputs: Tensor[];
}

function isView(x: unknown): x is ArrayBufferView {
  return ArrayBuffer.isView(x);
}

/** The backend with each kernel wrapped to append its calls to `sink.calls`. */
function recordingBackend(backend: Backend, sink: { calls: Call[] }): Backend {
  const kernels: Record<string, KernelFn> = {};
  for (const [name, f] of Object.entries(backend.kernels) as [string, KernelFn][]) {
    kernels[name] = (...args: unknown[]) => {
      sink.calls.push({ fn: f, args, patches: [] });
      f(...args);
    };
  }
  return { ...backend, kernels: kernels as unknown as Kernels };
}

/**
 * Links each array argument of the recorded calls to the op input it came from. Returns false when an
 * argument is a view into an input's buffer (it could not be patched) or the output shares an input's
 * memory, so the op is not replayable.
 */
function linkArgs(calls: Call[], inputs: readonly Tensor[], refs: readonly InputRef[], output: Tensor): boolean {
  // an output sharing memory with an input would be rewritten under a later reader
  if (inputs.some((t) => t.data.buffer === output.data.buffer)) return false;
  for (const c of calls) {
    for (let a = 0; a < c.args.length; a++) {
      const arg = c.args[a];
      if (!isView(arg) || arg === output.data) continue;
      const k = inputs.findIndex((t) => t.data === arg);
      if (k >= 0) {
        if (refs[k].kind !== 'const') c.patches.push(a, k);
        continue;
      }
      if (inputs.some((t) => t.data.buffer === arg.buffer)) return false;
    }
  }
  return true;
}

function sameAttrs(a: GraphOp['attrs'], b: GraphOp['attrs']): boolean {
  if (a === b) return true;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    const x = a[k], y = b[k];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}

function sameRefs(a: readonly InputRef[], b: readonly InputRef[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k], y = b[k];
    if (x === y) continue;
    if (x.kind !== y.kind) return false;
    if ((x.kind === 'op' || x.kind === 'state') && x.index !== (y as typeof x).index) return false;
    if (x.kind === 'const') return false;
    if (x.kind === 'data' && (x.field !== (y as typeof x).field || !sameShape(x.shape, (y as typeof x).shape))) return false;
  }
  return true;
}

/** The op is the recorded one up to the data samples: same opcode, attrs, references and shapes. */
function matches(op: GraphOp, slot: Slot): boolean {
  return op === slot.op || (op.opcode === slot.op.opcode && sameAttrs(op.attrs, slot.op.attrs) && sameRefs(op.inputs, slot.op.inputs));
}

export class StepRunner {
  private readonly tapes: (Tape | undefined)[] = [undefined, undefined];
  private last = 1;
  /** op executions served by replaying recorded kernel calls, and by the opcode table */
  readonly counts = { replayed: 0, table: 0 };

  constructor(
    private readonly backend: Backend,
    private readonly data: DataSource,
  ) {}

  /** Runs one step graph from `state`; the same result as runStep, bit for bit. */
  run(graph: StepGraph, state: readonly Tensor[], visit?: OpVisitor): StepResult {
    if (state.length !== graph.stateCount) {
      throw new TrainingError('STATE_MISMATCH', `step ${graph.step} needs ${graph.stateCount} state tensors, got ${state.length}`);
    }
    const q = this.pick(graph, state);
    if (q < 0) {
      this.counts.table += graph.ops.length;
      return runStep(this.backend, graph, state, this.data, visit);
    }
    const tape = this.tapes[q];
    const outputs = tape === undefined ? this.record(q, graph, state, visit) : this.replay(tape, graph, state, visit);
    this.last = q;
    return {
      outputs: outputs.slice(),
      state: outputs.slice(outputs.length - graph.stateCount),
      loss: outputs[graph.lossOp].data[0],
    };
  }

  /** The tape to run: the one that did not produce the previous state; -1 when neither is safe. */
  private pick(graph: StepGraph, state: readonly Tensor[]): number {
    for (const q of [1 - this.last, this.last]) {
      const tape = this.tapes[q];
      if (tape === undefined) return q;
      if (tape.slots.length !== graph.ops.length) continue;
      if (!state.some((s) => tape.owned.has(s.data))) return q;
    }
    return -1;
  }

  private record(q: number, graph: StepGraph, state: readonly Tensor[], visit?: OpVisitor): Tensor[] {
    const sink: { calls: Call[] } = { calls: [] };
    const recorder = recordingBackend(this.backend, sink);
    const outputs: Tensor[] = [];
    const slots: Slot[] = [];
    const owned = new Set<ArrayBufferView>();
    const refill = this.data.gatherInto !== undefined;
    graph.ops.forEach((op, j) => {
      const inputs = op.inputs.map((r) => resolveInput(r, j, outputs, state, this.data));
      const replayable = REPLAYABLE.has(op.opcode) && (refill || op.inputs.every((r) => r.kind !== 'data'));
      sink.calls = [];
      const out = opByCode(op.opcode).run(replayable ? recorder : this.backend, inputs, op.attrs);
      outputs.push(out);
      this.counts.table++;
      const replay = replayable && linkArgs(sink.calls, inputs, op.inputs, out);
      if (replay) owned.add(out.data);
      if (refill) op.inputs.forEach((r, k) => r.kind === 'data' && owned.add(inputs[k].data));
      slots.push({ op, replay, output: out, calls: replay ? sink.calls : [], recorded: inputs, inputs: inputs.slice() });
      if (visit) visit(j, op, inputs, out);
    });
    this.tapes[q] = { slots, owned, outputs: outputs.slice() };
    return outputs;
  }

  private replay(tape: Tape, graph: StepGraph, state: readonly Tensor[], visit?: OpVisitor): Tensor[] {
    const { slots, outputs } = tape;
    const ops = graph.ops;
    for (let j = 0; j < ops.length; j++) {
      const op = ops[j];
      const slot = slots[j];
      let out: Tensor;
      let inputs: readonly Tensor[];
      if (this.resolve(slot, op, outputs, state)) {
        inputs = slot.inputs;
        if (slot.replay) {
          for (const c of slot.calls) {
            const p = c.patches;
            for (let i = 0; i < p.length; i += 2) c.args[p[i]] = inputs[p[i + 1]].data;
            c.fn(...c.args);
          }
          out = slot.output;
          this.counts.replayed++;
        } else {
          out = opByCode(op.opcode).run(this.backend, inputs, op.attrs);
          this.counts.table++;
        }
      } else {
        inputs = op.inputs.map((r) => resolveInput(r, j, outputs, state, this.data));
        out = opByCode(op.opcode).run(this.backend, inputs, op.attrs);
        this.counts.table++;
      }
      outputs[j] = out;
      if (visit) visit(j, op, inputs, out);
    }
    return outputs;
  }

  /**
   * Fills slot.inputs for `op` (data refilled into the recorded buffers); false when the op differs
   * from the recorded one or an input's shape or dtype does (it then runs as runOps would).
   */
  private resolve(slot: Slot, op: GraphOp, outputs: readonly Tensor[], state: readonly Tensor[]): boolean {
    if (!matches(op, slot)) return false;
    const refs = op.inputs;
    for (let k = 0; k < refs.length; k++) {
      const r = refs[k];
      const rec = slot.recorded[k];
      let t: Tensor;
      if (r.kind === 'op') t = outputs[r.index];
      else if (r.kind === 'state') t = state[r.index];
      else if (r.kind === 'const') t = rec;
      else {
        if (this.data.gatherInto === undefined) return false;
        this.data.gatherInto(r, rec);
        t = rec;
      }
      if (t !== rec && (t.dtype !== rec.dtype || !sameShape(t.shape, rec.shape))) return false;
      slot.inputs[k] = t;
    }
    return true;
  }
}
