import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { opByCode } from '../../repops/opcodes.ts';
import { batchIndices, testIndices, trainCount } from '../batches.ts';
import { checkpointLeafIndex, checkpointSteps, segmentSteps } from '../commitments.ts';
import type { InputRef } from '../graph.ts';
import { initGraph } from '../init.ts';
import { evalGraph, stateLayout, stepGraph } from '../step-graph.ts';
import type { TaskSpec } from '../spec.ts';
import { cnnSpec, mlpSpec, transformerSpec } from './fixtures.ts';

const specs: [string, () => TaskSpec][] = [
  ['mlp', () => mlpSpec()],
  ['mlp-adamw', () => mlpSpec({ optimizer: { kind: 'adamw', lr: '0.001' } })],
  ['cnn', cnnSpec],
  ['transformer', transformerSpec],
];

describe.each(specs)('step graph (%s)', (_name, make) => {
  const spec = make();

  it('is a pure function of spec and step', () => {
    expect(stepGraph(spec, 3)).toEqual(stepGraph(make(), 3));
    expect(initGraph(spec)).toEqual(initGraph(make()));
  });

  it('references only earlier ops, valid state slots and training samples', () => {
    const layout = stateLayout(spec);
    const n = trainCount(spec);
    for (let t = 1; t <= spec.steps; t++) {
      const g = stepGraph(spec, t);
      expect(g.stateCount).toBe(layout.length);
      g.ops.forEach((op, j) => {
        expect(opByCode(op.opcode).name).toBe(op.name);
        for (const r of op.inputs as InputRef[]) {
          if (r.kind === 'op') expect(r.index).toBeLessThan(j);
          if (r.kind === 'state') expect(r.index).toBeLessThan(layout.length);
          if (r.kind === 'data') for (const s of r.samples) expect(s).toBeLessThan(n);
        }
      });
      // the last ops are the optimiser's, one per state tensor
      const tail = g.ops.slice(g.ops.length - g.stateCount).map((o) => o.name);
      expect(new Set(tail.map((x) => x.split('_')[0]))).toEqual(new Set([spec.optimizer.kind === 'adamw' ? 'adamw' : 'sgd']));
    }
  });

  it('evaluates on test samples only', () => {
    const ops = evalGraph(spec, testIndices(spec));
    expect(ops[ops.length - 1].name).toBe('argmax');
    const data = ops.flatMap((o) => o.inputs).filter((r) => r.kind === 'data');
    for (const r of data) for (const s of r.samples) expect(s).toBeGreaterThanOrEqual(trainCount(spec));
  });
});

describe('batch selection', () => {
  it('visits every training sample once per epoch, for any seed and batch size', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 1, max: 30 }), (seed, batchSize) => {
        const spec = mlpSpec({ seed: `0x${seed.toString(16)}`, batchSize, steps: 200 });
        const n = trainCount(spec);
        const stream: number[] = [];
        for (let t = 1; stream.length < 2 * n; t++) stream.push(...batchIndices(spec, t));
        for (const epoch of [0, 1]) {
          const seen = stream.slice(epoch * n, (epoch + 1) * n).sort((a, b) => a - b);
          expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('depends on the seed', () => {
    expect(batchIndices(mlpSpec({ seed: 1 }), 1)).not.toEqual(batchIndices(mlpSpec({ seed: 2 }), 1));
  });
});

describe('checkpoint steps', () => {
  it('are 0, k, 2k, … and T, with T last when k does not divide it', () => {
    expect(checkpointSteps(20, 6)).toEqual([0, 6, 12, 18, 20]);
    expect(checkpointSteps(18, 6)).toEqual([0, 6, 12, 18]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (T, k0) => {
        const k = Math.min(k0, T);
        const steps = checkpointSteps(T, k);
        steps.forEach((s, i) => expect(checkpointLeafIndex(s, T, k)).toBe(i));
        expect(steps[steps.length - 1]).toBe(T);
        expect(new Set(steps).size).toBe(steps.length);
        // segments tile 1..T and each ends on the next checkpoint step
        const segs = steps.slice(1).map((_, i) => segmentSteps(T, k, i + 1));
        expect(segs.flat()).toEqual(Array.from({ length: T }, (_, i) => i + 1));
        segs.forEach((sg, i) => expect(sg[sg.length - 1]).toBe(steps[i + 1]));
        expect(segmentSteps(T, k, segs.length + 1)).toEqual([]);
      }),
    );
  });
});
