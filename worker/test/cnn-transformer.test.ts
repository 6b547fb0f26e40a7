// The CNN and the transformer examples, a few steps each: deterministic roots (on every backend), a
// falling loss, and
// re-execution from a stored checkpoint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { reexecuteStep } from '../trainer/reexecute.ts';
import { stateAt } from '../trainer/state-at.ts';
import { availableBackends, getBackend } from '../../state-machine/repops/backend.ts';
import { loadSpecDataset } from '../datasets/load.ts';
import { readSpecFile } from '../trainer/spec-file.ts';
import { train } from '../trainer/train.ts';

const dir = mkdtempSync(join(tmpdir(), 'verity-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    for (const be of availableBackends()) {
      expect({ backend: be.name, root: train({ spec, dataset, backend: be, skipEval: true }).traceRoot }).toEqual({ backend: be.name, root: a.traceRoot });
    }
    expect(new Set(a.checkpoints.map((c) => c.root)).size).toBe(4);
    expect(mean(a.losses.slice(-3))).toBeLessThan(mean(a.losses.slice(0, 3)));

    // re-execute step 8 from the stored C_4 (replaying 5..7): the committed C_8 again
    const store = new CheckpointStore(dir);
    train({ spec, dataset, backend: getBackend('ts'), store, skipEval: true });
    const prev = stateAt(spec, dataset, getBackend('ts'), 7, store);
    expect(prev.from.step).toBe(4);
    const tr = reexecuteStep({ spec, dataset, backend: getBackend('ts'), prevState: prev.state, step: 8 });
    expect(tr.stateRoot).toBe(a.checkpoints[2].root);
  });
});
