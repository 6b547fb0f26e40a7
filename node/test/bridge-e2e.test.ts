// The rollup across SIGKILL: a `verity node` process with --l1-rpc runs the watcher, batcher and
// proposer against the embedded L1; it is killed with SIGKILL just after a batch lands and again just
// after an output root lands (so the next post is being prepared or is in flight), and restarted on
// the same data dir each time. Afterwards L1 holds every L2 block exactly once across the batches (no gap, no
// duplicate), output roots at strictly increasing blocks, each equal to the node's own, and the one
// deposit is credited exactly once.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, getAbiItem, http, parseEther, type Address } from 'viem';
import { afterAll, describe, expect, it } from 'vitest';
import { batchInboxAbi, outputOracleAbi } from '../../bridge/artifacts.ts';
import { defaultDevnetGenesis, devnetAccounts, genesisToJson } from '../../genesis/index.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { bridgeAbi } from '../../state-machine/modules/bridge/abi.ts';
import { batchOfLog, decodeBatchHeader, BATCH_SUBMITTED } from '../rollup/batch-format.ts';
import { bridgeParamsFor } from '../rollup/deploy.ts';
import { outputRoot } from '../../bridge/withdrawals.ts';
import { EventLog, openDb } from '../store/event-log.ts';
import { L1_KEYS, depositEth, deployOn, startEmbedded, type TestL1 } from '../rollup/test/l1-harness.ts';
import { startCli } from './network-procs.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
let l1: TestL1 | null = null;
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  l1?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function until<T>(what: string, f: () => Promise<T | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('rollup node under SIGKILL', () => {
  it('posts every block once and every output root once across crashes, and credits a deposit once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verity-bridge-e2e-'));
    dirs.push(dir);
    const L1 = (l1 = await startEmbedded(300));
    const dep = await deployOn(L1, 3600n);
    const genesis = defaultDevnetGenesis();
    genesis.modules.bridge = bridgeParamsFor(dep, { confirmations: 1n, windowSeconds: 3600n, outputIntervalBlocks: 4n });
    const gfile = join(dir, 'genesis.json');
    writeFileSync(gfile, genesisToJson(genesis));
    const keyFile = join(dir, 'seq.key');
    writeFileSync(keyFile, devnetAccounts(1)[0].privateKey);
    const start = (): Promise<{ child: ChildProcess; url: string }> =>
      startCli(['node', '--genesis', gfile, '--datadir', join(dir, 'data'), '--rpc-port', '0', '--sequencer-key-file', keyFile, '--l1-rpc', L1.url, '--log-level', 'warn'], children, {
        ...process.env,
        VERITY_BATCHER_KEY: L1_KEYS[4],
        VERITY_PROPOSER_KEY: L1_KEYS[2],
      });
    const batchCount = () => L1.pub.readContract({ address: dep.batchInbox, abi: batchInboxAbi, functionName: 'batchCount' });
    const latestOutput = () => L1.pub.readContract({ address: dep.outputOracle, abi: outputOracleAbi, functionName: 'latestBlockNumber' });
    const alice: Address = '0x00000000000000000000000000000000000a11ce';

    let node = await start();
    await depositEth(L1, 1, dep.portal, alice, parseEther('1'));
    let outputAtKill = 0n;
    for (let round = 0; round < 2; round++) {
      // kill right after a batch (round 0) or an output root (round 1) lands: the next post is on its way
      const read = round === 1 ? latestOutput : batchCount;
      const before = await read();
      await until('a post to L1', async () => (await read()) > before, 30_000);
      await new Promise((r) => setTimeout(r, 150 * round));
      node.child.kill('SIGKILL');
      await new Promise((r) => node.child.once('exit', r));
      outputAtKill = await latestOutput();
      node = await start();
    }
    const l2 = createPublicClient({ transport: http(node.url) });
    // the deposit was credited once, whatever the crashes did to the watcher
    await until('the deposit on L2', async () => (await l2.getBalance({ address: alice })) > 0n);
    expect(await l2.getBalance({ address: alice })).toBe(parseEther('1'));
    expect(await l2.readContract({ address: MODULE_ADDRESSES.bridge as Address, abi: bridgeAbi, functionName: 'nextDepositNonce' })).toBe(1n);
    const head = await l2.getBlockNumber();
    // let the restarted node catch up past the head seen now
    await until('batches past the head', async () => {
      const logs = await L1.pub.getLogs({ address: dep.batchInbox, event: BATCH_SUBMITTED, fromBlock: 0n, toBlock: 'latest', strict: true });
      const last = logs.at(-1);
      if (last === undefined) return false;
      const h = decodeBatchHeader((await batchOfLog(L1.pub, dep.batchInbox, last)).frame);
      return h.first + BigInt(h.count) - 1n >= head;
    }, 40_000);
    // and the restarted proposer goes on from where the killed one stopped
    await until('an output root after the crashes', async () => (await latestOutput()) > outputAtKill, 40_000);
    node.child.kill('SIGTERM');
    await new Promise((r) => node.child.once('exit', r));

    const logs = await L1.pub.getLogs({ address: dep.batchInbox, event: BATCH_SUBMITTED, fromBlock: 0n, toBlock: 'latest', strict: true });
    let next = 1n;
    for (const log of logs) {
      const h = decodeBatchHeader((await batchOfLog(L1.pub, dep.batchInbox, log)).frame);
      expect(h.first).toBe(next); // contiguous: no gap, no block posted twice
      next = h.first + BigInt(h.count);
    }
    expect(next - 1n).toBeGreaterThanOrEqual(head);
    // one batch before the first kill, at least one after the restarts (a catch-up batch may hold many blocks)
    expect(logs.length).toBeGreaterThanOrEqual(2);

    const outputs = await L1.pub.getLogs({ address: dep.outputOracle, event: getAbiItem({ abi: outputOracleAbi, name: 'OutputProposed' }), fromBlock: 0n, toBlock: 'latest', strict: true });
    expect(outputs.length).toBeGreaterThan(1);
    const numbers = outputs.map((o) => o.args.l2BlockNumber);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThan(numbers[i - 1]);

    // the node's own blocks (read from its data dir) give the posted roots
    const log = await EventLog.open(await openDb(join(dir, 'data')));
    try {
      for (const o of outputs) {
        const b = await log.getBlock(o.args.l2BlockNumber);
        expect(b && outputRoot(b.block.header.stateRoot, b.block.header.withdrawalsRoot, b.block.hash)).toBe(o.args.outputRoot);
      }
    } finally {
      await log.close();
    }
  }, 150_000);
});
