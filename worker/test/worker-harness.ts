// Test harness for the worker end-to-end tests: real processes (`node node/cli/bin.js …`) with
// their output collected, devnet keys (the public test mnemonic; devnet only), and a viem client
// for the test's own reads and transactions. Worker tests may not import node/ or genesis/
// (ARCHITECTURE.md), so the node runs as a process too, from a genesis file `verity genesis init`
// wrote.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { parseTaskSpec } from '../../state-machine/training/spec-validate.ts';
import { loadSpecDataset } from '../datasets/load.ts';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const BIN = join(REPO, 'node', 'cli', 'bin.js');
const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk';

export interface DevKey {
  index: number;
  address: Hex;
  privateKey: Hex;
}

/** Devnet account i of the public test mnemonic (the accounts `verity genesis init` funds). */
export function devKey(index: number): DevKey {
  const hd = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: index });
  const key = hd.getHdKey().privateKey;
  if (!key) throw new Error(`no key at ${index}`);
  const privateKey = `0x${Buffer.from(key).toString('hex')}` as Hex;
  return { index, address: hd.address.toLowerCase() as Hex, privateKey };
}

/** A child process whose stdout and stderr are collected, with waits on what it printed. */
export class Proc {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<number | null>;
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string> = {},
  ) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d: Buffer): void => {
      this.output += d.toString('utf8');
      this.waiters = this.waiters.filter((w) => {
        const m = this.output.match(w.re);
        if (m) w.resolve(m);
        return !m;
      });
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.exited = new Promise((res) => this.child.on('exit', (code) => res(code)));
  }

  /** Resolves with the first match of `re` in everything printed so far or later. */
  waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const m = this.output.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`${this.name}: no ${re} within ${timeoutMs} ms; output tail:\n${this.output.slice(-3000)}`)), timeoutMs);
      this.waiters.push({
        re,
        resolve: (x) => {
          clearTimeout(timer);
          res(x);
        },
      });
    });
  }

  /** Log lines (pino JSON) whose msg matches. */
  logs(msg: RegExp): Record<string, unknown>[] {
    return this.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      })
      .filter((o) => typeof o.msg === 'string' && msg.test(o.msg));
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
}

export function clientsFor(rpc: string, chainId: number, key?: Hex) {
  const chain = defineChain({ id: chainId, name: 'verity-test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpc] } } });
  const transport = http(rpc, { timeout: 10_000 });
  const pub = createPublicClient({ chain, transport, pollingInterval: 50 });
  const wallet = key ? createWalletClient({ chain, transport, account: privateKeyToAccount(key) }) : null;
  return { pub, wallet };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A TCP port that was free a moment ago (for a node that must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => res(port));
    });
  });
}

/**
 * A digits task on the first `samples` samples, written to `<root>/<dirName>/<sub>/data.csv` with its
 * own content root: only workers given `--datasets <root>/<dirName>` can run it. `overrides` patch
 * the example spec (steps, checkpointInterval, seed, …).
 */
export function subsetTask(root: string, dirName: string, sub: string, samples: number, overrides: Record<string, unknown>): { spec: Record<string, unknown>; file: string } {
  const example = JSON.parse(readFileSync(join(REPO, 'worker', 'examples', 'digits-mlp.json'), 'utf8')) as Record<string, unknown> & { dataset: Record<string, unknown> };
  const digits = join(REPO, 'worker', 'datasets', 'digits', 'digits.csv.gz');
  const lines = gunzipSync(readFileSync(digits)).toString('utf8').split('\n').filter((l) => l.trim() !== '').slice(0, samples);
  mkdirSync(join(root, dirName, sub), { recursive: true });
  const file = join(root, dirName, sub, 'data.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const draft = { ...example, ...overrides, dataset: { ...example.dataset, name: `digits-${sub}`, path: `${sub}/data.csv`, samples, test: 200, root: `0x${'00'.repeat(32)}` } };
  const content = loadSpecDataset(parseTaskSpec({ ...draft, dataset: { ...draft.dataset, path: file } }), root, false).root;
  return { spec: { ...draft, dataset: { ...draft.dataset, root: content } }, file };
}
