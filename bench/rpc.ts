// JSON-RPC throughput on loopback (`npm run bench:rpc`). Part 1: a real in-process node: cheap
// reads, state reads, batches, and raw transaction submission. Part 2: eth_getBalance and eth_call
// (the stake module's totalStaked() view) against `verity devnet` in its own process, beside a bare
// fastify JSON-RPC handler that answers a constant (bench/rpc-bare.ts, its own process), with 2 and
// 16 keep-alive connections from a node:http load loop, ROUNDS rounds (median) of SECONDS each,
// targets interleaved within a round; reports the ratio verity / bare fastify.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWalletClient, defineChain, http, toFunctionSelector } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { defaultDevnetGenesis, devnetAccounts } from '../genesis/devnet.ts';
import { DEFAULT_CONFIG } from '../node/config.ts';
import { createLogger } from '../infra/logger.ts';
import { startNode } from '../node/verity-node.ts';
import { median, processCpuSeconds } from './stats.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = join(import.meta.dirname, '..');

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

/** BENCH_PARTS: which parts run (default all): inproc (part 1), compare (part 2), hostile (nested bodies). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'inproc,compare,hostile').split(','));

if (PARTS.has('inproc')) await inProcess();

async function inProcess(): Promise<void> {
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
}

// ---- Part 2: verity devnet vs a bare fastify handler, each in its own process ----

function startChild(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/rpc listening on (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${out.slice(-2000)}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** utime + stime of a process from /proc (Linux), in seconds; NaN elsewhere. */
interface LoopResult {
  /** requests per second */
  rate: number;
  /** the server process's CPU time per request, microseconds (robust to other load on the machine) */
  cpuMicros: number;
}

/** Keep-alive HTTP load loop: `conns` connections, each one request at a time, for SECONDS (and at most 5 M requests). */
async function httpLoop(url: string, body: string, conns: number, pid?: number): Promise<LoopResult> {
  const cpu0 = processCpuSeconds(pid);
  const u = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: conns });
  const payload = Buffer.from(body);
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        { agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200 || text.includes('"error"')) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
            else resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: conns }, async () => {
      while (performance.now() < until && done < 5_000_000) {
        await post();
        done++;
      }
    }),
  );
  const rate = done / ((performance.now() - t0) / 1000);
  const cpuMicros = ((processCpuSeconds(pid) - cpu0) * 1e6) / done;
  agent.destroy();
  return { rate, cpuMicros };
}

/**
 * 2 MB bodies of nested brackets: the node's answer time and the longest a concurrent eth_blockNumber
 * probe (every 2 ms on its own connection) waited meanwhile, i.e. how long the event loop was held;
 * beside it, JSON.parse of the same text here (what the node paid before its nesting guard).
 */
async function hostile(url: string): Promise<void> {
  const half = 1 << 20;
  const bodies: [string, string][] = [
    ['2 MB nested arrays [[[…]]]', '['.repeat(half) + ']'.repeat(half)],
    ['2 MB nested objects {"a":{"a":…', '{"a":'.repeat((2 * half) / 6) + '1' + '}'.repeat((2 * half) / 6)],
  ];
  const probeBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] });
  for (const [name, body] of bodies) {
    const flat = Buffer.from(body).toString('utf8');
    const parseMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      try {
        JSON.parse(flat);
      } catch {
        // only the time matters
      }
      parseMs.push(performance.now() - t);
    }
    const answerMs: number[] = [];
    const stallMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      let probing = true;
      let worst = 0;
      const probe = (async () => {
        while (probing) {
          const t = performance.now();
          await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: probeBody })).text();
          worst = Math.max(worst, performance.now() - t);
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      await new Promise((r) => setTimeout(r, 20));
      const t = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.text();
      answerMs.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
      probing = false;
      await probe;
      stallMs.push(worst);
      if (i === 0) console.log(`  ${name}: answer ${text.slice(0, 110)}`);
    }
    console.log(
      `${name.padEnd(36)} answered in ${median(answerMs).toFixed(1)} ms (median of 5), longest eth_blockNumber wait meanwhile ${median(stallMs).toFixed(1)} ms; ` +
        `JSON.parse of the same text in this process ${median(parseMs).toFixed(0)} ms`,
    );
  }
}

