// Spec fixtures for tests: valid specs of each model kind (data set roots are not checked here).
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
