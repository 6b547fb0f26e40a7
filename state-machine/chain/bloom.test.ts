// The logs bloom against an independent implementation: anvil (Foundry's Ethereum node). A contract
// that emits one log is deployed and called; anvil's receipt bloom must equal ours for its logs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createPublicClient, createWalletClient, http, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS } from '../test/chain-harness.ts';
import { bytesToHex, keccak256 } from '../crypto/hash.ts';
import { logsBloomHex } from './bloom.ts';

const ANVIL = new URL('../../node_modules/.bin/anvil', import.meta.url).pathname;
const topic0 = bytesToHex(keccak256(new TextEncoder().encode('Verity(uint256)')));
const topic1 = bytesToHex(keccak256(new TextEncoder().encode('bloom')));

// runtime: PUSH32 topic1, PUSH32 topic0, PUSH1 32, PUSH1 0, LOG2, STOP  (72 bytes)
const runtime = `7f${topic1.slice(2)}7f${topic0.slice(2)}60206000a200`;
// init: CODECOPY(0, 12, 72); RETURN(0, 72)
const initCode = `0x604860${'0c'}60003960486000f3${runtime}` as Hex;

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

describe('logs bloom', () => {
  it.skipIf(!existsSync(ANVIL))('equals anvil receipt blooms', async () => {
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
  });
});
