// Foundry's cast against a real node: what a developer types first. Skipped when the optional
// @foundry-rs/cast binary is not installed (it ships for Linux x64 only).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNode } from '../../node/verity-node.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { devnetKeys as keys, startTempNode, testGenesis } from './node-helpers.ts';

const CAST = join(process.cwd(), 'node_modules', '.bin', 'cast');
const run = promisify(execFile);

describe.skipIf(!existsSync(CAST))('cast against a real node', () => {
  const genesis = testGenesis(50);
  let node: RunningNode;
  const cast = async (...args: string[]) =>
    (await run(CAST, [...args, '--rpc-url', node.url], { timeout: 20_000, env: { ...process.env, FOUNDRY_DISABLE_NIGHTLY_WARNING: '1' } })).stdout.trim();

  beforeAll(async () => {
    node = await startTempNode(genesis);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('chain-id, send, receipt, balance, nonce, code and a module view call', async () => {
    expect(await cast('chain-id')).toBe(genesis.chainId.toString());
    const sent = JSON.parse(await cast('send', '--json', '--private-key', keys[0].privateKey, keys[1].address, '--value', '1000')) as {
      transactionHash: string;
      status: string;
    };
    expect(sent.status).toBe('0x1');
    const receipt = JSON.parse(await cast('receipt', '--json', sent.transactionHash)) as { status: string; from: string; blockNumber: string };
    expect(receipt).toMatchObject({ status: '0x1', from: keys[0].address.toLowerCase() });
    expect(await cast('nonce', keys[0].address)).toBe('1');
    expect(BigInt(await cast('balance', keys[1].address))).toBe(10_000n * 10n ** 18n + 1000n);
    expect(await cast('code', MODULE_ADDRESSES.stake)).not.toBe('0x');
    expect((await cast('call', MODULE_ADDRESSES.stake, 'stakeOf(address)(uint256)', keys[1].address)).split(' ')[0]).toBe(String(genesis.modules.stake.bonds[keys[1].address] ?? 0n));
    expect(Number(await cast('block-number'))).toBeGreaterThanOrEqual(Number(BigInt(receipt.blockNumber)));
    const block = JSON.parse(await cast('block', receipt.blockNumber, '--json')) as { transactions: string[]; miner: string };
    expect(block.transactions).toContain(sent.transactionHash);
    const tx = JSON.parse(await cast('tx', sent.transactionHash, '--json')) as { hash: string; value: string };
    expect(tx).toMatchObject({ hash: sent.transactionHash, value: '0x3e8' });
    expect(await cast('gas-price')).toMatch(/^\d+$/);
    const legacy = JSON.parse(await cast('send', '--json', '--legacy', '--private-key', keys[0].privateKey, keys[1].address, '--value', '1')) as {
      transactionHash: string;
      status: string;
      type: string;
    };
    expect(legacy).toMatchObject({ status: '0x1', type: '0x0' });
    const legacyTx = JSON.parse(await cast('tx', legacy.transactionHash, '--json')) as { type: string; chainId: string };
    expect(legacyTx).toMatchObject({ type: '0x0', chainId: `0x${genesis.chainId.toString(16)}` });
  });
});
