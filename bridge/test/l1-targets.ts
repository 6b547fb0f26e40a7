// The two L1s every bridge test runs against: the embedded one (always) and anvil (the optional
// @foundry-rs/anvil-linux-amd64 binary, a client no one here wrote), skipped with a note where absent.
// Both listen on 127.0.0.1 with a free port, are funded from the test mnemonic, mine per transaction,
// and are stopped by the test file that started them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startEmbeddedL1, type EmbeddedL1Options } from '../l1/index.ts';

export const ANVIL = new URL('../../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil', import.meta.url).pathname;
export const HAVE_ANVIL = existsSync(ANVIL);
export const CAST = new URL('../../node_modules/@foundry-rs/cast-linux-amd64/bin/cast', import.meta.url).pathname;
export const HAVE_CAST = existsSync(CAST);

export interface RunningL1 {
  url: string;
  stop(): Promise<void>;
}

export interface L1Target {
  name: 'embedded' | 'anvil';
  available: boolean;
  start(): Promise<RunningL1>;
}

/** anvil on a free loopback port; resolves once it prints its address. */
export async function startAnvil(args: string[] = []): Promise<RunningL1> {
  const proc = spawn(ANVIL, ['--port', '0', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(`http://${m[1]}`);
    });
    proc.on('exit', (code) => reject(new Error(`anvil exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill();
      }),
  };
}

export function l1Targets(embedded: EmbeddedL1Options = {}): L1Target[] {
  return [
    {
      name: 'embedded',
      available: true,
      start: async () => {
        const l1 = await startEmbeddedL1({ port: 0, ...embedded });
        return { url: l1.url, stop: () => l1.stop() };
      },
    },
    { name: 'anvil', available: HAVE_ANVIL, start: () => startAnvil() },
  ];
}

let warned = false;
/** Says once per file that the anvil half is skipped, and why. */
export function warnIfNoAnvil(what: string): void {
  if (!HAVE_ANVIL && !warned) {
    warned = true;
    console.warn(`${what} on anvil skipped: no anvil binary at ${ANVIL} (optional dependency)`);
  }
}
