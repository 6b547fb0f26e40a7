// The CNN and the transformer examples, a few steps each: deterministic roots and a falling loss.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../state-machine/repops/backend.ts';
import { loadSpecDataset } from '../datasets/load.ts';
import { readSpecFile } from '../spec-file.ts';
import { train } from '../train.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// small batches keep the TypeScript reference kernels quick
describe.each([
  ['digits-cnn.json', 12, 32],
  ['tiny-transformer.json', 12, 4],
])('%s', (file, steps, batchSize) => {
  it(`trains ${steps} steps twice to the same roots with a falling loss`, () => {
    const f = readSpecFile(join(import.meta.dirname, '..', 'examples', file));
    const spec = { ...f.spec, steps, batchSize, checkpointInterval: 4 };
    const dataset = loadSpecDataset(spec, f.baseDir);
    const a = train({ spec, dataset, backend: getBackend('ts'), skipEval: true });
    const b = train({ spec, dataset, backend: getBackend('ts'), skipEval: true });
    expect(a.checkpoints.map((c) => c.step)).toEqual([0, 4, 8, 12]);
    expect(b.checkpoints).toEqual(a.checkpoints);
    expect(b.traceRoot).toBe(a.traceRoot);
    expect(new Set(a.checkpoints.map((c) => c.root)).size).toBe(4);
    expect(mean(a.losses.slice(-3))).toBeLessThan(mean(a.losses.slice(0, 3)));
  });
});
