// The L1 flags of `verity node` (and their environment variables): where L1 is, the batcher's and
// proposer's L1 keys, and --derive-from-l1. The keys are read from files (or the environment), never
// from a flag value, so they do not show in `ps`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Hex } from 'viem';
import { ConfigError } from '../errors.ts';
import type { NodeRollupOptions } from './attach.ts';

export interface L1Flags {
  l1Rpc?: string;
  deriveFromL1?: boolean;
  batcherKeyFile?: string;
  proposerKeyFile?: string;
}

export function addL1Options(cmd: Command): Command {
  return cmd
    .option('--l1-rpc <url>', 'L1 JSON-RPC URL (or VERITY_L1_RPC): runs the L1 watcher, batcher and proposer beside the sequencer, or derivation')
    .option('--derive-from-l1', 'rebuild the chain from L1 alone (batches, deposits, output roots) and serve it read-only; needs --l1-rpc')
    .option('--batcher-key-file <file>', "file with the BatchInbox batcher's 0x-hex L1 key (or VERITY_BATCHER_KEY)")
    .option('--proposer-key-file <file>', "file with the OutputOracle proposer's 0x-hex L1 key (or VERITY_PROPOSER_KEY)");
}

function key(setting: string, file: string | undefined, env: string | undefined): Hex | null {
  let v: string | undefined = env;
  if (file !== undefined) {
    try {
      v = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(setting, `cannot read ${file}: ${(e as Error).message}`);
    }
  }
  if (v === undefined || v.trim() === '') return null;
  const k = v.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(k)) throw new ConfigError(setting, 'want a 0x-prefixed 32-byte hex key');
  return k.toLowerCase() as Hex;
}

/** The node's L1 options, or null when no L1 RPC is configured. */
export function l1FromFlags(f: L1Flags, env: NodeJS.ProcessEnv = process.env): NodeRollupOptions | null {
  const l1Rpc = f.l1Rpc ?? (env.VERITY_L1_RPC || undefined);
  if (l1Rpc === undefined) {
    if (f.deriveFromL1) throw new ConfigError('--derive-from-l1', 'needs --l1-rpc <url>');
    return null;
  }
  if (!/^https?:\/\//.test(l1Rpc)) throw new ConfigError('--l1-rpc', 'want an http(s) URL');
  return {
    l1Rpc,
    deriveFromL1: f.deriveFromL1 === true,
    batcherKey: key('--batcher-key-file', f.batcherKeyFile, env.VERITY_BATCHER_KEY),
    proposerKey: key('--proposer-key-file', f.proposerKeyFile, env.VERITY_PROPOSER_KEY),
    // a deriving node that meets data L1 contradicts stops serving: exit loudly (the log has the cause)
    onDerivationFailure: () => {
      process.stderr.write('error: derivation stopped: the L2 data on L1 disagrees with itself or with L1 (see the fatal log line)\n');
      setTimeout(() => process.exit(2), 100);
    },
  };
}
