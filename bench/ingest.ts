// Ingest benchmark (`npm run bench:ingest`): confirmed value transfers per second through JSON-RPC,
// Verity's devnet against anvil --block-time 1 under the same load. Each run starts a fresh node in
// a temporary data dir, funds S extra senders (devnet-only keys from the public test mnemonic), then a
// separate load process presigns S × K transfers, sends them in eth_sendRawTransaction batches and
// polls receipts (batches of 500) while it sends, until every one has a receipt. Several load shapes
// (--shapes): the default 400 × 50, "few senders, long bursts" (16 × 750) and "many senders"
// (400 × 30). Reports the median of the runs, the median block interval and the ratio to anvil.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { devnetAccounts } from '../genesis/index.ts';
import { bytesToHex, hexToBytes } from '../state-machine/crypto/hash.ts';
import type { Address } from '../state-machine/types.ts';
import { rpcBatch as rpc } from '../node/devnet/rpc-batch.ts';
import { signTx } from '../node/devnet/sign-tx.ts';
import type { LoadJob, LoadResult } from './ingest-load.ts';
import { median, processCpuSeconds } from './stats.ts';

const ROOT = join(import.meta.dirname, '..');
const ANVIL = join(ROOT, 'node_modules', '.bin', 'anvil');
const GWEI = 10n ** 9n;
const MAX_FEE = 1000n * GWEI;
const SINK: Address = '0x000000000000000000000000000000000000dead';

interface Target {
  name: string;
  url: string;
  chainId: bigint;
  /** CPU seconds the server process has used so far (all its threads) */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc (Linux), in seconds; NaN elsewhere. */
function waitForLine(child: ChildProcess, re: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(re);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready:\n${out.slice(-2000)}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** `verity devnet` also starts solver and verifier worker processes; the bench runs the node without them unless asked. */
let DEVNET_WORKERS: string[] = ['--solvers', '0', '--verifiers', '0'];
/** ...and, where it has one, an embedded L1 with the batcher and proposer; the bench runs without it unless asked. */
const DEVNET_HELP = spawnSync(process.execPath, [join(ROOT, 'node', 'cli', 'bin.js'), 'devnet', '--help'], { encoding: 'utf8' }).stdout;
let DEVNET_L1: string[] = DEVNET_HELP.includes('--no-l1') ? ['--no-l1'] : [];
/** ...and its follower nodes, where it starts some by default */
const DEVNET_FOLLOWERS: string[] = DEVNET_HELP.includes('--followers') ? ['--followers', '0'] : [];

async function startVerity(recoverWorkers: number, profileDir: string | undefined): Promise<Target> {
  const prof = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const child = spawn(
    process.execPath,
    [...prof, join(ROOT, 'node', 'cli', 'bin.js'), 'devnet', '--tmp', '--port', '0', '--log-level', 'warn', '--recover-workers', String(recoverWorkers), ...DEVNET_WORKERS, ...DEVNET_L1, ...DEVNET_FOLLOWERS],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const m = await waitForLine(child, /rpc listening on (http:\/\/\S+)/, 'verity devnet');
  return { name: recoverWorkers > 0 ? `verity (${recoverWorkers} recovery workers)` : 'verity', url: m[1], chainId: 271828n, cpuSeconds: () => processCpuSeconds(child.pid), stop: () => stopChild(child) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startAnvil(): Promise<Target> {
  const port = await freePort();
  const child = spawn(ANVIL, ['--port', String(port), '--block-time', '1', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForLine(child, /Listening on/, 'anvil');
  return { name: 'anvil --block-time 1', url: `http://127.0.0.1:${port}`, chainId: 31337n, cpuSeconds: () => processCpuSeconds(child.pid), stop: () => stopChild(child) };
}

/**
 * Funds each sender from the 10 devnet accounts with `amount`; resolves when all transfers have
 * receipts. The amount must cover every tx of the sender at its max fee at once: a node that
 * pools the whole burst before mining it (geth, Verity) refuses what would overdraw the sender.
 */
async function fund(t: Target, senders: Address[], amount: bigint): Promise<void> {
  const funders = devnetAccounts(10);
  const [nonceReplies] = [await rpc(t.url, funders.map((f) => ['eth_getTransactionCount', [f.address, 'pending']]))];
  const nonces = nonceReplies.map((r) => BigInt(String(r.result)));
  const raws: string[] = [];
  senders.forEach((to, i) => {
    const f = i % funders.length;
    const raw = signTx(
      { chainId: t.chainId, nonce: nonces[f]++, to, value: amount, gasLimit: 21_000n, maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: GWEI },
      hexToBytes(funders[f].privateKey),
    );
    raws.push(bytesToHex(raw));
  });
  const hashes: string[] = [];
  for (let i = 0; i < raws.length; i += 100) {
    for (const r of await rpc(t.url, raws.slice(i, i + 100).map((x) => ['eth_sendRawTransaction', [x]]))) {
      if (r.error) throw new Error(`funding refused by ${t.name}: ${r.error.message}`);
      hashes.push(String(r.result));
    }
  }
  const deadline = Date.now() + 120_000;
  let waiting = hashes;
  while (waiting.length > 0) {
    if (Date.now() > deadline) throw new Error(`funding on ${t.name} not confirmed after 120 s`);
    await new Promise((r) => setTimeout(r, 200));
    const replies = await rpc(t.url, waiting.map((h) => ['eth_getTransactionReceipt', [h]]));
    waiting = waiting.filter((_, i) => !replies[i].result);
  }
}

function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'ingest-load.ts'), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as LoadResult);
    });
  });
}

