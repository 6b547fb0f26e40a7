// The hand-written backward passes against central finite differences of the loss. With SGD,
// momentum μ and zero velocity, step 1's new velocity is exactly the gradient at C_0, so the
// gradient is read from the committed state and the loss from the step's loss op.
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../repops/backend.ts';
import type { Tensor } from '../../repops/tensor.ts';
import { runOps, runStep, type DataSource } from '../executor.ts';
import { initGraph } from '../init.ts';
import { stateLayout, stepGraph } from '../step-graph.ts';
import type { TaskSpec } from '../spec.ts';
import { cnnSpec, mlpSpec, syntheticData, transformerSpec } from './fixtures.ts';

const be = getBackend('ts');

function withSgd(spec: TaskSpec): TaskSpec {
  return { ...spec, optimizer: { kind: 'sgd-momentum', lr: Math.fround(0.1), momentum: Math.fround(0.9), weightDecay: 0 } };
}

function lossAt(spec: TaskSpec, state: Tensor[], data: DataSource): number {
  return runStep(be, stepGraph(spec, 1), state, data).loss;
}

describe.each([
  ['mlp', () => withSgd(mlpSpec())],
  ['cnn', () => withSgd(cnnSpec())],
  ['transformer', () => withSgd(transformerSpec())],
])('%s backward', (_name, make) => {
  it('matches finite differences on the largest gradient entries of every parameter', () => {
    const spec = make();
    const data = syntheticData(spec);
    const c0 = runOps(be, initGraph(spec), [], data);
    const layout = stateLayout(spec);
    const P = layout.length / 2;
    const grads = runStep(be, stepGraph(spec, 1), c0, data).state.slice(0, P);
    let checked = 0;
    for (let p = 0; p < P; p++) {
      const g = grads[p].data;
      // the two largest-magnitude entries of this parameter's gradient
      const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a])).slice(0, 2);
      for (const i of order) {
        if (Math.abs(g[i]) < 1e-3) continue;
        const h = 1e-2;
        const plus = c0.map((t) => ({ ...t, data: t.data.slice() }) as Tensor);
        const minus = c0.map((t) => ({ ...t, data: t.data.slice() }) as Tensor);
        plus[P + p].data[i] += h;
        minus[P + p].data[i] -= h;
        const fd = (lossAt(spec, plus, data) - lossAt(spec, minus, data)) / (2 * h);
        expect({ param: layout[P + p].name, i, rel: Math.abs(fd - g[i]) / Math.abs(g[i]) < 0.03 || Math.abs(fd - g[i]) < 1e-4 }).toEqual({
          param: layout[P + p].name,
          i,
          rel: true,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(P);
  });
});
