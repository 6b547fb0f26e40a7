// `verity genesis init [--out FILE]`: writes the default devnet genesis as JSON.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultDevnetGenesis, genesisToJson } from '../../genesis/index.ts';

export function register(program: Command): void {
  const genesis = program.command('genesis').description('genesis file tools');
  genesis
    .command('init')
    .description('write the default devnet genesis (DEVNET ONLY: funded from the public test mnemonic)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--accounts <n>', 'number of funded devnet accounts', '10')
    .action((opts: { out?: string; accounts: string }) => {
      const n = Number(opts.accounts);
      if (!Number.isSafeInteger(n) || n < 1 || n > 1000) program.error('--accounts: want an integer in [1, 1000]');
      const json = genesisToJson(defaultDevnetGenesis({ accounts: n }));
      if (opts.out === undefined) process.stdout.write(json.endsWith('\n') ? json : `${json}\n`);
      else writeFileSync(opts.out, json.endsWith('\n') ? json : `${json}\n`);
    });
}
