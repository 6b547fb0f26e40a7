// The L1 watcher on the embedded L1 and on anvil (where present): confirmed deposits with every field, survival across a restart, a
// reorg before confirmation that never reaches the feed, a Deposit-shaped event of another contract,
// and an L1 RPC that answers garbage or not at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress, parseEther, type Address, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/logger.ts';
import { deployBridge, type BridgeDeployment } from './deploy.ts';
import { l1PublicClient } from './l1.ts';
import { HAVE_ANVIL, L1_KEYS, L1_KINDS, depositEth, depositToken, deployOn, l1Account, startL1, type TestL1, ANVIL } from './test/l1-harness.ts';
import { DepositWatcher } from './watcher.ts';

if (!HAVE_ANVIL) console.warn(`L1 watcher tests run on the embedded L1 only: no anvil binary at ${ANVIL} (optional dependency)`);

const logger = createLogger('test', 'silent');
const ALICE: Address = '0x00000000000000000000000000000000000a11ce';
const BOB: Address = '0x0000000000000000000000000000000000000b0b';
const dirs: string[] = [];

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'verity-watcher-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(L1_KINDS)('L1 deposit watcher on the %s L1', (kind) => {
  let l1: TestL1;
  let dep: BridgeDeployment;
  beforeAll(async () => {
    l1 = await startL1(kind);
    dep = await deployOn(l1);
  });
  afterAll(() => l1?.stop());

  it('feeds confirmed ETH and ERC-20 deposits with their L1 fields, once, across a restart', async () => {
    const db = dir();
    const open = () => DepositWatcher.open({ pub: l1.pub, portal: dep.portal, startBlock: dep.startBlock, confirmations: 2n, dbDir: db, logger });
    let w = await open();
    const a = await depositEth(l1, 1, dep.portal, ALICE, parseEther('1.5'));
    const b = await depositToken(l1, 1, dep.portal, dep.testToken, BOB, 42n);
    await w.poll();
    // the newest block has one confirmation only: deposit b is not fed yet
    expect(w.deposits(0n, 1n << 62n, 10).map((d) => d.nonce)).toEqual([0n]);
    await l1.test.mine({ blocks: 1 });
    await w.poll();
    const got = w.deposits(0n, 1n << 62n, 10);
    expect(got.map((d) => [d.nonce, d.to, d.token, d.amount])).toEqual([
      [0n, ALICE, '0x0000000000000000000000000000000000000000', parseEther('1.5')],
      [1n, BOB, dep.testToken.toLowerCase(), 42n],
    ]);
    expect(got[0].from).toBe(l1Account(1).address.toLowerCase());
    expect(got[0].l1TxHash).toBe(a.hash);
    expect(got[1].l1TxHash).toBe(b.hash);
    expect(got[1].l1BlockNumber).toBe(b.blockNumber);
    expect(got[1].l1BlockHash).toBe((await l1.pub.getBlock({ blockNumber: b.blockNumber })).hash);
    expect(w.deposits(1n, a.blockNumber, 10)).toEqual([]); // b is above maxL1Block
    expect(w.deposits(0n, 1n << 62n, 1)).toHaveLength(1);
    const origin = w.origin();
    expect(origin?.number).toBe((await l1.pub.getBlockNumber()) - 1n);
    await w.close();
    w = await open();
    expect(w.deposits(0n, 1n << 62n, 10)).toEqual(got);
    expect(w.origin()).toEqual(origin);
    await l1.test.mine({ blocks: 3 });
    await w.poll();
    expect(w.deposits(0n, 1n << 62n, 10)).toEqual(got);
    await w.close();
  });

  it('never feeds a deposit that a reorg removed before it had its confirmations', async () => {
    const fresh = await startL1(kind);
    try {
      const d = await deployOn(fresh);
      const w = await DepositWatcher.open({ pub: fresh.pub, portal: d.portal, startBlock: d.startBlock, confirmations: 3n, dbDir: dir(), logger });
      await w.poll();
      const snap = await fresh.test.snapshot();
      await depositEth(fresh, 1, d.portal, ALICE, parseEther('7'));
      await fresh.test.mine({ blocks: 1 });
      await w.poll();
      expect(w.deposits(0n, 1n << 62n, 10)).toEqual([]);
      await fresh.test.revert({ id: snap });
      // the replacement chain carries a different deposit with the same nonce
      await depositEth(fresh, 5, d.portal, BOB, 3n);
      await fresh.test.mine({ blocks: 4 });
      await w.poll();
      const fed = w.deposits(0n, 1n << 62n, 10);
      expect(fed.map((x) => [x.nonce, x.to, x.amount])).toEqual([[0n, BOB, 3n]]);
      await w.close();
    } finally {
      fresh.stop();
    }
  });

  it('ignores Deposit events of a contract that is not the portal', async () => {
    // a second, genuine Portal deployment emits the very same event shape
    const other = await deployBridge({ pub: l1.pub, url: l1.url, deployerKey: L1_KEYS[6], proposer: ALICE, guardian: ALICE, batcher: ALICE, windowSeconds: 1n });
    const w = await DepositWatcher.open({ pub: l1.pub, portal: dep.portal, startBlock: dep.startBlock, confirmations: 1n, dbDir: dir(), logger });
    await w.poll();
    const before = w.deposits(0n, 1n << 62n, 100).length;
    await depositEth(l1, 6, other.portal, ALICE, parseEther('100'));
    await l1.test.mine({ blocks: 2 });
    await w.poll();
    expect(w.deposits(0n, 1n << 62n, 100)).toHaveLength(before);
    expect(w.deposits(0n, 1n << 62n, 100).every((d) => d.amount !== parseEther('100'))).toBe(true);
    await w.close();
  });

  it('survives an L1 RPC that returns garbage or hangs, and credits nothing from it', async () => {
    // a proxy in front of anvil: per mode, eth_getLogs answers a forged log, broken JSON, or nothing
    let mode: 'forge' | 'junk' | 'hang' | 'pass' = 'forge';
    const forged = (id: unknown): string =>
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        result: [
          {
            address: getAddress('0x00000000000000000000000000000000deadbeef'),
            topics: [
              '0x7189490b11cdaec9f21762aedf4a502b07ca019f0f6da42c6da64a60e4377f91' as Hex,
              `0x${'00'.repeat(31)}63`,
              `0x${'00'.repeat(12)}${'11'.repeat(20)}`,
              `0x${'00'.repeat(12)}${'22'.repeat(20)}`,
            ],
            data: `0x${'00'.repeat(32)}${'00'.repeat(31)}ff`,
            blockNumber: '0x1',
            blockHash: `0x${'ab'.repeat(32)}`,
            transactionHash: `0x${'cd'.repeat(32)}`,
            transactionIndex: '0x0',
            logIndex: '0x0',
            removed: false,
          },
        ],
      });
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const msg = JSON.parse(body) as { id: unknown; method: string };
        if (msg.method === 'eth_getLogs' && mode !== 'pass') {
          if (mode === 'hang') return; // never answers
          res.setHeader('content-type', 'application/json');
          return void res.end(mode === 'forge' ? forged(msg.id) : '{"jsonrpc":"2.0","id":' + JSON.stringify(msg.id) + ',"result":[{"garbage');
        }
        fetch(l1.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
          async (r) => {
            res.setHeader('content-type', 'application/json');
            res.end(await r.text());
          },
          () => res.destroy(),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const pub = l1PublicClient(url, { timeoutMs: 500, retryCount: 0 });
      const w = await DepositWatcher.open({ pub, portal: dep.portal, startBlock: dep.startBlock, confirmations: 1n, dbDir: dir(), logger, pollMs: 50 });
      for (const m of ['forge', 'junk', 'hang'] as const) {
        mode = m;
        await expect(w.poll()).rejects.toThrow();
        expect(w.deposits(0n, 1n << 62n, 100)).toEqual([]);
        expect(w.origin()).toBeNull();
      }
      // the loop keeps running through failures and catches up once the RPC is sane
      w.start();
      await new Promise((r) => setTimeout(r, 300));
      mode = 'pass';
      const deadline = Date.now() + 10_000;
      while (w.origin() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(w.deposits(0n, 1n << 62n, 100).map((d) => d.nonce)).toEqual([0n, 1n]);
      await w.close();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
