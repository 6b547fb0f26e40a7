// The rollup end to end, in process (run by rollup.test.ts on the embedded L1 and rollup-anvil.test.ts on anvil): a sequencer node with the L1
// watcher, batcher and proposer; deposits of ETH and the ERC-20 credited on L2 with their events;
// a withdrawal proven and finalized on L1, paid once; L2 total supply = genesis + deposits −
// withdrawals at every block; a second node that derives the chain from L1 alone reaches the same
// blocks and roots, and checks every posted output root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, encodeFunctionData, http, parseEther, type Address, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { L1Kind } from './l1-harness.ts';
import { defaultDevnetGenesis, devnetAccounts, type Genesis } from '../../../genesis/index.ts';
import { createLogger } from '../../../infra/logger.ts';
import { accountsAbi } from '../../../state-machine/modules/accounts/abi.ts';
import { MODULE_ADDRESSES } from '../../../state-machine/modules/addresses.ts';
import { bridgeAbi } from '../../../state-machine/modules/bridge/abi.ts';
import { loadConfig } from '../../config.ts';
import { startNode, type RunningNode } from '../../verity-node.ts';
import { deposit, depositStatus, finalize, prove, withdraw, withdrawalStatus } from '../bridge-ops.ts';
import { bridgeParamsFor, type BridgeDeployment } from '../deploy.ts';
import { outputOf } from '../proposer.ts';
import { L1_KEYS, deployOn, l1Account, l1Send, startL1, type TestL1 } from './l1-harness.ts';
import { testTokenAbi } from '../../../bridge/artifacts.ts';

