// Crash and restart of a real node process: SIGKILL in the middle of load, then restart on the same
// data dir. Receipts seen before the crash must come back unchanged, every acknowledged tx must be
// pending or included, and the head state root must equal a replay of the log from genesis alone.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDevnetGenesis, devnetAccounts } from '../../genesis/index.ts';
import { bytesToHex, hexToBytes } from '../../state-machine/crypto/hash.ts';
import { StateHistory } from '../chain/state-history.ts';
import { signTx } from '../devnet/sign-tx.ts';
import { rpcBatch as rpc } from '../devnet/rpc-batch.ts';
import { EventLog, openDb } from '../store/event-log.ts';
import { startCli } from './network-procs.ts';

const genesis = defaultDevnetGenesis();
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startNode(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return startCli(['devnet', '--datadir', dataDir, '--port', '0', '--followers', '0', '--snapshot-interval', '2', '--log-level', 'warn'], children);
}

describe('node restart after SIGKILL', () => {
  it('keeps receipts, acknowledged txs and the replayable state root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verity-restart-'));
    dirs.push(dir);
    const senders = devnetAccounts(10).slice(1);
    const raws: string[] = [];
    for (let nonce = 0n; nonce < 40n; nonce++) {
      for (const s of senders) {
        raws.push(bytesToHex(signTx({ chainId: genesis.chainId, nonce, to: senders[0].address, value: 7n, gasLimit: 21_000n, maxFeePerGas: 50n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n }, hexToBytes(s.privateKey))));
      }
    }

    let { child, url } = await startNode(dir);
    const acknowledged = new Set<string>();
    const receipts = new Map<string, unknown>();
    let killed = false;
    let enoughReceipts = false;
    const sending = (async () => {
      for (let i = 0; i < raws.length && !killed; i += 18) {
        // a batch goes out while the kill comes: whatever it got acknowledged must survive
        if (enoughReceipts) setTimeout(() => child.kill('SIGKILL'), 1);
        try {
          const replies = await rpc(url, raws.slice(i, i + 18).map((r) => ['eth_sendRawTransaction', [r]]));
          for (const r of replies) if (typeof r.result === 'string') acknowledged.add(r.result);
        } catch {
          return; // the node died under us: what it acknowledged so far is what counts
        }
        if (enoughReceipts) {
          // and the batch just acknowledged is in the journal, not yet in a block
          child.kill('SIGKILL');
          return;
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    // poll receipts until a few blocks' worth have been seen, then kill the node mid-load
    while (receipts.size < 120 && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 40));
      const asked = [...acknowledged].filter((h) => !receipts.has(h));
      if (asked.length === 0) continue;
      const replies = await rpc(url, asked.map((h) => ['eth_getTransactionReceipt', [h]]));
      replies.forEach((r, i) => {
        if (r.result) receipts.set(asked[i], r.result);
      });
    }
    enoughReceipts = true;
    await sending;
    killed = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    expect(receipts.size).toBeGreaterThanOrEqual(120);

    ({ child, url } = await startNode(dir));
    const seen = [...receipts.keys()];
    const again = await rpc(url, seen.map((h) => ['eth_getTransactionReceipt', [h]]));
    again.forEach((r, i) => expect(r.result).toEqual(receipts.get(seen[i])));
    const acked = [...acknowledged];
    const found = await rpc(url, acked.map((h) => ['eth_getTransactionByHash', [h]]));
    found.forEach((r, i) => {
      expect(r.result, `acknowledged tx ${acked[i]} lost`).toBeTruthy();
    });
    // the node carries on: everything acknowledged gets included
    for (let tries = 0; ; tries++) {
      const rs = await rpc(url, acked.map((h) => ['eth_getTransactionReceipt', [h]]));
      if (rs.every((r) => r.result)) break;
      expect(tries).toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [latest] = await rpc(url, [['eth_getBlockByNumber', ['latest', false]]]);
    const head = latest.result as { number: string; stateRoot: string };
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);

    // replay the whole log into a fresh state from genesis, ignoring snapshots (the block clock may
    // have sealed another empty block between the read above and the stop)
    const log = await EventLog.open(await openDb(dir));
    const n = log.head()?.number ?? -1n;
    expect(n).toBeGreaterThanOrEqual(BigInt(head.number));
    const stored = await log.getBlock(n);
    const { state } = await new StateHistory(genesis, log).rebuild(n, { useSnapshots: false });
    expect(state.root()).toBe(stored?.block.header.stateRoot);
    expect((await log.snapshotNumbers()).length, `head ${n}`).toBeGreaterThan(0);
    await log.close();
  });
});
