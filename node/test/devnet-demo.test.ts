// `verity devnet --demo --exit` as a process: the embedded L1, a node, one solver and two verifier
// worker processes, and the tour: the example task followed to Finalized, a cheating solver caught by
// Verde and slashed, ETH deposited and withdrawn across the bridge; then everything stopped. The
// tasks ask for a 40-block window (10 s) through the test-only --demo-window-blocks; the default
// devnet is unchanged. The devnet runs in its own process group, killed if the test fails; its workers (in
// their own groups) then stop through the parent watch.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'node', 'cli', 'bin.js');

describe('verity devnet --demo --exit', () => {
  let pgid: number | undefined;
  afterAll(() => {
    if (pgid === undefined) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('runs the tour to the end and exits 0', { timeout: 300_000 }, async () => {
    const child = spawn(
      process.execPath,
      [bin, 'devnet', '--tmp', '--port', '0', '--followers', '0', '--solvers', '1', '--verifiers', '2', '--demo', '--exit', '--demo-window-blocks', '40', '--log-level', 'warn'],
      { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    pgid = child.pid;
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    const context = `stdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-4000)}`;
    expect(code, context).toBe(0);
    pgid = undefined;

    // the banner: workers with their accounts, ports and logs; how to submit
    expect(out).toMatch(/^solver-1 +\(1\) 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 +http:\/\/127\.0\.0\.1:\d+ +log: .*solver-1\.log$/m);
    expect(out).toMatch(/^verifier-2 +\(2\) /m);
    expect(out).toMatch(/^verifier-3 +\(3\) /m);
    expect(out).toMatch(/task submit --rpc http:\/\/127\.0\.0\.1:\d+ --key-file .*account-9\.key --spec worker\/examples\/digits-mlp\.json --reward 1ether/);
    expect(out).toContain('"submitTask(bytes,uint256,uint256,(uint32,uint32),(uint64,uint64))" 0x$(xxd -p -c0 worker/examples/digits-mlp.json)');

    // the honest task's life, in order
    const kinds = [...out.matchAll(/^tour \[honest\] block +\d+ +\+ *[\d.]+ s +(\w+)/gm)].map((m) => m[1]);
    const first = (k: string): number => kinds.indexOf(k);
    expect(first('TaskSubmitted')).toBe(0);
    for (const [a, b] of [['TaskSubmitted', 'TaskClaimed'], ['TaskClaimed', 'TaskCommitted'], ['TaskCommitted', 'VerifiersDrawn'], ['VerifiersDrawn', 'Attested'], ['Attested', 'TaskFinalized']]) {
      expect(first(a), `${a} before ${b}: ${kinds.join(' ')}`).toBeGreaterThanOrEqual(0);
      expect(first(a)).toBeLessThan(first(b));
    }
    expect(out).toMatch(/TaskClaimed +claimed by solver-1/);
    expect(out).toMatch(/TaskFinalized +finalized: solver-1 \(0x70997970…\) paid 1 ETH; [12] attesting verifier\(s\) paid 0\.0\d+ ETH each/);
    expect(out).toMatch(/^tour \[honest\] task \d+ Finalized after [\d.]+ s$/m);
    // the cheater: challenged, narrowed to one op, re-run by the chain, slashed
    expect(out).toMatch(/^tour \[cheat +\] block +\d+ +Challenged +/m);
    expect(out).toMatch(/^tour \[cheat +\] block +\d+ +verde: the chain re-ran op 16 \(\w+\) with RepOps: solver wrong, challenger right$/m);
    expect(out).toMatch(/^tour \[cheat +\] block +\d+ +slashed cheater \(0x[0-9a-fA-F]{8}…\): 150 ETH taken/m);
    // the bridge: both ways
    expect(out).toMatch(/^tour \[bridge\] credited on L2: 1 ETH to account 9$/m);
    expect(out).toMatch(/^tour \[bridge\] finalized on L1: 0\.5 ETH paid to /m);
    expect(out).toMatch(/^tour: complete: honest task Finalized; cheater caught and slashed; bridge done$/m);

    // the temporary data dir (node, workers, logs) is gone
    const tmp = /^data dir: (.+) \(temporary\)$/m.exec(out)?.[1];
    expect(tmp).toBeDefined();
    expect(existsSync(tmp as string)).toBe(false);
  });
});
