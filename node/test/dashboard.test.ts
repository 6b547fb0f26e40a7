// The demo as a person watches it: `verity devnet --demo` as a process (the embedded L1, the node,
// one solver and two verifier workers, and the tour: the example task followed to Finalized, a
// cheating solver caught by Verde and slashed, ETH deposited and withdrawn across the bridge), with
// the dashboard URL from its banner open in a real headless Chromium (Debian's `chromium`, driven by
// playwright-core) from the start, so what the page shows arrives over its WebSocket subscriptions.
// The test checks the printed banner and tour, and on the page: the honest task reaches Finalized
// with the solver's loss curve and the verifiers' points; the dispute shows the op the referee
// re-ran exactly as the chain's getDispute reports it, the verdict and the slash; the deposit is
// credited and the withdrawal goes initiated → proven → finalized on L1; the skip link is the first
// Tab stop; at phone width nothing scrolls sideways; nothing is logged as an error. Then Ctrl-C
// (SIGINT to the devnet's process group) must stop everything and exit 0. The tasks ask for a
// 40-block window (10 s) through the test-only --demo-window-blocks; the default devnet is
// unchanged. Screenshots go to the OS temp dir. Without a browser the test is skipped, saying why.
// The devnet runs in its own process group, killed if the test fails; its workers (in their own
// groups) then stop through the parent watch.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPublicClient, http } from 'viem';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { verdeAbi } from '../../state-machine/modules/verde/abi.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'node', 'cli', 'bin.js');
const BROWSERS = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const browserPath = BROWSERS.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
if (!browserPath) console.warn('dashboard.test.ts: skipped, no Chromium found (install Debian\'s `chromium` or set CHROMIUM_PATH)');

/** What the page showed over time, recorded in the page by a MutationObserver (see `recorder`). */
interface Seen {
  /** each task's status badges, in the order shown */
  tasks: Record<string, string[]>;
  /** each withdrawal's (by nonce) state badges, in the order shown */
  withdrawals: Record<string, string[]>;
}

/** Runs in the page before its own script: records each change of a task's or withdrawal's state. */
function recorder(): void {
  const seen: Seen = { tasks: {}, withdrawals: {} };
  (window as unknown as { __seen: Seen }).__seen = seen;
  const push = (m: Record<string, string[]>, k: string, v: string): void => {
    const list = (m[k] ??= []);
    if (list[list.length - 1] !== v) list.push(v);
  };
  const look = (): void => {
    document.querySelectorAll('[data-task-id]').forEach((card) => {
      const s = card.querySelector('[data-status]')?.getAttribute('data-status');
      if (s) push(seen.tasks, card.getAttribute('data-task-id') ?? '?', s);
    });
    document.querySelectorAll('#withdrawals tbody tr').forEach((row) => {
      const cells = row.querySelectorAll('td');
      const state = row.querySelector('.badge')?.textContent;
      if (cells.length > 1 && state) push(seen.withdrawals, (cells[0].textContent ?? '').trim(), state);
    });
  };
  document.addEventListener('DOMContentLoaded', () => new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true }));
}

