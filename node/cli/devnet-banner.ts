// The account listing `verity devnet` prints at start, laid out as anvil prints it, so tools and
// people that read anvil's output read ours. The keys are public (test mnemonic): devnet only.
// Addresses are printed checksummed (EIP-55), as wallets and explorers show them.
import { getAddress } from 'viem';
import { DEVNET_MNEMONIC, DEVNET_NOTE, type DevnetAccount } from '../../genesis/index.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import type { StakeChanges } from '../devnet/stake.ts';
import type { DevnetWorker } from '../devnet/workers.ts';
import type { DevnetFollower } from '../devnet/followers.ts';

const WEI_PER_ETH = 10n ** 18n;

function formatEth(wei: bigint): string {
  const whole = wei / WEI_PER_ETH;
  const frac = (wei % WEI_PER_ETH).toString().padStart(18, '0');
  return `${whole}.${frac}`;
}

/** Where the node's JSON-RPC answers: HTTP and WebSocket share the port. */
export interface RpcEndpoints {
  http: string;
  ws: string;
}

export function devnetBanner(accounts: { account: DevnetAccount; balance: bigint }[], chainId: bigint, rpc?: RpcEndpoints): string {
  const lines: string[] = [
    '',
    `  ${DEVNET_NOTE}`,
    '',
    'Available Accounts',
    '==================',
    '',
    ...accounts.map(({ account, balance }) => `(${account.index}) ${getAddress(account.address)} (${formatEth(balance)} ETH)`),
    '',
    'Private Keys (devnet-only)',
    '==================',
    '',
    ...accounts.map(({ account }) => `(${account.index}) ${account.privateKey}`),
    '',
    'Wallet',
    '==================',
    `Mnemonic:          ${DEVNET_MNEMONIC}`,
    "Derivation path:   m/44'/60'/0'/0/",
    '',
    'Chain ID',
    '==================',
    '',
    chainId.toString(),
    '',
    ...(rpc === undefined ? [] : ['JSON-RPC', '==================', '', `HTTP:       ${rpc.http}`, `WebSocket:  ${rpc.ws}`, '']),
  ];
  return lines.join('\n');
}

export interface WorkersBannerInput {
  rpc: string;
  workers: DevnetWorker[];
  logDir: string;
  /** the account the printed submit commands use (runs no worker) */
  submitter: DevnetAccount;
  submitterKey: string;
  /** the example spec, as the user can type it */
  spec: string;
  /** what the devnet did to the genesis stakes at start */
  stakes: StakeChanges;
}

/** The worker list and how to submit the example task, with `verity task submit` and with cast. */
export function devnetWorkersBanner(b: WorkersBannerInput): string {
  const rows = b.workers.map((w) => [w.name, `(${w.account.index}) ${getAddress(w.account.address)}`, w.url, w.logFile]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const rpcFlag = b.rpc === 'http://127.0.0.1:9545' ? '' : ` --rpc ${b.rpc}`;
  return [
    'Workers',
    '==================',
    '',
    ...(rows.length === 0
      ? ['(none: --solvers 0 --verifiers 0)']
      : rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  log: ${r[3]}`)),
    '',
    `Worker logs, data and devnet-only key files (mode 0600) are in ${b.logDir}; a worker that dies is restarted.`,
    ...(b.stakes.unbonded.length === 0
      ? []
      : [
          `Accounts ${b.stakes.unbonded.join(', ')} run no worker: their genesis stake is unbonding, so the verifier draw picks running`,
          `workers (a drawn account that never attests is slashed). To run your own worker on one, bond again first:`,
          `  cast send --rpc-url ${b.rpc} --private-key <its key> ${getAddress(MODULE_ADDRESSES.stake)} "bond()" --value 100ether`,
        ]),
    ...(b.stakes.bonded.length === 0 ? [] : [`Worker accounts ${b.stakes.bonded.join(', ')} were bonded back up to the genesis bond.`]),
    '',
    'Submit a task',
    '==================',
    '',
    `node node/cli/bin.js task submit${rpcFlag} --key-file ${b.submitterKey} --spec ${b.spec} --reward 1ether --fee 0.01ether`,
    '',
    `cast send --rpc-url ${b.rpc} --private-key ${b.submitter.privateKey} ${getAddress(MODULE_ADDRESSES.task)} \\`,
    `  "submitTask(bytes,uint256,uint256,(uint32,uint32),(uint64,uint64))" 0x$(xxd -p -c0 ${b.spec}) 10000000000000000 0 "(0,0)" "(0,0)" --value 1.01ether`,
    '',
    `node node/cli/bin.js task list${rpcFlag}    # then: task show --id 1`,
    '',
  ].join('\n');
}

/** The sequencer's multiaddr and the followers' URLs (`verity devnet --followers N`). */
export function devnetFollowersBanner(sequencerP2p: string, followers: DevnetFollower[]): string {
  const w = Math.max(...followers.map((f) => f.name.length));
  return [
    'Full nodes',
    '==================',
    '',
    `sequencer p2p: ${sequencerP2p}`,
    ...followers.map((f) => `${f.name.padEnd(w)}  ${f.url}  log: ${f.logFile}`),
    '',
    'Followers re-execute every block and forward transactions to the sequencer; more can join with',
    `  node node/cli/bin.js node --follow --genesis <genesis.json> --bootstrap ${sequencerP2p} --datadir <dir> --rpc-port <port>`,
    '',
  ].join('\n');
}

export interface RunsWhere {
  what: string;
  /** HTTP URL (the WebSocket URL is the same with ws://) or an address */
  where: string;
  note?: string;
}

/** The closing summary: one table of what runs where, then the first things to try. */
export function devnetSummary(rows: RunsWhere[], tryLines: string[]): string {
  const w = Math.max(...rows.map((r) => r.what.length));
  const u = Math.max(...rows.map((r) => r.where.length));
  const table = rows.map((r) => `${r.what.padEnd(w)}  ${r.where.padEnd(u)}${r.note ? `  ${r.note}` : ''}`.trimEnd());
  return ['', 'What runs where', '==================', '', ...table, '', 'Try', '==================', '', ...tryLines, ''].join('\n');
}
