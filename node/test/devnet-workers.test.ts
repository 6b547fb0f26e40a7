// The devnet's worker supervision without real workers: roles by account, key files, ports, log
// files, restarts with backoff, a clean stop, and the parent watch that ends an orphaned worker.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { devnetAccounts } from '../../genesis/index.ts';
import { createLogger } from '../../infra/logger.ts';
import { demoSubmitter } from '../cli/devnet-command.ts';
import { WorkerSupervisor, assignRoles, freeLoopbackPort, prepareWorkers, workerArgs } from '../devnet/workers.ts';

const dir = mkdtempSync(join(tmpdir(), 'verity-devnet-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const accounts = devnetAccounts(10);
const silent = createLogger('test', 'silent');

describe('devnet workers', () => {
  it('assigns solvers the lowest accounts from 1, then verifiers; at most 9', () => {
    expect(assignRoles(1, 2)).toEqual([
      { role: 'solver', index: 1 },
      { role: 'verifier', index: 2 },
      { role: 'verifier', index: 3 },
    ]);
    expect(assignRoles(0, 0)).toEqual([]);
    expect(assignRoles(0, 9).map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => assignRoles(5, 5)).toThrow(/at most|stakes 9/);
    expect(demoSubmitter(accounts, [1, 2, 3]).index).toBe(9);
    expect(demoSubmitter(accounts, [9]).index).toBe(8);
    expect(demoSubmitter(accounts, [1, 2, 3, 4, 5, 6, 7, 8, 9]).index).toBe(0);
  });

  it('writes 0600 key files, distinct loopback ports (reused when free), and the worker command line', async () => {
    const data = join(dir, 'layout');
    const ws = await prepareWorkers(data, accounts, assignRoles(1, 2));
    expect(ws.map((w) => w.name)).toEqual(['solver-1', 'verifier-2', 'verifier-3']);
    for (const w of ws) {
      expect(statSync(w.keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(w.keyFile, 'utf8').trim()).toBe(w.account.privateKey);
      expect(w.url).toBe(`http://127.0.0.1:${w.port}`);
    }
    expect(new Set(ws.map((w) => w.port)).size).toBe(3);
    const again = await prepareWorkers(data, accounts, assignRoles(1, 2));
    expect(again.map((w) => w.port)).toEqual(ws.map((w) => w.port));
    const args = workerArgs(ws[0], 'http://127.0.0.1:9545');
    expect(args.slice(args.indexOf('worker'))).toEqual([
      'worker', '--rpc', 'http://127.0.0.1:9545', '--key-file', ws[0].keyFile, '--role', 'both', '--data', ws[0].dataDir,
      '--serve', `127.0.0.1:${ws[0].port}`, '--no-progress',
    ]);
    expect(await freeLoopbackPort()).toBeGreaterThan(0);
  });

  it('logs each worker to its file, restarts a crashed one with backoff, and stops all cleanly', async () => {
    const data = join(dir, 'supervise');
    const [crasher, sleeper] = await prepareWorkers(data, accounts, assignRoles(1, 1));
    const scripts: Record<string, string> = {
      // dies 50 ms after start, every time
      [crasher.name]: 'console.log("crasher up"); setTimeout(() => process.exit(3), 50);',
      // runs until SIGTERM, then says goodbye
      [sleeper.name]: 'console.error("sleeper up"); process.on("SIGTERM", () => { console.log("sleeper bye"); process.exit(0); }); setInterval(() => {}, 1000);',
    };
    const reports: string[] = [];
    const sup = new WorkerSupervisor({
      rpc: 'http://127.0.0.1:1',
      workers: [crasher, sleeper],
      logger: silent,
      report: (l) => reports.push(l),
      args: (w) => ['-e', scripts[w.name]],
      backoff: { initialMs: 40, maxMs: 160, resetAfterMs: 60_000 },
    });
    const t0 = Date.now();
    sup.start();
    while ((sup.status()[0]?.restarts ?? 0) < 4) await new Promise((r) => setTimeout(r, 20));
    // delays 40 + 80 + 160 + 160 ms at least, plus four runs of ≥ 50 ms
    expect(Date.now() - t0).toBeGreaterThanOrEqual(440 + 200);
    expect(sup.status()[1]).toMatchObject({ name: sleeper.name, restarts: 0 });
    expect(typeof sup.status()[1].pid).toBe('number');
    await sup.stop();
    const restartsAtStop = sup.status()[0].restarts;
    await new Promise((r) => setTimeout(r, 300));
    expect(sup.status()[0].restarts).toBe(restartsAtStop);
    expect(sup.status().every((s) => s.pid === null)).toBe(true);

    const crashLog = readFileSync(crasher.logFile, 'utf8');
    // the fifth run (restart 4) may be stopped before it prints
    expect(crashLog.match(/crasher up/g)?.length).toBeGreaterThanOrEqual(4);
    expect(crashLog).toContain(`${crasher.name} exited (code 3)`);
    expect(crashLog).toContain('(restart 4)');
    const sleepLog = readFileSync(sleeper.logFile, 'utf8');
    expect(sleepLog).toContain('sleeper up');
    expect(sleepLog).toContain('sleeper bye');
    expect(sleepLog).toContain(`${sleeper.name} exited (code 0)`);
    expect(reports[0]).toMatch(new RegExp(`^worker ${crasher.name} exited \\(code 3\\); restarting in 0\\.0 s \\(log: .*${crasher.name}\\.log\\)$`));
  });

  it('kills a worker that ignores SIGTERM after the grace period', async () => {
    const [w] = await prepareWorkers(join(dir, 'stubborn'), accounts, assignRoles(1, 0));
    const sup = new WorkerSupervisor({
      rpc: 'http://127.0.0.1:1',
      workers: [w],
      logger: silent,
      args: () => ['-e', 'process.on("SIGTERM", () => console.log("ignored")); console.log("up"); setInterval(() => {}, 1000);'],
      stopGraceMs: 200,
    });
    sup.start();
    while (!readFileSync(w.logFile, 'utf8').includes('up')) await new Promise((r) => setTimeout(r, 20));
    await sup.stop();
    expect(readFileSync(w.logFile, 'utf8')).toContain(`${w.name} exited (SIGKILL)`);
  });

  it('the parent watch ends a worker whose devnet went away', async () => {
    const watch = pathToFileURL(resolve(import.meta.dirname, '..', 'devnet', 'parent-watch.mjs')).href;
    const child = spawn(
      process.execPath,
      ['--import', watch, '-e', 'process.on("SIGTERM", () => { console.log("stopping"); process.exit(0); }); setInterval(() => {}, 1000); console.log("up");'],
      { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('up')) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.disconnect(); // what the kernel does to the channel when the devnet dies
    expect(await exited).toBe(0);
    expect(out).toContain('stopping');
  });
});
