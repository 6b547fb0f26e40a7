// `verity node`: runs a node for a genesis file and data directory: the sequencer (given its key),
// or with --follow a full node that follows the sequencer over libp2p (docs/network.md).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseGenesis } from '../../genesis/index.ts';
import { addL1Options, l1FromFlags, type L1Flags } from '../rollup/cli-options.ts';
import { addCommonOptions, addNetworkOptions, guarded, networkFromFlags, resolveConfig, runUntilSignal, type CommonFlags, type NetworkFlags } from './node-options.ts';

interface NodeFlags extends CommonFlags, NetworkFlags, L1Flags {
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
  addL1Options(addNetworkOptions(addCommonOptions(cmd))).action(
    guarded(async (f: NodeFlags) => {
      const config = resolveConfig(f, {
        genesisFile: f.genesis,
        rpcHost: f.rpcHost,
        rpcPort: f.rpcPort,
        sequencerKey: f.sequencerKeyFile === undefined ? undefined : readFileSync(f.sequencerKeyFile, 'utf8').trim(),
      });
      if (config.genesisFile === null) program.error('verity node: --genesis <file> is required (or VERITY_GENESIS)');
      const network = networkFromFlags(f);
      if (network?.follow && config.sequencerKey !== null) program.error('verity node: --follow runs without a sequencer key');
      const genesis = parseGenesis(readFileSync(config.genesisFile, 'utf8'));
      const l1 = l1FromFlags(f);
      const role = network?.follow ? 'follower' : config.sequencerKey === null ? 'read-only' : 'sequencer';
      await runUntilSignal(config, genesis, (logger) => logger.info({ chainId: genesis.chainId.toString(), dataDir: config.dataDir, role }, 'node started'), undefined, network ?? undefined, l1);
    }),
  );
}
