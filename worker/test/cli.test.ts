// `verity train` and `verity trace` as a user runs them: the real executable, JSON on stdout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrace } from '../cli/trace-command.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'node', 'cli', 'bin.js');
const dir = mkdtempSync(join(tmpdir(), 'verity-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function verity(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('verity train / trace', () => {
  const example = JSON.parse(readFileSync(join(root, 'worker', 'examples', 'digits-mlp.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  const spec = {
    ...example,
    steps: 30,
    checkpointInterval: 10,
    dataset: { ...example.dataset, path: join(root, 'worker', 'datasets', 'digits', 'digits.csv.gz') },
  };
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const out = join(dir, 'store');

  it('trains, prints one JSON object, and traces a step from the store', () => {
    const r = JSON.parse(verity('train', '--spec', specFile, '--backend', 'ts', '--json', '--out', out)) as Record<string, unknown>;
    expect(r).toMatchObject({ steps: 30, backend: 'ts' });
    for (const k of ['traceRoot', 'modelHash']) expect(r[k]).toMatch(/^0x[0-9a-f]{64}$/);
    expect(typeof r.testAccuracy).toBe('number');

    const t = JSON.parse(verity('trace', '--spec', specFile, '--step', '20', '--out', out, '--backend', 'ts', '--json')) as {
      replayedFrom: { step: number };
      stateRoot: string;
      opRoot: string;
      ops: { j: number; opcode: number }[];
      checkpoint: { traceRoot: string; committed: string; matches: boolean };
    };
    expect(t.replayedFrom.step).toBe(10);
    expect(t.checkpoint).toMatchObject({ traceRoot: r.traceRoot, committed: t.stateRoot, matches: true });
    expect(t.ops.map((o) => o.j)).toEqual(t.ops.map((_, j) => j));

    // the same command in-process (saves a process start): one op with its proofs
    const one = runTrace({ spec: specFile, step: 20, op: 1, out, backend: 'ts' }) as unknown as {
      opRoot: string;
      op: { j: number; name: string; inputs: { against?: string }[]; leafProof: { index: number } };
    };
    expect(one.opRoot).toBe(t.opRoot);
    expect(one.op).toMatchObject({ j: 1, leafProof: { index: 1 } });
    expect(one.op.inputs.map((i) => i.against)).toEqual(['opRoot', 'prevStateRoot', 'prevStateRoot']);
  });

  it('reports a bad spec naming the field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...spec, batchSize: 0 }));
    let stderr = '';
    try {
      verity('train', '--spec', bad, '--json');
    } catch (e) {
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(stderr).toContain('INVALID_FIELD');
    expect(stderr).toContain('batchSize');
  });

  it('has --help on each command', () => {
    expect(verity('train', '--help')).toContain('--backend');
    expect(verity('trace', '--help')).toContain('--op');
  });
});
