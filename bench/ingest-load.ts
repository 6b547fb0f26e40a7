// Load generator for bench/ingest.ts, run as its own process so that it never shares a CPU with the
// node's event loop. Reads a job (JSON) from argv, presigns every transfer before the clock starts,
// sends them with eth_sendRawTransaction in JSON-RPC batches over a few connections while a poller
// asks for the receipt of every accepted tx (eth_getTransactionReceipt batches of 500, as ordinary
// clients do) until each has one, and a watcher records when each new block number appears.
// Prints one JSON line with the timings.
import { hexToBytes, bytesToHex } from '../state-machine/crypto/hash.ts';
import { privateKeyToAddress } from '../state-machine/index.ts';
import type { Address } from '../state-machine/types.ts';
import { rpcBatch } from '../node/devnet/rpc-batch.ts';
import { signTx } from '../node/devnet/sign-tx.ts';
import { median } from './stats.ts';

export interface LoadJob {
  url: string;
  chainId: string;
  /** sender private keys (devnet-only keys derived from the public test mnemonic) */
  keys: string[];
  /** first nonce of each sender */
  nonces: string[];
  perSender: number;
  batchSize: number;
  concurrency: number;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
  to: Address;
  /**
   * 'burst': each sender's transfers go out in its own consecutive batches (a long sequential burst
   * per sender); default 'interleave': every batch carries many senders.
   */
  order?: 'interleave' | 'burst';
  /** poll receipts of every accepted tx while sending, in eth_getTransactionReceipt batches of this size */
  pollBatch?: number;
  /**
   * Read load beside the sending: this many loops, each one request at a time, cycling through
   * eth_getTransactionReceipt (a recent accepted tx), eth_getBalance, eth_call and eth_getLogs
   * (the last 16 blocks), on their own connections.
   */
  readers?: number;
  /** eth_call target and calldata for the readers (a view every target answers) */
  call?: { to: string; data: string };
}

