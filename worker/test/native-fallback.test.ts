// The loud fallback when the native RepOps addon is unavailable, exercised for real: `verity train`
// runs in a child process with VERITY_REPOPS_NATIVE switching the addon off (or pointing at a file that
// does not exist). It must say so on stderr, report the backend that actually ran, and commit to the
// same traceRoot as a run with the addon.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../../state-machine/repops/backend.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'node', 'cli', 'bin.js');
const dir = mkdtempSync(join(tmpdir(), 'verity-fallback-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  json: { backend: string; traceRoot: string; steps: number };
  stderr: string;
}

function train(specFile: string, native: string | undefined): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, VERITY_REPOPS_THREADS: '1' };
  if (native === undefined) delete env.VERITY_REPOPS_NATIVE;
  else env.VERITY_REPOPS_NATIVE = native;
  const r = spawnSync(process.execPath, [bin, 'train', '--spec', specFile, '--backend', 'native', '--json'], { cwd: root, encoding: 'utf8', env });
  expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
  return { json: JSON.parse(r.stdout) as Run['json'], stderr: r.stderr };
}

describe('native backend fallback (VERITY_REPOPS_NATIVE)', () => {
  const example = JSON.parse(readFileSync(join(root, 'worker', 'examples', 'digits-mlp.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  const specFile = join(dir, 'spec.json');
  writeFileSync(
    specFile,
    JSON.stringify({ ...example, steps: 4, checkpointInterval: 2, dataset: { ...example.dataset, path: join(root, 'worker', 'datasets', 'digits', 'digits.csv.gz') } }),
  );
  const nativeHere = availableBackends().some((b) => b.name === 'native');

  it('warns on stderr, reports backend ts, and commits to the native run\'s traceRoot', () => {
    const normal = train(specFile, undefined);
    expect(normal.json.backend).toBe(nativeHere ? 'native' : 'ts');

    const off = train(specFile, 'off');
    expect(off.json).toMatchObject({ backend: 'ts', steps: 4 });
    expect(off.stderr).toContain('native RepOps backend unavailable');
    expect(off.stderr).toContain('VERITY_REPOPS_NATIVE=off');
    expect(off.stderr).toContain('falling back to the TypeScript kernels');
    expect(off.json.traceRoot).toMatch(/^0x[0-9a-f]{64}$/);
    expect(off.json.traceRoot).toBe(normal.json.traceRoot);
    if (nativeHere) expect(normal.stderr).not.toContain('native RepOps backend unavailable');
  });

  it('names a missing addon file given as the path override', () => {
    const missing = join(dir, 'no-such-addon.node');
    const r = train(specFile, missing);
    expect(r.json.backend).toBe('ts');
    expect(r.stderr).toContain('native RepOps backend unavailable');
    expect(r.stderr).toContain(missing);
  });
});
