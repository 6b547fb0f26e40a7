// `verity devnet --tmp` leaves no temporary directory behind: not when startup fails (its port is
// taken), not on Ctrl-C while it starts, not on a clean stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'node', 'cli', 'bin.js');
const scratch = mkdtempSync(join(tmpdir(), 'verity-devnet-tmp-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  child = undefined;
});

/** Starts a workerless devnet whose os.tmpdir() is a fresh directory of its own. */
function devnet(name: string, port: number): { dir: string; proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const own = mkdtempSync(join(scratch, `${name}-`));
  // tsx keeps its compile cache in os.tmpdir(): share the warm one (a cold one costs ~15 s)
  const tsxCache = join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`);
  if (existsSync(tsxCache)) symlinkSync(tsxCache, join(own, basename(tsxCache)));
  const proc = spawn(process.execPath, [bin, 'devnet', '--tmp', '--port', String(port), '--followers', '0', '--solvers', '0', '--verifiers', '0', '--log-level', 'warn'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: own },
  });
  child = proc;
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => proc.on('exit', (c) => res(c)));
  return { dir: own, proc, out: () => out, exited };
}

const devnetDirs = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('verity-devnet-'));

async function until(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('verity devnet --tmp', () => {
  it('removes its directory when startup fails on a taken port', { timeout: 90_000 }, async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const d = devnet('taken', port);
      expect(await d.exited).toBe(1);
      expect(d.out()).toMatch(/EADDRINUSE/);
      expect(devnetDirs(d.dir)).toEqual([]);
    } finally {
      taken.close();
    }
  });

  it('removes its directory on Ctrl-C during startup and on a clean stop', { timeout: 90_000 }, async () => {
    const early = devnet('early', 0);
    await until('the temporary dir', () => devnetDirs(early.dir).length === 1);
    // held until the node is up, then a clean stop
    early.proc.kill('SIGINT');
    expect(await early.exited).toBe(0);
    expect(devnetDirs(early.dir)).toEqual([]);

    const up = devnet('up', 0);
    await until('the node', () => /rpc listening on http:\/\/\S+ \(WebSocket ws:\/\/\S+\)/.test(up.out()));
    expect(devnetDirs(up.dir)).toHaveLength(1);
    up.proc.kill('SIGTERM');
    expect(await up.exited).toBe(0);
    expect(devnetDirs(up.dir)).toEqual([]);
  });
});
