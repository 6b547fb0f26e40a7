// Unlocked devnet accounts (`verity devnet --unlocked`): without them eth_accounts is empty and
// eth_sendTransaction is refused with a clear error; with them viem's JSON-RPC account and
// `cast send --unlocked` send transactions the node signs. `verity node` has no such flag.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, getAddress, http, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devnetAccounts } from '../../genesis/index.ts';
import { NO_UNLOCKED_ACCOUNTS } from '../../rpc/methods/accounts.ts';
import { startTempNode, testGenesis } from '../../rpc/test/node-helpers.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { stakeAbi } from '../../state-machine/modules/stake/abi.ts';
import * as devnetCommand from '../cli/devnet-command.ts';
import * as nodeCommand from '../cli/node-command.ts';
import type { RunningNode } from '../verity-node.ts';
import { unlockDevnetAccounts } from './unlocked.ts';

const root = resolve(import.meta.dirname, '..', '..');
const castBin = join(root, 'node_modules', '@foundry-rs', 'cast-linux-amd64', 'bin', 'cast');
const genesis = testGenesis(50);
const chain = defineChain({ id: Number(genesis.chainId), name: 'verity-devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [] } } });
const accounts = devnetAccounts(3);
let node: RunningNode;

async function rpc(method: string, params: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }> {
  const res = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
}

beforeAll(async () => {
  node = await startTempNode(genesis);
});
afterAll(() => node.stop());

describe('unlocked devnet accounts', () => {
  it('are offered by `verity devnet --unlocked` only, never by `verity node`', () => {
    const program = new Command();
    devnetCommand.register(program);
    nodeCommand.register(program);
    const flags = (name: string) => program.commands.find((c) => c.name() === name)?.options.map((o) => o.long) ?? [];
    expect(flags('devnet')).toContain('--unlocked');
    expect(flags('node')).not.toContain('--unlocked');
  });

  it('without --unlocked: eth_accounts is empty and eth_sendTransaction says what to do', async () => {
    expect(await rpc('eth_accounts', [])).toMatchObject({ result: [] });
    const r = await rpc('eth_sendTransaction', [{ from: accounts[1].address, to: accounts[2].address, value: '0x1' }]);
    expect(r.error).toEqual({ code: -32000, message: NO_UNLOCKED_ACCOUNTS });
  });

  it('with them: viem sends value and module calls from a JSON-RPC account; unknown senders and reverts are refused', async () => {
    unlockDevnetAccounts(node.backend, accounts);
    const wallet = createWalletClient({ chain, transport: http(node.url) });
    const client = createPublicClient({ chain, transport: http(node.url) });
    expect(await wallet.getAddresses()).toEqual(accounts.map((a) => getAddress(a.address)));

    const [from, to] = [getAddress(accounts[1].address), getAddress(`0x${'34'.repeat(20)}`)];
    // two at once: consecutive nonces
    const hashes = await Promise.all([wallet.sendTransaction({ account: from, to, value: 5n }), wallet.sendTransaction({ account: from, to, value: 6n })]);
    const receipts = await Promise.all(hashes.map((hash) => client.waitForTransactionReceipt({ hash, pollingInterval: 20 })));
    expect(receipts.map((r) => r.status)).toEqual(['success', 'success']);
    expect(await client.getBalance({ address: to })).toBe(11n);
    const txs = await Promise.all(hashes.map((hash) => client.getTransaction({ hash })));
    expect(txs.map((t) => t.nonce).sort()).toEqual([0, 1]);
    expect(txs[0]).toMatchObject({ from: from.toLowerCase(), type: 'eip1559', chainId: Number(genesis.chainId) });

    const bond = await wallet.writeContract({ account: getAddress(accounts[2].address), address: MODULE_ADDRESSES.stake, abi: stakeAbi, functionName: 'bond', value: 10n ** 18n });
    expect((await client.waitForTransactionReceipt({ hash: bond, pollingInterval: 20 })).status).toBe('success');

    const legacy = await wallet.sendTransaction({ account: from, to, value: 1n, type: 'legacy', gasPrice: 10n ** 10n });
    expect(await client.getTransaction({ hash: legacy })).toMatchObject({ type: 'legacy', gasPrice: 10n ** 10n });

    const stranger = await rpc('eth_sendTransaction', [{ from: `0x${'56'.repeat(20)}`, to, value: '0x1' }]);
    expect(stranger.error?.message).toMatch(/^unknown account 0x5656/);
    // unbonding more than the bond reverts: refused with the revert data, as eth_estimateGas does
    const unbondTooMuch = encodeFunctionData({ abi: stakeAbi, functionName: 'beginUnbond', args: [10n ** 30n] });
    const reverting = await rpc('eth_sendTransaction', [{ from: accounts[1].address, to: MODULE_ADDRESSES.stake, data: unbondTooMuch }]);
    expect(reverting.error?.code).toBe(3);
    expect(await rpc('eth_sendTransaction', [{ from: accounts[1].address, value: '0x1' }])).toMatchObject({ error: { code: -32602 } });
  });

  it.skipIf(!existsSync(castBin))('cast send --unlocked --from', { timeout: 60_000 }, async () => {
    unlockDevnetAccounts(node.backend, accounts);
    const to = `0x${'78'.repeat(20)}` as Hex;
    const { stdout } = await promisify(execFile)(castBin, ['send', '--rpc-url', node.url, '--unlocked', '--from', accounts[1].address, to, '--value', '7', '--json']);
    const receipt = JSON.parse(stdout) as { status: string; from: string };
    expect(receipt.status).toBe('0x1');
    expect(receipt.from.toLowerCase()).toBe(accounts[1].address.toLowerCase());
    const client = createPublicClient({ chain, transport: http(node.url) });
    expect(await client.getBalance({ address: to })).toBe(7n);
  });
});