const logger = createLogger('test', 'silent');
const BRIDGE = MODULE_ADDRESSES.bridge as Address;
const ZERO: Address = '0x0000000000000000000000000000000000000000';
const WINDOW = 60n;

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function rollupSuite(kind: L1Kind): void {
describe(`rollup on the ${kind} L1`, () => {
  let l1: TestL1;
  let dep: BridgeDeployment;
  let genesis: Genesis;
  let node: RunningNode;
  let l2: PublicClient;
  const dirs: string[] = [];
  const l2User = devnetAccounts(6)[5];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'verity-rollup-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    l1 = await startL1(kind, 1000);
    dep = await deployOn(l1, WINDOW);
    genesis = defaultDevnetGenesis();
    genesis.modules.bridge = bridgeParamsFor(dep, { confirmations: 1n, windowSeconds: WINDOW, outputIntervalBlocks: 8n });
    const config = loadConfig({ flags: { dataDir: tmp(), rpcPort: 0, sequencerKey: devnetAccounts(1)[0].privateKey } });
    node = await startNode(config, genesis, logger, undefined, { l1Rpc: l1.url, batcherKey: L1_KEYS[4], proposerKey: L1_KEYS[2], pollMs: 200, batchIntervalMs: 500 });
    l2 = createPublicClient({ transport: http(node.url, { batch: { batchSize: 200 } }) });
  }, 60_000);

  afterAll(async () => {
    await node?.stop();
    l1?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('credits ETH and ERC-20 deposits on L2 with their events', async () => {
    const alice: Address = '0x00000000000000000000000000000000000a11ce';
    const e = { l1Rpc: l1.url, l2Rpc: node.url };
    const cfg = await l2.request<{ Method: 'verity_rollupConfig'; Parameters: []; ReturnType: Record<string, string> }>({ method: 'verity_rollupConfig', params: [] });
    expect(cfg.portal).toBe(dep.portal.toLowerCase());
    expect(BigInt(cfg.l1ChainId)).toBe(dep.l1ChainId);
    const a = await deposit({ ...e, account: privateKeyToAccount(L1_KEYS[1]), to: alice, amount: parseEther('2') });
    await l1Send(l1, 1, dep.testToken, encodeFunctionData({ abi: testTokenAbi, functionName: 'mint', args: [l1Account(1).address, 77n] }));
    const b = await deposit({ ...e, account: privateKeyToAccount(L1_KEYS[1]), to: alice, amount: 77n, token: dep.testToken });
    await until('ETH credit', async () => (await l2.getBalance({ address: alice })) === parseEther('2'));
    await until('token credit', async () => (await l2.readContract({ address: BRIDGE, abi: bridgeAbi, functionName: 'tokenBalanceOf', args: [dep.testToken, alice] })) === 77n);
    const events = await l2.getContractEvents({ address: BRIDGE, abi: bridgeAbi, eventName: 'DepositFinalized', fromBlock: 0n, toBlock: 'latest', strict: true });
    expect(events.map((x) => [x.args.nonce, x.args.to.toLowerCase(), x.args.token.toLowerCase(), x.args.amount, x.args.l1TxHash])).toEqual([
      [0n, alice, ZERO, parseEther('2'), a.l1TxHash],
      [1n, alice, dep.testToken.toLowerCase(), 77n, b.l1TxHash],
    ]);
    const s = await depositStatus(e, 1n);
    expect(s).toMatchObject({ onL1: true, creditedOnL2: true, amount: '77' });
  });

  it('withdraws, proves and finalizes on L1, paid once; a second finalize reverts', async () => {
    const e = { l1Rpc: l1.url, l2Rpc: node.url };
    const payee: Address = l1Account(7).address;
    // the portal holds the 2 ETH deposited above; L2 balances beyond that cannot all leave
    const w = await withdraw({ l2Rpc: node.url, account: privateKeyToAccount(l2User.privateKey), to: payee, amount: parseEther('1.25') });
    // the proposer posts an output root at or above the withdrawal's block once it is batched
    await until('an output root covering the withdrawal', async () => (await node.rollup?.service?.proposer?.latest ?? 0n) >= BigInt(w.l2Block), 40_000);
    const account = privateKeyToAccount(L1_KEYS[8]);
    const p = await prove({ ...e, account, index: BigInt(w.index) });
    expect(BigInt(p.l2BlockNumber)).toBeGreaterThanOrEqual(BigInt(w.l2Block));
    expect((await withdrawalStatus(e, BigInt(w.index))).state).toMatch(/proven|ready-to-finalize/);
    await expect(finalize({ ...e, account, index: BigInt(w.index) })).rejects.toThrow(/OutputNotFinalized/);
    await l1.test.increaseTime({ seconds: Number(WINDOW) + 1 });
    await l1.test.mine({ blocks: 1 });
    const before = await l1.pub.getBalance({ address: payee });
    await finalize({ ...e, account, index: BigInt(w.index) });
    expect((await l1.pub.getBalance({ address: payee })) - before).toBe(parseEther('1.25'));
    await expect(finalize({ ...e, account, index: BigInt(w.index) })).rejects.toThrow(/WithdrawalAlreadyFinalized/);
    expect((await l1.pub.getBalance({ address: payee })) - before).toBe(parseEther('1.25'));
    expect((await withdrawalStatus(e, BigInt(w.index))).state).toBe('finalized');
  });

  it('keeps L2 total supply = genesis + deposits − withdrawals at every block', async () => {
    const head = await l2.getBlockNumber();
    const supplyAt = (n: bigint) => l2.readContract({ address: MODULE_ADDRESSES.accounts as Address, abi: accountsAbi, functionName: 'totalSupply', blockNumber: n });
    const genesisSupply = await supplyAt(0n);
    const deps = await l2.getContractEvents({ address: BRIDGE, abi: bridgeAbi, eventName: 'DepositFinalized', fromBlock: 0n, toBlock: head, strict: true });
    const wds = await l2.getContractEvents({ address: BRIDGE, abi: bridgeAbi, eventName: 'WithdrawalInitiated', fromBlock: 0n, toBlock: head, strict: true });
    expect(deps.length).toBeGreaterThan(0);
    expect(wds.length).toBeGreaterThan(0);
    const blocks = Array.from({ length: Number(head) + 1 }, (_, i) => BigInt(i));
    const supplies = await Promise.all(blocks.map(supplyAt));
    for (const n of blocks) {
      const inEth = deps.filter((x) => x.blockNumber <= n && x.args.token === ZERO).reduce((s, x) => s + x.args.amount, 0n);
      const outEth = wds.filter((x) => x.blockNumber <= n && x.args.token === ZERO).reduce((s, x) => s + x.args.amount, 0n);
      expect(supplies[Number(n)]).toBe(genesisSupply + inEth - outEth);
    }
  });

  it('derives the same chain from L1 alone and checks the posted output roots', async () => {
    const batched = await until('a batch on L1', async () => {
      const p = node.rollup?.service?.batcher?.posted() ?? 0n;
      return p > 20n ? p : null;
    });
    const config = loadConfig({ flags: { dataDir: tmp(), rpcPort: 0 } });
    const follower = await startNode(config, genesis, logger, undefined, { l1Rpc: l1.url, batcherKey: null, proposerKey: null, deriveFromL1: true, pollMs: 200 });
    try {
      await until('derivation', async () => follower.chain.headHeaderNow().number >= batched, 40_000);
      const d = follower.rollup?.derivation;
      expect(d?.failed).toBeNull();
      for (let n = 1n; n <= batched; n++) {
        const [mine, theirs] = [await node.chain.log.getBlock(n), await follower.chain.log.getBlock(n)];
        expect(theirs?.block.hash).toBe(mine?.block.hash);
        expect((await outputOf(follower.chain, n))?.root).toBe((await outputOf(node.chain, n))?.root);
      }
      await until('output roots checked', async () => (d?.outputsChecked ?? 0) > 0);
    } finally {
      await follower.stop();
    }
  });
});
}
