// Real node processes on loopback for the network tests: a sequencer and followers started through
// the CLI, their p2p and RPC addresses read from stdout, and their metrics read from /metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { rpcBatch } from '../devnet/rpc-batch.ts';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.js');

/**
 * Starts `verity <args>` (any subcommand that serves RPC) with stderr shown, and resolves with its
 * RPC URL once it prints "rpc listening on"; rejects if it exits first.
 */
export async function startCli(args: string[], children: ChildProcess[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/rpc listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before listening`)));
  });
  return { child, url };
}

export interface NodeProc {
  child: ChildProcess;
  url: string;
  p2p: string;
  stderr: () => string;
}

export async function startNodeProc(args: string[], children: ChildProcess[]): Promise<NodeProc> {
  const child = spawn(process.execPath, [BIN, 'node', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-200_000);
  });
  return new Promise<NodeProc>((resolve, reject) => {
    let out = '';
    let p2p = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const a = out.match(/p2p listening on (\S+)/);
      if (a) p2p = a[1];
      const m = out.match(/rpc listening on (http:\/\/\S+)/);
      if (m) resolve({ child, url: m[1], p2p, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before listening: ${err.slice(-2000)}`)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function call<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const [r] = await rpcBatch(url, [[method, params]]);
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}

export interface BlockJson {
  number: string;
  hash: string;
  stateRoot: string;
  receiptsRoot: string;
  transactionsRoot: string;
}

export async function headOf(url: string): Promise<bigint> {
  return BigInt(await call<string>(url, 'eth_blockNumber'));
}

export async function blockOf(url: string, n: bigint): Promise<BlockJson | null> {
  return call<BlockJson | null>(url, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, false]);
}

/** Sum of a metric's samples whose labels include `label` (all samples when omitted). */
export async function metric(url: string, name: string, label?: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (label !== undefined && !rest.includes(label)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export async function waitFor<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 150): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function stopAll(children: ChildProcess[]): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
