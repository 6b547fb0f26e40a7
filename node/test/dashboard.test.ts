// The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against
// a real node and worker processes: an honest solver whose task finalizes, a solver that flips one
// op of step 10 (`--misbehave op:10:16`) and a verifier that catches it. The page is opened before
// anything happens, so what it shows arrived over its WebSocket subscriptions. It checks what a
// person would: the honest task reaches Finalized with both loss curves, the dispute shows the op
// the referee re-ran as the chain reports it, nothing is logged to the console as an error, and at
// phone width nothing overflows sideways. Screenshots go to the OS temp dir. Without a browser the
// test is skipped, saying why.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventLogs, toHex } from 'viem';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { verdeAbi } from '../../state-machine/modules/verde/abi.ts';
import { Proc, clientsFor, devKey, freePort, subsetTask, until, type DevKey } from '../../worker/test/worker-harness.ts';

const BROWSERS = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const browserPath = BROWSERS.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
if (!browserPath) console.warn('dashboard.test.ts: skipped, no Chromium found (install Debian\'s `chromium` or set CHROMIUM_PATH)');

const ETHER = 10n ** 18n;
const SHORT = { steps: 20, checkpointInterval: 5 };
const keys = { seq: devKey(0), honest: devKey(1), cheat: devKey(2), verifier: devKey(3), submitter: devKey(4) };