export interface LoadResult {
  sent: number;
  accepted: number;
  rejected: Record<string, number>;
  signSeconds: number;
  sendSeconds: number;
  /** from the first send to the moment every tx had a receipt */
  confirmSeconds: number;
  acceptedPerSecond: number;
  confirmedPerSecond: number;
  /** this process's CPU time per accepted tx while sending and polling, microseconds */
  clientCpuMicrosPerTx: number;
  /** blocks the node produced between the first send and the last receipt (seen by polling eth_blockNumber) */
  blocks: number;
  /** median wall-clock interval between consecutive blocks seen during the run, ms (blocks seen one at a time) */
  medianBlockIntervalMs: number;
  /** 90th percentile and largest of those intervals, ms */
  p90BlockIntervalMs: number;
  maxBlockIntervalMs: number;
  /** reads answered by the readers, per second of the run; 0 without readers */
  readsPerSecond: number;
  /** median and 99th percentile latency of the readers' requests, ms */
  readMedianMs: number;
  readP99Ms: number;
  /** receipts polled while sending: eth_getTransactionReceipt calls made */
  receiptCalls: number;
  /** accepted txs that never had a receipt (the poller gives up 30 s after the last receipt) */
  unconfirmed: number;
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as LoadJob;
  const chainId = BigInt(job.chainId);
  const t0 = performance.now();
  // Interleave senders so each batch carries many senders and nonces arrive in order per sender.
  const raws: string[] = [];
  const keys = job.keys.map((k) => hexToBytes(k));
  const burst = job.order === 'burst';
  const outer = burst ? keys.length : job.perSender;
  const inner = burst ? job.perSender : keys.length;
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      const s = burst ? a : b;
      const i = burst ? b : a;
      const raw = signTx(
        {
          chainId,
          nonce: BigInt(job.nonces[s]) + BigInt(i),
          to: job.to,
          value: 1n,
          gasLimit: 21_000n,
          maxFeePerGas: BigInt(job.maxFeePerGas),
          maxPriorityFeePerGas: BigInt(job.maxPriorityFeePerGas),
        },
        keys[s],
      );
      raws.push(bytesToHex(raw));
    }
  }
  const signSeconds = (performance.now() - t0) / 1000;

  // Batches: in 'burst' order each sender's transfers fill its own consecutive batches, and a sender's
  // next batch goes out only after the node answered its previous one (a client sending a long
  // sequential burst); in 'interleave' order each batch carries many senders.
  const batches: { sender: number; raws: string[] }[] = [];
  if (burst) {
    for (let s = 0; s < keys.length; s++) {
      const own = raws.slice(s * job.perSender, (s + 1) * job.perSender);
      for (let i = 0; i < own.length; i += job.batchSize) batches.push({ sender: s, raws: own.slice(i, i + job.batchSize) });
    }
  } else {
    for (let i = 0; i < raws.length; i += job.batchSize) batches.push({ sender: -1, raws: raws.slice(i, i + job.batchSize) });
  }
  let accepted = 0;
  const rejected: Record<string, number> = {};
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let cursor = 0;
  // Block clock: watch eth_blockNumber every 10 ms from the first send to the last receipt.
  let watching = true;
  const blockSeen: [number, number][] = [];
  const watcher = (async () => {
    while (watching) {
      const [r] = await rpcBatch(job.url, [['eth_blockNumber', []]]);
      const n = Number(BigInt(String(r.result)));
      if (blockSeen.length === 0 || n !== blockSeen[blockSeen.length - 1][0]) blockSeen.push([n, performance.now()]);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  // An ordinary client: polls the receipt of every accepted tx, in batches, while it still sends.
  const pollBatch = job.pollBatch ?? 500;
  const pending = new Set<string>();
  let sending = true;
  let sendEnd = start;
  let lastReceipt = start;
  let receiptCalls = 0;
  const deadline = Date.now() + 300_000;
  const poller = (async () => {
    while (sending || pending.size > 0) {
      // Bounded: give up 300 s after the first send, or 30 s after the last receipt once sending is done.
      if (Date.now() > deadline || (!sending && performance.now() - Math.max(lastReceipt, sendEnd) > 30_000)) return;
      const list = [...pending];
      for (let i = 0; i < list.length; i += pollBatch) {
        const chunk = list.slice(i, i + pollBatch);
        const replies = await rpcBatch(job.url, chunk.map((h) => ['eth_getTransactionReceipt', [h]] as const));
        receiptCalls += chunk.length;
        replies.forEach((r, j) => {
          if (r.result) {
            pending.delete(chunk[j]);
            lastReceipt = performance.now();
          }
        });
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  // Readers: mixed reads, one at a time per loop, until the last receipt is in.
  const accounts = job.keys.length > 0 ? job.keys.map((k) => privateKeyToAddress(hexToBytes(k))) : [];
  const recentHashes: string[] = [];
  const readLatency: number[] = [];
  let reading = true;
  const readers = Array.from({ length: job.readers ?? 0 }, async (_, r) => {
    for (let i = r; reading; i++) {
      let call: readonly [string, unknown[]];
      const kind = i % 4;
      if (kind === 0 && recentHashes.length > 0) call = ['eth_getTransactionReceipt', [recentHashes[(i * 7919) % recentHashes.length]]];
      else if (kind === 1 || (kind === 0 && recentHashes.length === 0)) call = ['eth_getBalance', [accounts[i % accounts.length], 'latest']];
      else if (kind === 2 && job.call) call = ['eth_call', [job.call, 'latest']];
      else {
        const head = blockSeen.length > 0 ? blockSeen[blockSeen.length - 1][0] : 0;
        call = ['eth_getLogs', [{ fromBlock: `0x${Math.max(0, head - 15).toString(16)}`, toBlock: 'latest' }]];
      }
      const t = performance.now();
      const [reply] = await rpcBatch(job.url, [call]);
      if (reply.error) throw new Error(`${call[0]}: ${reply.error.message}`);
      readLatency.push(performance.now() - t);
    }
  });
  const busy = new Set<number>();
  const taken = new Array<boolean>(batches.length).fill(false);
  /** the first batch not yet sent whose sender has no batch in flight (in 'interleave' order: the next batch) */
  function nextBatch(): number {
    for (let b = cursor; b < batches.length; b++) {
      if (taken[b] || busy.has(batches[b].sender)) continue;
      if (burst && b > 0 && batches[b - 1].sender === batches[b].sender && !taken[b - 1]) continue;
      return b;
    }
    return -1;
  }
  let wake: (() => void)[] = [];
  async function sender(): Promise<void> {
    for (;;) {
      while (cursor < batches.length && taken[cursor]) cursor++;
      if (cursor >= batches.length) return;
      const b = nextBatch();
      if (b < 0) {
        await new Promise<void>((r) => wake.push(r));
        continue;
      }
      taken[b] = true;
      if (burst) busy.add(batches[b].sender);
      const replies = await rpcBatch(job.url, batches[b].raws.map((r) => ['eth_sendRawTransaction', [r]] as const));
      if (burst) busy.delete(batches[b].sender);
      const w = wake;
      wake = [];
      w.forEach((f) => f());
      replies.forEach((r) => {
        if (r.error) rejected[r.error.message] = (rejected[r.error.message] ?? 0) + 1;
        else {
          accepted++;
          pending.add(String(r.result));
          if (recentHashes.length < 4096) recentHashes.push(String(r.result));
          else recentHashes[accepted % 4096] = String(r.result);
        }
      });
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, () => sender()));
  const sendSeconds = (performance.now() - start) / 1000;

  sendEnd = performance.now();
  sending = false;
  await poller;
  watching = false;
  await watcher;
  reading = false;
  await Promise.all(readers);
  const confirmSeconds = (lastReceipt - start) / 1000;
  const steps: number[] = [];
  for (let i = 1; i < blockSeen.length; i++) {
    if (blockSeen[i][0] === blockSeen[i - 1][0] + 1) steps.push(blockSeen[i][1] - blockSeen[i - 1][1]);
  }
  const blocks = blockSeen.length > 0 ? blockSeen[blockSeen.length - 1][0] - blockSeen[0][0] : 0;
  const cpu = process.cpuUsage(cpu0);
  const result: LoadResult = {
    sent: raws.length,
    accepted,
    rejected,
    signSeconds,
    sendSeconds,
    confirmSeconds,
    acceptedPerSecond: accepted / sendSeconds,
    confirmedPerSecond: (accepted - pending.size) / confirmSeconds,
    clientCpuMicrosPerTx: (cpu.user + cpu.system) / accepted,
    blocks,
    medianBlockIntervalMs: median(steps),
    p90BlockIntervalMs: percentile(steps, 90),
    maxBlockIntervalMs: steps.length > 0 ? Math.max(...steps) : NaN,
    readsPerSecond: readLatency.length / confirmSeconds,
    readMedianMs: median(readLatency),
    readP99Ms: percentile(readLatency, 99),
    receiptCalls,
    unconfirmed: pending.size,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
