// JSON-RPC throughput against a real in-process node on loopback: cheap reads, state reads, batches,
// and raw transaction submission. Run: npx tsx bench/rpc.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWalletClient, defineChain, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { defaultDevnetGenesis, devnetAccounts } from '../genesis/devnet.ts';
import { DEFAULT_CONFIG } from '../node/config.ts';
import { createLogger } from '../infra/logger.ts';
import { startNode } from '../node/verity-node.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function loop(url: string, body: () => string): Promise<number> {
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
        const json = (await res.json()) as { error?: unknown } | unknown[];
        if (!Array.isArray(json) && json.error) throw new Error(JSON.stringify(json.error));
        done++;
      }
    }),
  );
  return done / SECONDS;
}

const dir = await mkdtemp(join(tmpdir(), 'verity-bench-rpc-'));
const keys = devnetAccounts(10); // devnet-only keys
const genesis = { ...defaultDevnetGenesis({ accounts: 10 }), blockIntervalMs: 250 };
const node = await startNode(
  { ...DEFAULT_CONFIG, dataDir: dir, rpcPort: 0, sequencerKey: keys[0].privateKey, logLevel: 'silent' },
  genesis,
  createLogger('verity', 'silent'),
);
try {
  const req = (method: string, params: unknown[]) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  const rows: [string, string][] = [];
  await loop(node.url, () => req('eth_chainId', [])); // warm-up: JIT and keep-alive connections
  rows.push(['eth_blockNumber', `${Math.round(await loop(node.url, () => req('eth_blockNumber', [])))} req/s`]);
  rows.push(['eth_getBalance', `${Math.round(await loop(node.url, () => req('eth_getBalance', [keys[1].address, 'latest'])))} req/s`]);
  const batch = JSON.stringify(keys.flatMap((k, i) => [{ jsonrpc: '2.0', id: i, method: 'eth_getBalance', params: [k.address, 'latest'] }]));
  rows.push(['batch of 10 eth_getBalance', `${Math.round(await loop(node.url, () => batch) * 10)} calls/s`]);

  // Submission: pre-signed transfers from 9 senders (the pool holds 64 per sender).
  const chain = defineChain({ id: Number(genesis.chainId), name: 'devnet', nativeCurrency: { name: 'V', symbol: 'V', decimals: 18 }, rpcUrls: { default: { http: [] } } });
  const raws: string[] = [];
  for (const k of keys.slice(1)) {
    const wallet = createWalletClient({ account: privateKeyToAccount(k.privateKey), chain, transport: http(node.url) });
    for (let n = 0; n < 60; n++) {
      raws.push(await wallet.signTransaction({ to: keys[0].address, value: 1n, nonce: n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n }));
    }
  }
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < raws.length) {
        const raw = raws[next++];
        const res = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: req('eth_sendRawTransaction', [raw]) });
        const json = (await res.json()) as { error?: unknown };
        if (json.error) throw new Error(JSON.stringify(json.error));
      }
    }),
  );
  rows.push([`eth_sendRawTransaction (${raws.length} txs)`, `${Math.round(raws.length / ((performance.now() - t0) / 1000))} tx/s accepted`]);
  console.log(`rpc bench: node ${process.version}, ${CONCURRENCY} concurrent HTTP clients, ${SECONDS} s per row`);
  for (const [what, figure] of rows) console.log(`${what.padEnd(40)} ${figure}`);
} finally {
  await node.stop();
  await rm(dir, { recursive: true, force: true });
}
