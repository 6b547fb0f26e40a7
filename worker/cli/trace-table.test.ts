// `verity trace` prints a table by default and one JSON line with --json; both describe the same step.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrace, type TraceResult } from './trace-command.ts';
import { traceTable } from './trace-table.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'node', 'cli', 'bin.js');
const dir = mkdtempSync(join(tmpdir(), 'verity-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = JSON.parse(readFileSync(join(root, 'worker', 'examples', 'digits-mlp.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify({ ...example, steps: 4, checkpointInterval: 2, dataset: { ...example.dataset, path: join(root, 'worker', 'datasets', 'digits', 'digits.csv.gz') } }));

const verity = async (...args: string[]): Promise<string> =>
  (await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' })).stdout;

describe('verity trace output', () => {
  it('prints a table by default and the JSON line with --json, from the real executable', { timeout: 120_000 }, async () => {
    const args = ['trace', '--spec', specFile, '--step', '2', '--backend', 'ts'];
    const [table, line] = await Promise.all([verity(...args), verity(...args, '--json')]);
    expect(line.trim().split('\n')).toHaveLength(1);
    const r = JSON.parse(line) as TraceResult;
    expect(r.ops?.length).toBe(r.opCount);
    expect(table).toContain(`step 2: ${r.opCount} ops, replayed from C_0 (initial state)`);
    expect(table).toMatch(new RegExp(`^  opRoot +${r.opRoot}$`, 'm'));
    expect(table).toMatch(new RegExp(`^  stateRoot +${r.stateRoot}$`, 'm'));
    expect(table).toMatch(/^j +op +opcode +inputs +shape +output hash +attrs$/m);
    // one row per op, in order, with the output hash cut to a prefix
    const rows = table.split('\n').filter((l) => /^\d+ /.test(l));
    expect(rows).toHaveLength(r.opCount);
    const ops = r.ops ?? [];
    for (const [j, row] of rows.entries()) {
      expect(row.startsWith(`${j} `)).toBe(true);
      expect(row).toContain(` ${ops[j].name} `);
      expect(row).toContain(`${ops[j].outputHash.slice(0, 10)}…`);
      expect(row).toContain(`[${ops[j].shape.join('×')}]`);
    }
    expect(table).not.toMatch(/^\{/m);
  });

  it('shows one op with its inputs and what each is proven against (--op)', () => {
    const r = runTrace({ spec: specFile, step: 2, op: 1, backend: 'ts' });
    const text = traceTable(r);
    const op = r.op as NonNullable<TraceResult['op']>;
    expect(text).toContain(`op 1: ${op.name} (opcode ${op.opcode})`);
    expect(text).toContain(`leaf   ${op.leaf} (index 1,`);
    expect(text).toMatch(/^input +ref +tensor +hash +proven against$/m);
    const inputRows = text.split('\n').filter((l) => /^\d+ /.test(l));
    expect(inputRows).toHaveLength(op.inputs.length);
    for (const [k, i] of op.inputs.entries()) expect(inputRows[k]).toContain(i.against ?? '(constant in the graph)');
  });
});
