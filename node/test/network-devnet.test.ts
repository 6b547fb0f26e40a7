// `verity devnet --followers 2`: two full-node processes beside the sequencer reach its head with
// equal roots, and stop with the devnet.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blockOf, headOf, waitFor } from './network-procs.ts';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.js');
let child: ChildProcess | null = null;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('verity devnet --followers', () => {
  it('starts followers that reach the sequencer head with equal roots and stop with the devnet', async () => {
    child = spawn(process.execPath, [BIN, 'devnet', '--tmp', '--port', '0', '--solvers', '0', '--verifiers', '0', '--followers', '2', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dev = child;
    let out = '';
    dev.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    await waitFor('devnet listening', async () => /rpc listening on http/.test(out) || (dev.exitCode !== null && Promise.reject(new Error(`devnet exited: ${out}`))), 150_000, 200);
    const seq = (out.match(/rpc listening on (http:\/\/\S+)/) as RegExpMatchArray)[1];
    expect(out).toMatch(/sequencer p2p: \/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\w+/);
    const followers = [...new Set([...out.matchAll(/^\s*follower-\d+\s+(http:\/\/[^\s,]+)/gm)].map((m) => m[1]))];
    expect(followers).toHaveLength(2);
    const h = (await headOf(seq)) + 2n;
    for (const f of followers) await waitFor(`${f} at block ${h}`, async () => (await headOf(f)) >= h, 60_000, 200);
    const blocks = await Promise.all([seq, ...followers].map((u) => blockOf(u, h)));
    for (const b of blocks) {
      expect(b?.hash).toBe(blocks[0]?.hash);
      expect(b?.stateRoot).toBe(blocks[0]?.stateRoot);
    }
    dev.kill('SIGTERM');
    expect(await new Promise((r) => dev.once('exit', r))).toBe(0);
    for (const f of followers) await expect(headOf(f)).rejects.toThrow();
  }, 240_000);
});
