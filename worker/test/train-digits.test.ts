// The digits MLP end to end: accuracy, determinism across runs and backends, the executed op
// sequence against the derived graph, re-execution from checkpoints, and proofs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexToBytes } from '../../state-machine/crypto/hash.ts';
import { availableBackends, getBackend } from '../../state-machine/repops/backend.ts';
import { tensorHash } from '../../state-machine/repops/tensor-hash.ts';
import { opByCode } from '../../state-machine/repops/opcodes.ts';
import { resolveInput } from '../../state-machine/training/executor.ts';
import type { GraphOp } from '../../state-machine/training/graph.ts';
import { verifyCheckpoint, verifyOpLeaf, verifyStateTensor } from '../../state-machine/training/proofs.ts';
import { stepGraph } from '../../state-machine/training/step-graph.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { dataSource } from '../datasets/gather.ts';
import { loadSpecDataset, type CommittedDataset } from '../datasets/load.ts';
import { checkpointProof, opLeafProof, reexecuteStep, stateTensorProof } from '../trainer/reexecute.ts';
import { readSpecFile } from '../trainer/spec-file.ts';
import { stateAt } from '../trainer/state-at.ts';
import { segmentCommitment } from '../trainer/segment.ts';
import { train, type TrainResult } from '../trainer/train.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'verity-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let spec: TaskSpec;
let ds: CommittedDataset;
let store: CheckpointStore;
let run: TrainResult;
const executed = new Map<number, Pick<GraphOp, 'opcode' | 'attrs' | 'inputs'>[]>();

beforeAll(() => {
  const f = readSpecFile(join(import.meta.dirname, '..', 'examples', 'digits-mlp.json'));
  spec = f.spec;
  ds = loadSpecDataset(spec, f.baseDir);
  store = new CheckpointStore(dir);
  run = train({
    spec,
    dataset: ds,
    backend: getBackend('ts'),
    store,
    onOp: (t, _j, op) => {
      const list = executed.get(t) ?? [];
      list.push({ opcode: op.opcode, attrs: op.attrs, inputs: op.inputs });
      executed.set(t, list);
    },
  });
});