interface Shape {
  name: string;
  senders: number;
  perSender: number;
  order: 'interleave' | 'burst';
}

interface Opts {
  shapes: string;
  senders: string;
  perSender: string;
  runs: string;
  batch: string;
  concurrency: string;
  recoverWorkers: string;
  anvil: boolean;
  profile?: string;
  devnetWorkers: boolean;
  devnetL1: boolean;
  readers: string;
}

interface RunResult extends LoadResult {
  /** server CPU time per confirmed tx during the load, microseconds */
  serverCpuMicrosPerTx: number;
}

async function measure(start: () => Promise<Target>, o: Opts, shape: Shape): Promise<RunResult[]> {
  const S = shape.senders;
  const accounts = devnetAccounts(10 + S).slice(10);
  const results: RunResult[] = [];
  for (let run = 0; run < Number(o.runs); run++) {
    const t = await start();
    try {
      await fund(t, accounts.map((a) => a.address), BigInt(shape.perSender) * (21_000n * MAX_FEE + 1n) + 10n ** 18n);
      const cpu0 = t.cpuSeconds();
      const load = await runLoad({
        url: t.url,
        chainId: t.chainId.toString(),
        keys: accounts.map((a) => a.privateKey),
        nonces: accounts.map(() => '0'),
        perSender: shape.perSender,
        order: shape.order,
        pollBatch: 500,
        batchSize: Number(o.batch),
        concurrency: Number(o.concurrency),
        maxFeePerGas: MAX_FEE.toString(),
        maxPriorityFeePerGas: GWEI.toString(),
        to: SINK,
        readers: Number(o.readers),
        // the stake module's totalStaked() view on Verity; anvil answers a call to an empty account
        call: t.chainId === 31337n ? { to: SINK, data: '0x' } : { to: '0x0000000000000000000000000000000000000a02', data: '0x817b1cd2' },
      });
      const r: RunResult = { ...load, serverCpuMicrosPerTx: ((t.cpuSeconds() - cpu0) * 1e6) / load.accepted };
      const rejected = Object.entries(r.rejected).map(([m, n]) => `${n}× ${m}`).join(', ');
      console.log(
        `  ${t.name} run ${run + 1}: ${r.accepted}/${r.sent} accepted in ${r.sendSeconds.toFixed(2)} s (${r.acceptedPerSecond.toFixed(0)} tx/s), ` +
          `all confirmed after ${r.confirmSeconds.toFixed(2)} s → ${r.confirmedPerSecond.toFixed(0)} confirmed tx/s, ` +
          `block interval median ${r.medianBlockIntervalMs.toFixed(0)} / p90 ${r.p90BlockIntervalMs.toFixed(0)} / max ${r.maxBlockIntervalMs.toFixed(0)} ms over ${r.blocks} blocks, ` +
          (r.readsPerSecond > 0 ? `reads ${r.readsPerSecond.toFixed(0)}/s (median ${r.readMedianMs.toFixed(1)} ms, p99 ${r.readP99Ms.toFixed(1)} ms), ` : '') +
          `receipt polls ${(r.receiptCalls / r.accepted).toFixed(1)} per tx, ` +
          `server CPU ${r.serverCpuMicrosPerTx.toFixed(0)} µs/tx, load generator CPU ${r.clientCpuMicrosPerTx.toFixed(0)} µs/tx; ` +
          `rejected: ${rejected || 'none'}${r.unconfirmed > 0 ? `; ${r.unconfirmed} accepted txs never confirmed` : ''}`,
      );
      results.push(r);
    } finally {
      await t.stop();
    }
  }
  return results;
}

