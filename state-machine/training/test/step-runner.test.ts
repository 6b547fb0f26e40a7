// The buffer-reusing StepRunner against the plain executor (runStep): the same ops, the same output
// bits, the same errors, and the caller's tensors left alone.
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../../repops/backend.ts';
import { tensorHashHex } from '../../repops/tensor-hash.ts';
import { tensorF32, type Tensor } from '../../repops/tensor.ts';
import { VerityError } from '../../errors.ts';
import { bytesToHex } from '../../crypto/hash.ts';
import { stateRoot } from '../commitments.ts';
import { runOps, runStep, type DataSource, type StepResult } from '../executor.ts';
import type { GraphOp } from '../graph.ts';
import { initGraph } from '../init.ts';
import { stepGraph } from '../step-graph.ts';
import { StepRunner } from '../step-runner.ts';
import type { TaskSpec } from '../spec.ts';
import { cnnSpec, mlpSpec, syntheticData, transformerSpec } from './fixtures.ts';

const specs: [string, () => TaskSpec][] = [
  ['mlp', () => mlpSpec({ steps: 8 })],
  ['mlp-adamw', () => mlpSpec({ steps: 8, optimizer: { kind: 'adamw', lr: '0.001', weightDecay: '0.01' } })],
  ['cnn', () => ({ ...cnnSpec(), steps: 6 })],
  ['transformer', () => ({ ...transformerSpec(), steps: 6 })],
];

interface Trace {
  ops: GraphOp[];
  outputs: string[];
  state: string;
  loss: number;
}

/** Runs steps 1..T with `step`, recording every op, every output hash and C_t per step. */
function trace(spec: TaskSpec, c0: Tensor[], step: (t: number, state: readonly Tensor[], visit: (j: number, op: GraphOp, i: readonly Tensor[], out: Tensor) => void) => StepResult): Trace[] {
  let state: readonly Tensor[] = c0;
  const out: Trace[] = [];
  for (let t = 1; t <= spec.steps; t++) {
    const ops: GraphOp[] = [];
    const outputs: string[] = [];
    const r = step(t, state, (_j, op, _i, o) => {
      ops.push(op);
      outputs.push(tensorHashHex(o));
    });
    out.push({ ops, outputs, state: bytesToHex(stateRoot(r.state)), loss: r.loss });
    state = r.state;
  }
  return out;
}

function caught(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof VerityError ? e.code : String(e);
  }
  return 'no error';
}

describe.each(specs)('StepRunner (%s)', (_name, make) => {
  for (const be of availableBackends()) {
    it(`runs exactly stepGraph(spec, t) with runStep's output bits on ${be.name}`, () => {
      const spec = make();
      const data = syntheticData(spec);
      const c0 = runOps(be, initGraph(spec), [], data);
      const before = c0.map((t) => tensorHashHex(t));
      const plain = trace(spec, c0, (t, s, v) => runStep(be, stepGraph(spec, t), s, data, v));
      const runner = new StepRunner(be, data);
      const fast = trace(spec, c0, (t, s, v) => runner.run(stepGraph(spec, t), s, v));
      expect(fast.map((x) => x.outputs)).toEqual(plain.map((x) => x.outputs));
      expect(fast.map((x) => [x.state, x.loss])).toEqual(plain.map((x) => [x.state, x.loss]));
      fast.forEach((x, i) => expect(x.ops).toEqual(stepGraph(spec, i + 1).ops));
      // after the two recording steps, most ops replayed (all but data-checking ones and step-dependent attrs)
      expect(runner.counts.replayed + runner.counts.table).toBe(plain.reduce((n, x) => n + x.ops.length, 0));
      expect(runner.counts.replayed).toBeGreaterThan(0.5 * (spec.steps - 2) * plain[0].ops.length);
      // the caller's C_0 was read, never written
      expect(c0.map((t) => tensorHashHex(t))).toEqual(before);
    });
  }
});

