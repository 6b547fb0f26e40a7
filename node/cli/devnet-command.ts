// `verity devnet` (what `npm start` runs): a single-node devnet with the default devnet genesis,
// funded accounts from the public test mnemonic (devnet only), JSON-RPC on 127.0.0.1:9545.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultDevnetGenesis, devnetAccounts } from '../../genesis/index.ts';
import { devnetBanner } from './devnet-banner.ts';
import { addCommonOptions, guarded, resolveConfig, runUntilSignal, type CommonFlags } from './node-options.ts';

interface DevnetFlags extends CommonFlags {
  tmp?: boolean;
  host?: string;
  port?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('devnet')
    .description('run a single-node devnet (DEVNET ONLY: accounts come from the public test mnemonic)')
    .option('--tmp', 'use a fresh temporary data directory, removed on exit')
    .option('--host <host>', 'JSON-RPC listen address (default 127.0.0.1)')
    .option('--port <port>', 'JSON-RPC port, 0 = any free port (default 9545)');
  addCommonOptions(cmd).action(
    guarded(async (f: DevnetFlags) => {
      const tmp = f.tmp ? mkdtempSync(join(tmpdir(), 'verity-devnet-')) : null;
      const genesis = defaultDevnetGenesis();
      const accounts = devnetAccounts(10);
      const config = resolveConfig(f, { rpcHost: f.host, rpcPort: f.port, dataDir: tmp ?? f.datadir });
      // the devnet sequencer is devnet account 0, unless a key is configured
      if (config.sequencerKey === null) config.sequencerKey = accounts[0].privateKey;
      const removeTmp = (): void => {
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      };
      try {
        await runUntilSignal(
          config,
          genesis,
          () => {
            const listed = accounts.map((account) => ({ account, balance: genesis.alloc[account.address] ?? 0n }));
            process.stdout.write(`${devnetBanner(listed, genesis.chainId)}\n`);
            process.stdout.write(`data dir: ${config.dataDir}${tmp ? ' (temporary)' : ''}\n`);
          },
          removeTmp,
        );
      } catch (e) {
        removeTmp();
        throw e;
      }
    }),
  );
}