async function compare(): Promise<void> {
  // the node alone: without the devnet's worker processes and, where it has them, its embedded L1 and followers
  // (BENCH_DEVNET_WORKERS=1 / BENCH_DEVNET_L1=1 keep them)
  const help = spawnSync(process.execPath, [join(ROOT, 'node', 'cli', 'bin.js'), 'devnet', '--help'], { encoding: 'utf8' }).stdout;
  const noL1 = help.includes('--no-l1') && process.env.BENCH_DEVNET_L1 !== '1' ? ['--no-l1'] : [];
  const noFollowers = help.includes('--followers') ? ['--followers', '0'] : [];
  const verity = await startChild([join(ROOT, 'node', 'cli', 'bin.js'), 'devnet', '--tmp', '--port', '0', '--log-level', 'warn', ...noL1, ...noFollowers, ...(process.env.BENCH_DEVNET_WORKERS === '1' ? [] : ['--solvers', '0', '--verifiers', '0'])]);
  let bare: { url: string; child: ChildProcess } | undefined;
  try {
    bare = await startChild(['--import', 'tsx', join(import.meta.dirname, 'rpc-bare.ts')]);
    const req = (method: string, params: unknown[]) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
    const STAKE = '0x0000000000000000000000000000000000000a02';
    const cases: [string, string][] = [
      ['eth_getBalance', req('eth_getBalance', [devnetAccounts(2)[1].address, 'latest'])],
      ['eth_call totalStaked()', req('eth_call', [{ to: STAKE, data: toFunctionSelector('totalStaked()') }, 'latest'])],
    ];
    // Check that the node answers both calls before timing anything.
    for (const [name, body] of cases) {
      const res = await fetch(verity.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.text();
      if (text.includes('"error"')) throw new Error(`${name}: ${text}`);
    }
    console.log(`\nverity devnet vs bare fastify (both in their own process): node ${process.version}, ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, ` +
      `${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${ROUNDS} rounds × ${SECONDS} s per row, median`);
    if (PARTS.has('compare')) {
      await httpLoop(verity.url, cases[0][1], 16); // warm-up
      await httpLoop(bare.url, cases[0][1], 16);
    }
    for (const conns of PARTS.has('compare') ? [2, 16] : []) {
      for (const [name, body] of cases) {
        const v: LoopResult[] = [];
        const b: LoopResult[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          v.push(await httpLoop(verity.url, body, conns, verity.child.pid));
          b.push(await httpLoop(bare.url, body, conns, bare.child.pid));
        }
        const vm = median(v.map((x) => x.rate));
        const bm = median(b.map((x) => x.rate));
        const vc = median(v.map((x) => x.cpuMicros));
        const bc = median(b.map((x) => x.cpuMicros));
        console.log(
          `${`${name}, ${conns} conns`.padEnd(36)} verity ${vm.toFixed(0).padStart(6)} req/s (${v.map((x) => x.rate.toFixed(0)).join(' / ')})  ` +
            `bare fastify ${bm.toFixed(0).padStart(6)} req/s (${b.map((x) => x.rate.toFixed(0)).join(' / ')})  ratio ${((vm / bm) * 100).toFixed(0)} %; ` +
            `server CPU per request verity ${vc.toFixed(1)} µs, bare ${bc.toFixed(1)} µs: bare/verity ${((bc / vc) * 100).toFixed(0)} %`,
        );
      }
    }
    if (PARTS.has('hostile')) await hostile(verity.url);
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    if (bare) await stopChild(bare.child);
    await stopChild(verity.child);
  }
}

if (PARTS.has('compare') || PARTS.has('hostile')) await compare();