describe.skipIf(!browserPath)('dashboard in a headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verity-dashboard-'));
  const shots = join(tmpdir(), `verity-dashboard-shots-${process.pid}`);
  const procs: Proc[] = [];
  let browser: Browser | undefined;
  let page: Page;
  let url = '';
  const consoleErrors: string[] = [];
  const ids = { honest: 0n, cheat: 0n };
  let pub: ReturnType<typeof clientsFor>['pub'];

  function keyFile(k: DevKey): string {
    const f = join(dir, `key-${k.index}`);
    writeFileSync(f, `${k.privateKey}\n`);
    return f;
  }

  function start(name: string, args: string[]): Proc {
    const p = new Proc(name, args);
    procs.push(p);
    return p;
  }

  function worker(name: string, k: DevKey, role: string, datasets: string[], misbehave?: string): Proc {
    return start(name, [
      'worker', '--rpc', url, '--key-file', keyFile(k), '--role', role, '--data', join(dir, `data-${name}`), '--serve', '127.0.0.1:0',
      '--poll-ms', '100', '--fetch-timeout-ms', '1500', '--fetch-retries', '0', '--no-progress',
      ...datasets.flatMap((d) => ['--datasets', join(dir, d)]), ...(misbehave ? ['--misbehave', misbehave] : []),
    ]);
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const genesisFile = join(dir, 'genesis.json');
    const gen = start('genesis', ['genesis', 'init', '--out', genesisFile, '--accounts', '6']);
    expect(await gen.exited).toBe(0);
    const g = JSON.parse(readFileSync(genesisFile, 'utf8')) as {
      blockIntervalMs: number;
      modules: { stake: { bonds: Record<string, string> }; task: Record<string, string>; verde: Record<string, string> };
    };
    g.blockIntervalMs = 100;
    // the solvers can claim; only the verifier is above the draw's minimum, so it is drawn for both tasks
    g.modules.stake.bonds = {
      [keys.honest.address]: `${20n * ETHER}`,
      [keys.cheat.address]: `${20n * ETHER}`,
      [keys.verifier.address]: `${100n * ETHER}`,
    };
    Object.assign(g.modules.task, { commitBlocks: '1200', windowBlocks: '400', drawDelayBlocks: '2', verifierMinStake: `${50n * ETHER}`, maxReopens: '3' });
    Object.assign(g.modules.verde, { arity: '4', clockBlocks: '600' });
    writeFileSync(genesisFile, JSON.stringify(g));

    url = `http://127.0.0.1:${await freePort()}`;
    const node = start('node', ['node', '--genesis', genesisFile, '--datadir', join(dir, 'node'), '--rpc-port', url.split(':')[2], '--sequencer-key-file', keyFile(keys.seq), '--log-level', 'warn']);
    const honest = subsetTask(dir, 'ds-honest', 'honest', 1500, { ...SHORT, seed: '21' });
    const cheat = subsetTask(dir, 'ds-cheat', 'cheat', 1501, { ...SHORT, seed: '22' });
    await node.waitFor(/rpc listening on/, 120_000);
    ({ pub } = clientsFor(url, 271828));

    const workers = [
      worker('honest', keys.honest, 'solver', ['ds-honest']),
      worker('cheat', keys.cheat, 'solver', ['ds-cheat'], 'op:10:16'),
      worker('verifier', keys.verifier, 'verifier', ['ds-honest', 'ds-cheat']),
    ];
    // the page is open before any task exists: everything after reaches it live
    const openPage = async (): Promise<void> => {
      browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox'] });
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      await page.goto(url);
      await page.locator('#conn', { hasText: 'live' }).waitFor({ timeout: 60_000 });
    };
    await Promise.all([openPage(), ...workers.map((w) => w.waitFor(/"msg":"worker started"/, 150_000))]);

    const { wallet } = clientsFor(url, 271828, keys.submitter.privateKey);
    if (!wallet) throw new Error('no wallet');
    for (const [name, t] of [['honest', honest], ['cheat', cheat]] as const) {
      const hash = await wallet.writeContract({
        address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'submitTask',
        // a short window: the honest task finalizes ~10 s after its commit
        args: [toHex(Buffer.from(JSON.stringify(t.spec))), ETHER / 100n, 0n, { verifiers: 1, segmentsEach: 4 }, { commitBlocks: 0n, windowBlocks: 100n }],
        value: ETHER + ETHER / 100n,
      });
      const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 });
      ids[name] = parseEventLogs({ abi: taskAbi, logs: receipt.logs, eventName: 'TaskSubmitted' })[0].args.taskId;
    }
  }, 300_000);

  afterAll(async () => {
    if (page) await page.screenshot({ path: join(shots, 'last.png'), fullPage: true }).catch(() => {});
    await browser?.close();
    await Promise.all(procs.filter((p) => p.name !== 'node').map((p) => p.stop()));
    await Promise.all(procs.map((p) => p.stop()));
    if (process.env.VERITY_E2E_LOGS) for (const p of procs) writeFileSync(join(process.env.VERITY_E2E_LOGS, `${p.name}.log`), p.output);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the honest task Finalized with its loss curves, and the op the referee re-ran', async () => {
    // the honest task, as a person sees it
    const honestCard = page.locator(`[data-task-id="${ids.honest}"]`);
    await honestCard.locator('[data-status="Finalized"]').waitFor({ timeout: 150_000 });
    const t = await pub.readContract({ address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'getTask', args: [ids.honest] });
    expect(t.status).toBe(5);
    // the solver's curve, and the verifier's points for the segments it re-ran
    await expect.poll(() => honestCard.locator('.legend-solver').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => honestCard.locator('.legend-verifier').count(), { timeout: 20_000 }).toBe(1);
    expect(await honestCard.locator('.chart canvas').count()).toBeGreaterThan(0);
    await page.locator('#tasks').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'finalized-1280.png'), fullPage: true });

    // the dispute: the op the referee re-ran, as the chain reports it
    const disputeId = await until('the cheat is disputed and refereed', async () => {
      const id = await pub.readContract({ address: MODULE_ADDRESSES.verde, abi: verdeAbi, functionName: 'disputeOf', args: [ids.cheat] });
      if (id === 0n) return undefined;
      const d = await pub.readContract({ address: MODULE_ADDRESSES.verde, abi: verdeAbi, functionName: 'getDispute', args: [id] });
      return d.level === 5 ? id : undefined;
    }, 150_000, 250);
    const d = await pub.readContract({ address: MODULE_ADDRESSES.verde, abi: verdeAbi, functionName: 'getDispute', args: [disputeId] });
    expect(d.outcome).toBe(2);
    const reported = /re-ran op (\d+) \(([\w-]+)\) of step (\d+)/.exec(d.reason);
    expect(reported, d.reason).not.toBeNull();
    const [, op, opName, step] = reported as RegExpExecArray;
    expect(Number(op)).toBe(d.op);

    const card = page.locator(`[data-dispute-id="${disputeId}"]`);
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
    // the cheater's slash is listed
    await page.locator('#slashes', { hasText: 'dispute lost' }).waitFor({ timeout: 30_000 });
    await page.locator("#disputes").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'dispute-1280.png'), fullPage: true });

    // keyboard: the first Tab lands on the skip link
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');

    // phone width: no sideways scrolling
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await page.screenshot({ path: join(shots, 'phone-390.png'), fullPage: true });

    expect(consoleErrors).toEqual([]);
    console.info(`dashboard screenshots: ${shots}`);
  }, 330_000);
});