describe('digits MLP on RepOps', () => {
  it('reaches at least 90% test accuracy', () => {
    expect(run.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(run.losses[run.losses.length - 1]).toBeLessThan(run.losses[0]);
  });

  it('executes exactly the derived step graph', () => {
    expect(executed.size).toBe(spec.steps);
    for (const t of [1, 2, 137, spec.steps]) {
      const derived = stepGraph(spec, t).ops.map((o) => ({ opcode: o.opcode, attrs: o.attrs, inputs: o.inputs }));
      expect(executed.get(t)).toEqual(derived);
    }
  });

  it('gives the same traceRoot on a second run and on every available backend', () => {
    for (const b of availableBackends()) {
      const again = train({ spec, dataset: ds, backend: b, skipEval: true });
      expect({ backend: b.name, traceRoot: again.traceRoot }).toEqual({ backend: b.name, traceRoot: run.traceRoot });
      expect(again.checkpoints).toEqual(run.checkpoints);
    }
  });

  it('re-executes steps from stored checkpoints to the committed C_t, with verifying proofs', () => {
    const byStep = new Map(run.checkpoints.map((c) => [c.step, c.root]));
    const roots = run.checkpoints.map((c) => hexToBytes(c.root));
    const traceRoot = hexToBytes(run.traceRoot as string);
    for (const t of [spec.checkpointInterval, 4 * spec.checkpointInterval, spec.steps]) {
      const prev = stateAt(spec, ds, getBackend('ts'), t - 1, store);
      expect(prev.from.step).toBe(t - spec.checkpointInterval);
      const tr = reexecuteStep({ spec, dataset: ds, backend: getBackend('ts'), prevState: prev.state, step: t, keepTensors: true });
      expect(tr.stateRoot).toBe(byStep.get(t));

      const cp = checkpointProof(spec, roots, t);
      expect(verifyCheckpoint(traceRoot, hexToBytes(tr.stateRoot), t, spec.steps, spec.checkpointInterval, cp.proof)).toBe(true);
      expect(verifyCheckpoint(traceRoot, hexToBytes(tr.prevStateRoot), t, spec.steps, spec.checkpointInterval, cp.proof)).toBe(false);

      const C = hexToBytes(tr.stateRoot);
      const n = tr.newState.length;
      for (let i = 0; i < n; i++) {
        const p = stateTensorProof(tr, i);
        expect(verifyStateTensor(C, tr.newState[i], i, n, p.proof)).toBe(true);
        const bad = { ...tr.newState[i], data: tr.newState[i].data.slice() } as typeof tr.newState[number];
        bad.data[0] = bad.data[0] + 1;
        expect(verifyStateTensor(C, bad, i, n, p.proof)).toBe(false);
        expect(verifyStateTensor(C, tr.newState[i], (i + 1) % n, n, { ...p.proof, index: (i + 1) % n })).toBe(false);
      }

      const opRoot = hexToBytes(tr.opRoot);
      const m = tr.records.length;
      for (const rec of tr.records) {
        const p = opLeafProof(tr, rec.j);
        expect(verifyOpLeaf(opRoot, rec.j, rec.opcode, hexToBytes(rec.outputHash), m, p.proof)).toBe(true);
        expect(verifyOpLeaf(opRoot, rec.j, rec.opcode + 1, hexToBytes(rec.outputHash), m, p.proof)).toBe(false);
        const sib = p.proof.siblings.map((s, k) => (k === 0 ? s.map((x, q) => (q === 0 ? x ^ 1 : x)) : s));
        expect(verifyOpLeaf(opRoot, rec.j, rec.opcode, hexToBytes(rec.outputHash), m, { ...p.proof, siblings: sib })).toBe(false);
      }
    }
  });

  it('gives the same opRoot for a step on every available backend', () => {
    const prev = stateAt(spec, ds, getBackend('ts'), 76, store);
    const traces = availableBackends().map((b) => reexecuteStep({ spec, dataset: ds, backend: b, prevState: prev.state, step: 77 }));
    for (const tr of traces) {
      expect(tr.opRoot).toBe(traces[0].opRoot);
      expect(tr.records).toEqual(traces[0].records);
    }
  });

  it('commits a segment of steps whose last leaf is the segment checkpoint', () => {
    const k = spec.checkpointInterval;
    const seg = segmentCommitment(spec, ds, getBackend('native'), 2, store);
    expect(seg.steps).toEqual(Array.from({ length: k }, (_, i) => k + 1 + i));
    expect(seg.roots[k - 1]).toBe(run.checkpoints[2].root);
    const prev = stateAt(spec, ds, getBackend('ts'), k, store);
    const first = reexecuteStep({ spec, dataset: ds, backend: getBackend('ts'), prevState: prev.state, step: k + 1 });
    expect(seg.roots[0]).toBe(first.stateRoot);
    expect(new Set(seg.roots).size).toBe(k);
  });

  it('lets a referee recompute any single op from its proven inputs', () => {
    const t = 123;
    const prev = stateAt(spec, ds, getBackend('ts'), t - 1, store);
    const tr = reexecuteStep({ spec, dataset: ds, backend: getBackend('ts'), prevState: prev.state, step: t, keepTensors: true });
    const ops = stepGraph(spec, t).ops;
    const outputs = tr.outputs ?? [];
    for (let j = 0; j < ops.length; j++) {
      const ins = ops[j].inputs.map((r) => resolveInput(r, j, outputs, prev.state, dataSource(ds.data)));
      const out = opByCode(ops[j].opcode).run(getBackend('ts'), ins, ops[j].attrs);
      expect(tensorHash(out)).toEqual(hexToBytes(tr.records[j].outputHash));
    }
  });
});