describe.skipIf(!browserPath)('verity devnet --demo, watched in a headless Chromium', () => {
  const shots = join(tmpdir(), `verity-dashboard-shots-${process.pid}`);
  let child: ChildProcess | undefined;
  let pgid: number | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let out = '';
  let err = '';
  let exitCode: number | null | undefined;

  afterAll(async () => {
    if (page) await page.screenshot({ path: join(shots, 'last.png'), fullPage: true }).catch(() => {});
    await browser?.close();
    if (pgid === undefined) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  const context = (): string => `stdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-4000)}`;

  /** Waits for the devnet to print a line matching `re` (fails at once if it exits first). */
  function printed(re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((res, rej) => {
      const started = Date.now();
      const look = (): void => {
        const m = re.exec(out);
        if (m) return res(m);
        if (exitCode !== undefined) return rej(new Error(`devnet exited (${exitCode}) before printing ${re}\n${context()}`));
        if (Date.now() - started > timeoutMs) return rej(new Error(`devnet did not print ${re} in ${timeoutMs} ms\n${context()}`));
        setTimeout(look, 100);
      };
      look();
    });
  }

  it('runs the tour, shows it live on the page, and stops cleanly on Ctrl-C', { timeout: 280_000 }, async () => {
    const began = performance.now();
    mkdirSync(shots, { recursive: true });
    // no --exit: the page stays live for its checks; Ctrl-C ends it below
    child = spawn(
      process.execPath,
      [bin, 'devnet', '--tmp', '--port', '0', '--followers', '0', '--solvers', '1', '--verifiers', '2', '--demo', '--demo-window-blocks', '40', '--log-level', 'warn'],
      { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    pgid = child.pid;
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((res) => child?.on('exit', (c) => res((exitCode = c))));

    // the browser starts while the devnet does
    const consoleErrors: string[] = [];
    browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox'] });
    const p = (page = await browser.newPage({ viewport: { width: 1280, height: 800 } }));
    p.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    p.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await p.addInitScript(recorder);

    // the dashboard's URL, as the banner prints it
    const url = (await printed(/^dashboard +(http:\/\/127\.0\.0\.1:\d+)\/$/m, 120_000))[1];
    expect(out).toContain(`watch it all:             open ${url}/`);
    await p.goto(`${url}/`);
    await p.locator('#conn', { hasText: 'live' }).waitFor({ timeout: 60_000 });
    const liveAt = out.length;
    const pub = createPublicClient({ transport: http(url, { timeout: 15_000 }) });

    // 1. the honest task reaches Finalized, with the solver's loss curve and the verifiers' points
    const honestId = (await printed(/^tour \[honest\] task (\d+) \(/m, 60_000))[1];
    const honestCard = p.locator(`[data-task-id="${honestId}"]`);
    await honestCard.locator('[data-status="Finalized"]').waitFor({ timeout: 150_000 });
    const t = await pub.readContract({ address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'getTask', args: [BigInt(honestId)] });
    expect(t.status).toBe(5);
    await expect.poll(() => honestCard.locator('.legend-solver').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => honestCard.locator('.legend-verifier').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    expect(await honestCard.locator('.chart canvas').count()).toBeGreaterThan(0);
    // it arrived live: the page showed the task before it was Finalized
    const seenTasks = (await p.evaluate(() => (window as unknown as { __seen: Seen }).__seen.tasks))[honestId] ?? [];
    expect(seenTasks.filter((s) => s !== '…' && s !== 'Finalized').length, `statuses shown: ${seenTasks.join(' → ')}`).toBeGreaterThan(0);
    expect(seenTasks[seenTasks.length - 1]).toBe('Finalized');
    await honestCard.scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(shots, 'finalized-1280.png'), fullPage: true });

    // 2. the dispute: the op the referee re-ran, as the chain reports it; the verdict; the slash
    const disputeId = BigInt((await printed(/^tour \[cheat +\] block +\d+ +Challenged +.*\(dispute (\d+)\)$/m, 150_000))[1]);
    await printed(/^tour \[cheat +\] block +\d+ +slashed cheater /m, 150_000);
    const d = await pub.readContract({ address: MODULE_ADDRESSES.verde, abi: verdeAbi, functionName: 'getDispute', args: [disputeId] });
    expect(d.outcome).toBe(2);
    const reported = /re-ran op (\d+) \(([\w-]+)\) of step (\d+)/.exec(d.reason);
    expect(reported, d.reason).not.toBeNull();
    const [, op, opName, step] = reported as RegExpExecArray;
    expect(Number(op)).toBe(d.op);
    const card = p.locator(`[data-dispute-id="${disputeId}"]`);
    const referee = card.locator(`[data-referee-op="${d.op}"]`);
    await referee.waitFor({ timeout: 30_000 });
    const text = (await referee.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`op ${op}`);
    expect(text).toContain(opName);
    expect(text).toContain(`of step ${step}`);
    await card.locator('[data-verdict="challenger won"]').waitFor({ timeout: 30_000 });
    expect((await card.locator('.reason').innerText()).trim()).toBe(d.reason);
    // the descent reached the op level and located the op
    expect(await card.locator('.level-out').allInnerTexts()).toContain(`→ op ${d.op} (${opName})`);
    await p.locator('#slashes', { hasText: 'dispute lost' }).waitFor({ timeout: 30_000 });
    await card.scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(shots, 'dispute-1280.png'), fullPage: true });

    // 3. the bridge: the deposit credited, the withdrawal through its L1 states to finalized
    await printed(/^tour: (complete|did not complete): .*$/m, 150_000);
    await p.locator('#deposits tbody tr', { hasText: 'credited on L2' }).filter({ hasText: '1 ETH' }).waitFor({ timeout: 30_000 });
    const withdrawal = p.locator('#withdrawals tbody tr', { hasText: '0.5 ETH' });
    // the page re-reads L1 every 20 L2 blocks (5 s on the devnet)
    await withdrawal.locator('.badge', { hasText: 'finalized on L1' }).waitFor({ timeout: 60_000 });
    const nonce = (await withdrawal.locator('td').first().innerText()).trim();
    const states = (await p.evaluate(() => (window as unknown as { __seen: Seen }).__seen.withdrawals))[nonce] ?? [];
    expect(states).toEqual(['initiated on L2', 'proven on L1', 'finalized on L1']);
    await p.locator('#bridge').scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(shots, 'bridge-1280.png'), fullPage: true });

    // 4. keyboard: the first Tab lands on the skip link; phone width: no sideways scrolling
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await p.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => p.evaluate(() => document.documentElement.clientWidth)).toBe(390);
    const widths = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await p.screenshot({ path: join(shots, 'phone-390.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    // closed before the devnet stops: a page that loses its node says so (and retries), by design
    await browser.close();
    browser = undefined;
    page = undefined;
    console.info(`dashboard screenshots: ${shots}`);

    // 5. Ctrl-C stops everything and exits 0
    process.kill(-(pgid as number), 'SIGINT');
    const code = await Promise.race([exited, new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), 60_000))]);
    expect(code, context()).toBe(0);
    pgid = undefined;
    const ended = Math.round((performance.now() - began) / 1000);

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
    // the page was live before the honest task finalized (its life reached the page over the WebSocket)
    expect(out.slice(liveAt)).toMatch(/^tour \[honest\] block +\d+ +\+ *[\d.]+ s +TaskFinalized/m);

    // the temporary data dir (node, workers, logs) is gone, and nothing answers any more
    const tmp = /^data dir: (.+) \(temporary\)$/m.exec(out)?.[1];
    expect(tmp).toBeDefined();
    expect(existsSync(tmp as string)).toBe(false);
    const l1 = /^L1 \(embedded\) +(http:\/\/127\.0\.0\.1:\d+)/m.exec(out)?.[1];
    expect(l1, 'the embedded L1 in the summary').toBeDefined();
    const workers = [...out.matchAll(/^(?:solver|verifier)-\d+ +\(\d+\) 0x[0-9a-fA-F]{40} +(http:\/\/127\.0\.0\.1:\d+) /gm)].map((m) => m[1]);
    expect(workers).toHaveLength(3);
    for (const u of [url, l1 as string, ...workers]) {
      await expect(fetch(u, { signal: AbortSignal.timeout(5_000) }), `${u} still answers`).rejects.toThrow();
    }
    const early = out.slice(0, liveAt).includes('TaskSubmitted') ? 'after' : 'before';
    console.info(`devnet --demo with the page: live ${early} the first task was submitted; tour and checks done, stopped after ${ended} s`);
  });
});
