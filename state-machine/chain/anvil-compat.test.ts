// Receipts and blooms against an independent implementation: anvil (Foundry's Ethereum node). A
// contract that emits one log is deployed and called; anvil's blooms must equal ours, and the
// receiptsRoot of its one-transaction blocks must be the trie root of our receipt encoding.
import { RLP } from '@ethereumjs/rlp';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createPublicClient, createWalletClient, http, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS } from '../test/chain-harness.ts';
import { bytesToHex, keccak256 } from '../crypto/hash.ts';
import { logsBloomHex } from './bloom.ts';
import { encodeReceipt } from './receipt.ts';
import { nextBaseFee } from './fees.ts';
import type { Receipt } from './types.ts';

const ANVIL = new URL('../../node_modules/.bin/anvil', import.meta.url).pathname;
const topic0 = bytesToHex(keccak256(new TextEncoder().encode('Verity(uint256)')));
const topic1 = bytesToHex(keccak256(new TextEncoder().encode('bloom')));

// runtime: PUSH32 topic1, PUSH32 topic0, PUSH1 32, PUSH1 0, LOG2, STOP  (72 bytes)
const runtime = `7f${topic1.slice(2)}7f${topic0.slice(2)}60206000a200`;
// init: CODECOPY(0, 12, 72); RETURN(0, 72)
const initCode = `0x6048600c60003960486000f3${runtime}` as Hex;

let anvil: ChildProcess | null = null;
let url = '';

beforeAll(async () => {
  if (!existsSync(ANVIL)) return;
  const proc = spawn(ANVIL, ['--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  anvil = proc;
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(`http://${m[1]}`);
    });
    proc.on('exit', (code) => reject(new Error(`anvil exited with ${code}`)));
  });
});

afterAll(() => {
  anvil?.kill();
});

/**
 * Ethereum's receipts trie root for a block with exactly one receipt: one leaf node at key rlp(0) =
 * 0x80, i.e. nibbles [8, 0], hex-prefixed as a leaf with an even path: 0x20 0x80.
 */
function singleReceiptTrieRoot(encodedReceipt: Uint8Array): Hex {
  return bytesToHex(keccak256(RLP.encode([new Uint8Array([0x20, 0x80]), encodedReceipt])));
}

describe('logs bloom and receipt encoding', () => {
  it.skipIf(!existsSync(ANVIL))('match anvil: blooms, and receipts roots of one-transaction blocks', async () => {
    const account = privateKeyToAccount(ACCOUNTS[5].privateKey); // funded by anvil's default mnemonic too
    const wallet = createWalletClient({ account, chain: foundry, transport: http(url) });
    const client = createPublicClient({ chain: foundry, transport: http(url) });
    const deployHash = await wallet.deployContract({ abi: [], bytecode: initCode });
    const { contractAddress } = await client.waitForTransactionReceipt({ hash: deployHash });
    expect(contractAddress).toBeTruthy();
    const hash = await wallet.sendTransaction({ to: contractAddress as Hex });
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.logs).toHaveLength(1);
    expect(receipt.logs[0].topics).toEqual([topic0, topic1]);
    const ours = logsBloomHex(receipt.logs.map((l) => ({ address: l.address.toLowerCase() as Hex, topics: l.topics as Hex[], data: l.data })));
    expect(ours).toBe(receipt.logsBloom);
    const block = await client.getBlock({ blockNumber: receipt.blockNumber });
    expect(ours).toBe(block.logsBloom);

    const mine: Receipt = {
      txHash: receipt.transactionHash,
      status: 1,
      gasUsed: receipt.gasUsed,
      cumulativeGasUsed: receipt.cumulativeGasUsed,
      effectiveGasPrice: receipt.effectiveGasPrice,
      logs: receipt.logs.map((l) => ({ address: l.address.toLowerCase() as Hex, topics: l.topics as Hex[], data: l.data })),
      logsBloom: ours,
    };
    expect(block.transactions).toHaveLength(1);
    expect(singleReceiptTrieRoot(encodeReceipt(mine, 2))).toBe(block.receiptsRoot);

    // a legacy transaction without logs, and a failed one (status 0)
    for (const [extra, status] of [[{ type: 'legacy' as const }, 1], [{ type: 'legacy' as const, data: '0x00' as Hex, to: '0x0000000000000000000000000000000000000001' as Hex, gas: 21_100n }, 0]] as const) {
      const h = await wallet.sendTransaction({ to: account.address, value: 1n, ...extra });
      const r = await client.waitForTransactionReceipt({ hash: h });
      const b = await client.getBlock({ blockNumber: r.blockNumber });
      const legacy: Receipt = { ...mine, txHash: h, status: r.status === 'success' ? 1 : 0, cumulativeGasUsed: r.cumulativeGasUsed, logs: [], logsBloom: logsBloomHex([]) };
      expect(legacy.status).toBe(status);
      expect(singleReceiptTrieRoot(encodeReceipt(legacy, 0))).toBe(b.receiptsRoot);
    }

    // anvil's base fees follow the same EIP-1559 rule (elasticity 2, denominator 8, no floor); its
    // block 1 keeps the genesis base fee, so the comparison starts at block 2
    const head = await client.getBlockNumber({ cacheTime: 0 }); // viem caches the number otherwise
    expect(head).toBeGreaterThanOrEqual(3n);
    const params = { initial: 0n, elasticityMultiplier: 2n, changeDenominator: 8n, min: 0n };
    let parent = await client.getBlock({ blockNumber: 1n });
    for (let n = 2n; n <= head; n++) {
      const child = await client.getBlock({ blockNumber: n });
      const p = { baseFee: parent.baseFeePerGas ?? 0n, gasUsed: parent.gasUsed, gasLimit: parent.gasLimit };
      expect(nextBaseFee(p, params)).toBe(child.baseFeePerGas);
      parent = child;
    }
  });
});