describe.each(specs)('StepRunner buffer reuse (%s)', (_name, make) => {
  const be = availableBackends()[availableBackends().length - 1];

  it('does not depend on what its reused output buffers held', () => {
    const spec = make();
    const data = syntheticData(spec);
    const c0 = runOps(be, initGraph(spec), [], data);
    const plain = trace(spec, c0, (t, s, v) => runStep(be, stepGraph(spec, t), s, data, v));
    const runner = new StepRunner(be, data);
    let prev: StepResult | undefined;
    const poisoned = trace(spec, c0, (t, s, v) => {
      const r = runner.run(stepGraph(spec, t), s, v);
      // step t-1's outputs are dead once step t has read its state: fill them with NaNs and junk
      for (const o of prev?.outputs ?? []) {
        if (o.dtype === 'f32') o.data.fill(Number.NaN);
        else o.data.fill(-7);
      }
      prev = r;
      return r;
    });
    expect(poisoned).toEqual(plain);
  });
});

describe('StepRunner buffer reuse', () => {
  const spec = mlpSpec({ steps: 8 });
  const be = availableBackends()[availableBackends().length - 1];

  it('repeating a step from an older state (held by a tape) still gives runStep bits', () => {
    const data = syntheticData(spec);
    const c0 = runOps(be, initGraph(spec), [], data);
    const runner = new StepRunner(be, data);
    const r1 = runner.run(stepGraph(spec, 1), c0);
    const r2 = runner.run(stepGraph(spec, 2), r1.state);
    const keep2 = r2.state.map((t) => ({ ...t, data: t.data.slice() }) as Tensor);
    const r3 = runner.run(stepGraph(spec, 3), r2.state);
    const root3 = bytesToHex(stateRoot(r3.state));
    // r2.state lives in the tape that would run next: the runner must pick the other one
    const again = runner.run(stepGraph(spec, 3), r2.state);
    expect(bytesToHex(stateRoot(again.state))).toBe(root3);
    expect(bytesToHex(stateRoot(r2.state))).toBe(bytesToHex(stateRoot(keep2)));
    expect(root3).toBe(bytesToHex(stateRoot(runStep(be, stepGraph(spec, 3), keep2, data).state)));
  });

  it('reports a bad label at a replayed step exactly as runStep does', () => {
    // a sample of step 4's batch that steps 1-3 do not use gets an out-of-range label, so the error
    // comes at a step that replays recorded tapes
    const samplesOf = (t: number) => stepGraph(spec, t).ops.flatMap((o) => o.inputs).flatMap((r) => (r.kind === 'data' ? r.samples : []));
    const early = new Set([1, 2, 3].flatMap(samplesOf));
    const s = samplesOf(4).find((x) => !early.has(x));
    expect(s).toBeDefined();
    const data: DataSource = syntheticData(spec, { sample: s as number });
    const c0 = runOps(be, initGraph(spec), [], data);
    const runner = new StepRunner(be, data);
    let state: readonly Tensor[] = c0;
    for (let t = 1; t <= 3; t++) state = runner.run(stepGraph(spec, t), state).state;
    const expected = caught(() => runStep(be, stepGraph(spec, 4), state, data));
    expect(expected).toBe('REPOPS_INDEX');
    expect(caught(() => runner.run(stepGraph(spec, 4), state))).toBe(expected);
  });

  it('falls back to the opcode table for a state of the wrong shape (same error as runStep)', () => {
    const data = syntheticData(spec);
    const c0 = runOps(be, initGraph(spec), [], data);
    const runner = new StepRunner(be, data);
    const r2 = runner.run(stepGraph(spec, 2), runner.run(stepGraph(spec, 1), c0).state);
    const bad = r2.state.slice();
    const i = bad.findIndex((t) => t.shape.length === 2);
    bad[i] = tensorF32([bad[i].shape[0] + 1, bad[i].shape[1]]);
    const expected = caught(() => runStep(be, stepGraph(spec, 3), bad, data));
    expect(expected).toMatch(/^REPOPS_/);
    expect(caught(() => runner.run(stepGraph(spec, 3), bad))).toBe(expected);
  });
});