function summary(name: string, rs: RunResult[]): number {
  const m = median(rs.map((r) => r.confirmedPerSecond));
  const rejected = rs.reduce((n, r) => n + Object.values(r.rejected).reduce((a, b) => a + b, 0), 0);
  console.log(
    `  ${name}: median ${m.toFixed(0)} confirmed tx/s (${rs.map((r) => r.confirmedPerSecond.toFixed(0)).join(' / ')}; ` +
      `accepted ${median(rs.map((r) => r.acceptedPerSecond)).toFixed(0)} tx/s), median block interval ${median(rs.map((r) => r.medianBlockIntervalMs)).toFixed(0)} ms ` +
      `(p90 ${median(rs.map((r) => r.p90BlockIntervalMs)).toFixed(0)}, max ${median(rs.map((r) => r.maxBlockIntervalMs)).toFixed(0)}), ` +
      (rs[0].readsPerSecond > 0 ? `reads ${median(rs.map((r) => r.readsPerSecond)).toFixed(0)}/s (p99 ${median(rs.map((r) => r.readP99Ms)).toFixed(1)} ms), ` : '') +
      `server CPU ${median(rs.map((r) => r.serverCpuMicrosPerTx)).toFixed(0)} µs/tx, ${rejected} rejected in all runs`,
  );
  return m;
}

async function main(): Promise<void> {
  const o = new Command('bench:ingest')
    .description('confirmed value transfers per second over JSON-RPC: verity devnet vs anvil --block-time 1')
    .option('--shapes <list>', 'load shapes, comma-separated: default (--senders × --per-sender, interleaved), bursts (16 × 750, one sender per batch run), many (400 × 30)', 'default,bursts,many')
    .option('--senders <n>', 'funded senders of the default shape', '400')
    .option('--per-sender <n>', 'transfers per sender of the default shape', '50')
    .option('--runs <n>', 'runs per target and shape (median reported)', '3')
    .option('--batch <n>', 'transactions per JSON-RPC batch', '200')
    .option('--concurrency <n>', 'batches in flight', '4')
    .option('--recover-workers <n>', 'sender-recovery worker threads in the verity node', '1')
    .option('--no-anvil', 'skip the anvil comparison')
    .option('--profile <dir>', 'write a V8 CPU profile of each verity node run into this directory')
    .option('--devnet-workers', "keep the devnet's solver and verifier worker processes (default: none, the node alone)", false)
    .option('--devnet-l1', "keep the devnet's embedded L1, batcher and proposer (default: without them, the node alone)", false)
    .option('--readers <n>', 'read loops beside the load (receipt, balance, eth_call, eth_getLogs in turn, one request at a time each)', '0')
    .parse()
    .opts<Opts>();
  if (o.devnetWorkers) DEVNET_WORKERS = [];
  if (o.devnetL1) DEVNET_L1 = [];
  const all: Record<string, Shape> = {
    default: { name: 'default', senders: Number(o.senders), perSender: Number(o.perSender), order: 'interleave' },
    bursts: { name: 'few senders, long bursts', senders: 16, perSender: 750, order: 'burst' },
    many: { name: 'many senders', senders: 400, perSender: 30, order: 'interleave' },
  };
  const shapes = o.shapes.split(',').map((k) => {
    const sh = all[k.trim()];
    if (!sh) throw new Error(`unknown shape ${k}; known: ${Object.keys(all).join(', ')}`);
    return sh;
  });
  console.log(`ingest: batches of ${o.batch}, ${o.concurrency} in flight, receipts polled in batches of 500 while sending, ${o.runs} runs per target and shape`);
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const withAnvil = o.anvil && existsSync(ANVIL);
  if (o.anvil && !withAnvil) console.log('anvil: not installed (optional dependency @foundry-rs/anvil-linux-amd64); skipping the comparison');
  const lines: string[] = [];
  for (const shape of shapes) {
    console.log(`shape "${shape.name}": ${shape.senders} senders × ${shape.perSender} = ${shape.senders * shape.perSender} txs (${shape.order === 'burst' ? 'each sender in consecutive batches' : 'senders interleaved in every batch'})`);
    const v = summary('verity', await measure(() => startVerity(Number(o.recoverWorkers), o.profile), o, shape));
    if (!withAnvil) continue;
    const a = summary('anvil --block-time 1', await measure(startAnvil, o, shape));
    lines.push(`${shape.name}: verity ${v.toFixed(0)} / anvil ${a.toFixed(0)} confirmed tx/s = ${(v / a).toFixed(2)}×`);
  }
  for (const l of lines) console.log(l);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

await main();
