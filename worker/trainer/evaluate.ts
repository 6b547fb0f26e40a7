// Test accuracy: the forward pass over the test split in chunks, argmax against the labels (per
// token for the transformer). Not part of any commitment.
import type { Backend } from '../../state-machine/repops/backend.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { testIndices } from '../../state-machine/training/batches.ts';
import { runOps } from '../../state-machine/training/executor.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import { evalGraph } from '../../state-machine/training/step-graph.ts';
import type { Dataset } from '../datasets/dataset.ts';
import { dataSource, gather } from '../datasets/gather.ts';

const CHUNK = 256;

export function evaluate(spec: TaskSpec, state: readonly Tensor[], ds: Dataset, backend: Backend): number {
  const idx = testIndices(spec);
  const source = dataSource(ds);
  let correct = 0;
  let total = 0;
  for (let i = 0; i < idx.length; i += CHUNK) {
    const samples = idx.slice(i, i + CHUNK);
    const outs = runOps(backend, evalGraph(spec, samples), state, source);
    const pred = outs[outs.length - 1].data;
    const labels = gather(ds, { kind: 'data', field: 'y', samples, shape: [pred.length] }).data;
    for (let k = 0; k < pred.length; k++) if (pred[k] === labels[k]) correct++;
    total += pred.length;
  }
  return total === 0 ? NaN : correct / total;
}
