// L1s for the rollup tests: anvil (the optional @foundry-rs/anvil-linux-amd64 binary, a client no
// one here wrote; tests skip with a note where it is absent), spawned on 127.0.0.1 with a free port,
// and the bridge deployed on it from the test mnemonic's accounts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createTestClient, createWalletClient, encodeFunctionData, http, type Address, type Hex, type PublicClient, type TestClient } from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { portalAbi, testTokenAbi } from '../../../bridge/artifacts.ts';
import { startEmbeddedL1 } from '../../../bridge/l1/index.ts';
import { devnetAccounts } from '../../../genesis/index.ts';
import { deployBridge, type BridgeDeployment } from '../deploy.ts';
import { l1PublicClient } from '../l1.ts';

export const ANVIL = new URL('../../../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil', import.meta.url).pathname;
export const HAVE_ANVIL = existsSync(ANVIL);
const MNEMONIC = 'test test test test test test test test test test test junk';

/** Test mnemonic accounts 0..9 (keys are public). 0 deploys; 1 user; 2 proposer; 3 guardian; 4 batcher. */
export const L1_KEYS: Hex[] = devnetAccounts(10).map((a) => a.privateKey);
export const l1Account = (i: number): HDAccount => mnemonicToAccount(MNEMONIC, { addressIndex: i });

export interface TestL1 {
  url: string;
  pub: PublicClient;
  test: TestClient;
  stop(): void;
}

export async function startAnvil(args: string[] = []): Promise<TestL1> {
  const proc: ChildProcess = spawn(ANVIL, ['--port', '0', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(`http://${m[1]}`);
    });
    proc.on('exit', (code) => reject(new Error(`anvil exited with ${code}`)));
  });
  return {
    url,
    pub: l1PublicClient(url),
    test: createTestClient({ mode: 'anvil', transport: http(url) }),
    stop: () => void proc.kill('SIGKILL'),
  };
}

/** The project's embedded L1 (@ethereumjs/vm) on a free port; `blockTimeMs` 0 = a block per tx. */
export async function startEmbedded(blockTimeMs = 0): Promise<TestL1> {
  const l1 = await startEmbeddedL1({ host: '127.0.0.1', port: 0, blockTimeMs });
  return {
    url: l1.url,
    pub: l1PublicClient(l1.url),
    test: createTestClient({ mode: 'anvil', transport: http(l1.url) }),
    stop: () => void l1.stop(),
  };
}

export type L1Kind = 'embedded' | 'anvil';
export const L1_KINDS: L1Kind[] = HAVE_ANVIL ? ['embedded', 'anvil'] : ['embedded'];

/** anvil with interval mining takes seconds; the embedded L1 takes ms. */
export function startL1(kind: L1Kind, blockTimeMs = 0): Promise<TestL1> {
  if (kind === 'embedded') return startEmbedded(blockTimeMs);
  return startAnvil(blockTimeMs > 0 ? ['--block-time', String(Math.max(1, Math.round(blockTimeMs / 1000)))] : []);
}

export async function deployOn(l1: TestL1, windowSeconds = 3600n): Promise<BridgeDeployment> {
  return deployBridge({
    pub: l1.pub,
    url: l1.url,
    deployerKey: L1_KEYS[0],
    proposer: l1Account(2).address,
    guardian: l1Account(3).address,
    batcher: l1Account(4).address,
    windowSeconds,
  });
}

/** Sends a call from test account `i` and waits for success. */
export async function l1Send(l1: TestL1, i: number, to: Address, data: Hex, value = 0n): Promise<{ blockNumber: bigint; hash: Hex }> {
  const account = l1Account(i);
  const w = createWalletClient({ account, transport: http(l1.url) });
  const hash = await w.sendTransaction({ account, chain: null, to, data, value });
  const r = await l1.pub.waitForTransactionReceipt({ hash, pollingInterval: 100 });
  if (r.status !== 'success') throw new Error(`L1 tx ${hash} reverted`);
  return { blockNumber: r.blockNumber, hash };
}

export const depositEth = (l1: TestL1, i: number, portal: Address, to: Address, amount: bigint) =>
  l1Send(l1, i, portal, encodeFunctionData({ abi: portalAbi, functionName: 'depositETH', args: [to] }), amount);

export async function depositToken(l1: TestL1, i: number, portal: Address, token: Address, to: Address, amount: bigint): Promise<{ blockNumber: bigint; hash: Hex }> {
  const me = l1Account(i).address;
  await l1Send(l1, i, token, encodeFunctionData({ abi: testTokenAbi, functionName: 'mint', args: [me, amount] }));
  await l1Send(l1, i, token, encodeFunctionData({ abi: testTokenAbi, functionName: 'approve', args: [portal, amount] }));
  return l1Send(l1, i, portal, encodeFunctionData({ abi: portalAbi, functionName: 'depositERC20', args: [token, to, amount] }));
}
