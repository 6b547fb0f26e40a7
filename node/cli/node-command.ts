// `verity node`: runs a sequencer node for a given genesis file and data directory.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseGenesis } from '../../genesis/index.ts';
import { addCommonOptions, guarded, resolveConfig, runUntilSignal, type CommonFlags } from './node-options.ts';

interface NodeFlags extends CommonFlags {
  genesis?: string;
  rpcHost?: string;
  rpcPort?: string;
  sequencerKeyFile?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('node')
    .description('run a node for a genesis file (sequencer when given the sequencer key)')
    .option('--genesis <file>', 'genesis JSON file (see `verity genesis init`)')
    .option('--rpc-host <host>', 'JSON-RPC listen address (default 127.0.0.1)')
    .option('--rpc-port <port>', 'JSON-RPC port, 0 = any free port (default 9545)')
    .option('--sequencer-key-file <file>', 'file holding the 0x-hex sequencer key (or set VERITY_SEQUENCER_KEY)');
  addCommonOptions(cmd).action(
    guarded(async (f: NodeFlags) => {
      const config = resolveConfig(f, {
        genesisFile: f.genesis,
        rpcHost: f.rpcHost,
        rpcPort: f.rpcPort,
        sequencerKey: f.sequencerKeyFile === undefined ? undefined : readFileSync(f.sequencerKeyFile, 'utf8').trim(),
      });
      if (config.genesisFile === null) program.error('verity node: --genesis <file> is required (or VERITY_GENESIS)');
      const genesis = parseGenesis(readFileSync(config.genesisFile, 'utf8'));
      await runUntilSignal(config, genesis, (logger) => logger.info({ chainId: genesis.chainId.toString(), dataDir: config.dataDir }, 'node started'));
    }),
  );
}
