// Spec fixtures for tests: valid specs of each model kind (data set roots are not checked here) and
// synthetic data for them.
import { numel, tensorF32, tensorI32, type Tensor } from '../../repops/tensor.ts';
import type { DataRef, DataSource } from '../executor.ts';
import { parseTaskSpec } from '../spec-validate.ts';
import type { TaskSpec } from '../spec.ts';

const root = `0x${'11'.repeat(32)}`;

export function mlpSpec(over: Record<string, unknown> = {}): TaskSpec {
  return parseTaskSpec({
    version: 1,
    name: 'mlp',
    model: { kind: 'mlp', layers: [64, 16, 10] },
    dataset: { name: 'd', format: 'csv', root, path: 'x.csv', samples: 100, test: 10, inputScale: '0.0625' },
    optimizer: { kind: 'sgd-momentum', lr: '0.05', momentum: '0.9' },
    steps: 20,
    batchSize: 8,
    seed: '5',
    checkpointInterval: 6,
    ...over,
  });
}

export function cnnSpec(): TaskSpec {
  return mlpSpec({ model: { kind: 'cnn', input: [1, 8, 8], convs: [4, 4], hidden: [12], classes: 10 } });
}

export function transformerSpec(): TaskSpec {
  return parseTaskSpec({
    version: 1,
    name: 'tf',
    model: { kind: 'transformer', vocab: 256, dModel: 8, heads: 2, layers: 2, context: 4, ff: 16 },
    dataset: { name: 't', format: 'text-bytes', root, path: 'c.txt', samples: 50, test: 5 },
    optimizer: { kind: 'adamw', lr: '0.01' },
    steps: 10,
    batchSize: 4,
    seed: '9',
    checkpointInterval: 3,
  });
}

/**
 * Deterministic synthetic samples: features from an integer hash, labels in range. With `badLabel`,
 * sample `badLabel.sample` gets an out-of-range label.
 */
export function syntheticData(spec: TaskSpec, badLabel?: { sample: number }): DataSource {
  const classes = spec.model.kind === 'transformer' ? spec.model.vocab : spec.model.kind === 'mlp' ? spec.model.layers[spec.model.layers.length - 1] : spec.model.classes;
  const h = (i: number) => (Math.imul(i + 1, 2654435761) >>> 0) % 1000;
  const values = (ref: DataRef): number[] => {
    const n = numel(ref.shape);
    const per = n / ref.samples.length;
    const ints = ref.field === 'y' || spec.model.kind === 'transformer';
    return Array.from({ length: n }, (_, k) => {
      const s = ref.samples[Math.floor(k / per)];
      if (ref.field === 'y' && s === badLabel?.sample) return classes;
      return ints ? h(s * 131 + (k % per) + (ref.field === 'y' ? 7 : 0)) % classes : h(s * 97 + (k % per)) % 17;
    });
  };
  return {
    gather: (ref) => (ref.field === 'y' || spec.model.kind === 'transformer' ? tensorI32(ref.shape, values(ref)) : tensorF32(ref.shape, values(ref))),
    gatherInto: (ref: DataRef, out: Tensor) => out.data.set(values(ref)),
  };
}
