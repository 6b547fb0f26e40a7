// `verity bridge deposit | withdraw | prove | finalize | status`: the user's side of the bridge
// between the L1 (default http://127.0.0.1:8545, the devnet's) and the L2 (default
// http://127.0.0.1:9545). Each prints a line of text, or one JSON object with --json; errors exit 1.
// The `cast send` equivalent of each: docs/bridge.md.
import { InvalidArgumentError, type Command } from 'commander';
import { isAddress, type Address } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { readKeyFile } from '../../worker/chain/key.ts';
import { parseAmount } from '../../worker/cli/amount.ts';
import { runAsyncCommand } from '../../worker/cli/task-command.ts';
import { deposit, depositStatus, finalize, prove, withdraw, withdrawalStatus, BridgeCliError, type Endpoints } from '../rollup/bridge-ops.ts';

export const DEFAULT_L1_RPC = 'http://127.0.0.1:8545';
export const DEFAULT_L2_RPC = 'http://127.0.0.1:9545';

interface Common {
  l1Rpc: string;
  rpc: string;
  keyFile?: string;
  json?: boolean;
}

const address = (v: string): Address => {
  if (!isAddress(v, { strict: false })) throw new InvalidArgumentError('want a 0x-prefixed 20-byte address');
  return v.toLowerCase() as Address;
};
const amount = (v: string): bigint => {
  try {
    return parseAmount(v, 'amount');
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};
const index = (v: string): bigint => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('want a non-negative integer');
  return BigInt(v);
};

function endpoints(o: Common): Endpoints {
  return { l1Rpc: o.l1Rpc, l2Rpc: o.rpc };
}

function account(o: Common): PrivateKeyAccount {
  if (o.keyFile === undefined) throw new BridgeCliError('BRIDGE_NO_KEY', '--key-file <file> is required: a file holding the 0x-hex private key that signs');
  return readKeyFile(o.keyFile);
}

function common(cmd: Command, needsKey: boolean): Command {
  cmd
    .option('--l1-rpc <url>', 'L1 JSON-RPC URL', DEFAULT_L1_RPC)
    .option('--rpc <url>', 'L2 (Verity) JSON-RPC URL', DEFAULT_L2_RPC)
    .option('--json', 'print one JSON object');
  if (needsKey) cmd.option('--key-file <file>', 'file holding the 0x-hex private key that signs (the same key works on L1 and L2)');
  return cmd;
}

const run = (o: Common, body: () => Promise<unknown>, text: (r: never) => string): Promise<void> => runAsyncCommand(o.json === true, body, text);

export function register(program: Command): void {
  const bridge = program.command('bridge').description('move ETH and ERC-20 tokens between L1 and Verity: deposit, withdraw, prove, finalize, status');

  common(
    bridge
      .command('deposit')
      .description('deposit ETH (or an ERC-20 with --token; approves the portal first when needed) on L1 for an L2 recipient')
      .requiredOption('--amount <amount>', 'wei, or with a unit: 1ether, 500gwei', amount)
      .option('--to <address>', 'L2 recipient (default: the sender)', address)
      .option('--token <address>', 'L1 ERC-20 to deposit instead of ETH', address),
    true,
  ).action((o: Common & { amount: bigint; to?: Address; token?: Address }) =>
    run(o, () => deposit({ ...endpoints(o), account: account(o), amount: o.amount, to: o.to, token: o.token }), (r: Awaited<ReturnType<typeof deposit>>) =>
      `deposit ${r.nonce}: ${r.amount} wei of ${r.token === '0x0000000000000000000000000000000000000000' ? 'ETH' : r.token} for ${r.to} in L1 tx ${r.l1TxHash} (block ${r.l1Block}); credited on L2 once confirmed`,
    ),
  );

  common(
    bridge
      .command('withdraw')
      .description('start a withdrawal on L2 (burns the amount; ETH, or a bridged ERC-20 with --token)')
      .requiredOption('--amount <amount>', 'wei, or with a unit: 1ether, 500gwei', amount)
      .option('--to <address>', 'L1 recipient (default: the sender)', address)
      .option('--token <address>', 'L1 ERC-20 whose bridged balance to withdraw instead of ETH', address),
    true,
  ).action((o: Common & { amount: bigint; to?: Address; token?: Address }) =>
    run(o, () => withdraw({ l2Rpc: o.rpc, account: account(o), amount: o.amount, to: o.to, token: o.token }), (r: Awaited<ReturnType<typeof withdraw>>) =>
      `withdrawal ${r.index}: ${r.amount} wei to ${r.l1Recipient} in L2 tx ${r.l2TxHash} (block ${r.l2Block}); prove it once an output root covers that block: verity bridge prove --index ${r.index}`,
    ),
  );

  common(
    bridge
      .command('prove')
      .description('prove a withdrawal on L1 against the newest posted output root (the proof comes from the L2 node)')
      .requiredOption('--index <n>', 'the withdrawal index (printed by `bridge withdraw`)', index),
    true,
  ).action((o: Common & { index: bigint }) =>
    run(o, () => prove({ ...endpoints(o), account: account(o), index: o.index }), (r: Awaited<ReturnType<typeof prove>>) =>
      `withdrawal ${r.index} proven against the output root of L2 block ${r.l2BlockNumber} in L1 tx ${r.l1TxHash}; finalize after the window: verity bridge finalize --index ${r.index}`,
    ),
  );

  common(
    bridge
      .command('finalize')
      .description('pay a proven withdrawal on L1 once its output root is final (anyone may call it)')
      .requiredOption('--index <n>', 'the withdrawal index', index),
    true,
  ).action((o: Common & { index: bigint }) =>
    run(o, () => finalize({ ...endpoints(o), account: account(o), index: o.index }), (r: Awaited<ReturnType<typeof finalize>>) =>
      `withdrawal ${r.index} paid: ${r.amount} wei to ${r.l1Recipient} in L1 tx ${r.l1TxHash}`,
    ),
  );

  common(
    bridge
      .command('status')
      .description('where a withdrawal (--withdrawal <index>) or a deposit (--deposit <nonce>) stands')
      .option('--withdrawal <index>', 'a withdrawal index', index)
      .option('--deposit <nonce>', 'a deposit nonce', index),
    false,
  ).action((o: Common & { withdrawal?: bigint; deposit?: bigint }) =>
    run(
      o,
      async () => {
        if ((o.withdrawal === undefined) === (o.deposit === undefined)) throw new BridgeCliError('BRIDGE_USAGE', 'give exactly one of --withdrawal <index> or --deposit <nonce>');
        return o.withdrawal !== undefined ? withdrawalStatus(endpoints(o), o.withdrawal) : depositStatus(endpoints(o), o.deposit ?? 0n);
      },
      (r: Awaited<ReturnType<typeof withdrawalStatus>> | Awaited<ReturnType<typeof depositStatus>>) =>
        r.kind === 'withdrawal'
          ? `withdrawal ${r.index}: ${r.state}${r.secondsLeft !== undefined && r.state === 'proven' ? ` (${r.secondsLeft} s left in the window)` : ''}; ${r.amount} wei to ${r.l1Recipient}`
          : `deposit ${r.nonce}: ${r.onL1 ? `on L1 (tx ${r.l1TxHash})` : 'not found on L1'}; ${r.creditedOnL2 ? `credited on L2${r.l2TxHash ? ` (tx ${r.l2TxHash})` : ''}` : 'not credited on L2 yet'}`,
    ),
  );
}
