// Load generator for bench/ingest.ts, run as its own process so that it never shares a CPU with the
// node's event loop. Reads a job (JSON) from argv, presigns every transfer before the clock starts,
// sends them with eth_sendRawTransaction in JSON-RPC batches over a few connections, then polls until
// every sender's last tx has a receipt. Prints one JSON line with the timings.
import { hexToBytes, bytesToHex } from '../state-machine/crypto/hash.ts';
import type { Address } from '../state-machine/types.ts';
import { rpcBatch } from '../node/devnet/rpc-batch.ts';
import { signTx } from '../node/devnet/sign-tx.ts';

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
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as LoadJob;
  const chainId = BigInt(job.chainId);
  const t0 = performance.now();
  // Interleave senders so each batch carries many senders and nonces arrive in order per sender.
  const raws: string[] = [];
  const last: string[] = [];
  const keys = job.keys.map((k) => hexToBytes(k));
  for (let i = 0; i < job.perSender; i++) {
    for (let s = 0; s < keys.length; s++) {
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

  const batches: string[][] = [];
  for (let i = 0; i < raws.length; i += job.batchSize) batches.push(raws.slice(i, i + job.batchSize));
  let accepted = 0;
  const rejected: Record<string, number> = {};
  const hashes: string[] = new Array<string>(raws.length);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let cursor = 0;
  async function sender(): Promise<void> {
    for (;;) {
      const b = cursor++;
      if (b >= batches.length) return;
      const replies = await rpcBatch(job.url, batches[b].map((r) => ['eth_sendRawTransaction', [r]] as const));
      replies.forEach((r, i) => {
        if (r.error) rejected[r.error.message] = (rejected[r.error.message] ?? 0) + 1;
        else {
          accepted++;
          hashes[b * job.batchSize + i] = String(r.result);
        }
      });
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, () => sender()));
  const sendSeconds = (performance.now() - start) / 1000;

  // The last tx of each sender (the highest nonce) has a receipt only when all of its txs do.
  for (let s = 0; s < keys.length; s++) {
    const idx = (job.perSender - 1) * keys.length + s;
    last.push(hashes[idx] ?? '');
  }
  const waiting = new Set(last.filter((h) => h !== ''));
  const deadline = Date.now() + 300_000;
  while (waiting.size > 0) {
    if (Date.now() > deadline) throw new Error(`${waiting.size} senders still unconfirmed after 300 s`);
    const list = [...waiting];
    for (let i = 0; i < list.length; i += 500) {
      const chunk = list.slice(i, i + 500);
      const replies = await rpcBatch(job.url, chunk.map((h) => ['eth_getTransactionReceipt', [h]] as const));
      replies.forEach((r, j) => {
        if (r.result) waiting.delete(chunk[j]);
      });
    }
    if (waiting.size > 0) await new Promise((r) => setTimeout(r, 25));
  }
  const confirmSeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const result: LoadResult = {
    sent: raws.length,
    accepted,
    rejected,
    signSeconds,
    sendSeconds,
    confirmSeconds,
    acceptedPerSecond: accepted / sendSeconds,
    confirmedPerSecond: accepted / confirmSeconds,
    clientCpuMicrosPerTx: (cpu.user + cpu.system) / accepted,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
