// The user's side of the bridge, over two JSON-RPC endpoints (L1 and L2): deposit on L1 (ERC-20:
// approve first), withdraw on L2, prove on L1 against a posted output root (the proof comes from the
// L2 bridge module's withdrawalProof view at that output's block, and the root's parts from
// verity_outputAtBlock, checked against the oracle before sending), finalize after the window, and
// the status of a withdrawal or a deposit. `verity bridge` and the tests call these.
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  http,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { outputOracleAbi, portalAbi, testTokenAbi } from '../../bridge/artifacts.ts';
import { outputRoot, withdrawalHash, type Withdrawal } from '../../bridge/withdrawals.ts';
import { bridgeAbi } from '../../state-machine/modules/bridge/abi.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { RollupError } from './errors.ts';

const ZERO: Address = '0x0000000000000000000000000000000000000000';
const BRIDGE = MODULE_ADDRESSES.bridge as Address;

export class BridgeCliError extends RollupError {}

export interface RollupConfigJson {
  l1ChainId: bigint;
  l2ChainId: bigint;
  portal: Address;
  outputOracle: Address;
  batchInbox: Address;
  l1StartBlock: bigint;
  confirmations: bigint;
  finalizationWindowSeconds: bigint;
  outputIntervalBlocks: bigint;
}

export interface Endpoints {
  l1Rpc: string;
  l2Rpc: string;
}

interface Clients {
  l1: PublicClient;
  l2: PublicClient;
  cfg: RollupConfigJson;
}

const client = (url: string): PublicClient => createPublicClient({ transport: http(url, { timeout: 15_000, retryCount: 1 }) });

export async function rollupConfig(l2: PublicClient): Promise<RollupConfigJson> {
  const r = await l2.request<{ Method: 'verity_rollupConfig'; Parameters: []; ReturnType: Record<string, string> }>({ method: 'verity_rollupConfig', params: [] });
  const n = (k: string): bigint => BigInt(r[k]);
  return {
    l1ChainId: n('l1ChainId'),
    l2ChainId: n('l2ChainId'),
    portal: r.portal as Address,
    outputOracle: r.outputOracle as Address,
    batchInbox: r.batchInbox as Address,
    l1StartBlock: n('l1StartBlock'),
    confirmations: n('confirmations'),
    finalizationWindowSeconds: n('finalizationWindowSeconds'),
    outputIntervalBlocks: n('outputIntervalBlocks'),
  };
}

async function connect(e: Endpoints): Promise<Clients> {
  const l1 = client(e.l1Rpc);
  const l2 = client(e.l2Rpc);
  const cfg = await rollupConfig(l2);
  if (cfg.portal === ZERO) throw new BridgeCliError('BRIDGE_NO_L1', 'the L2 has no portal configured (no L1 bridge)');
  const l1Id = BigInt(await l1.getChainId());
  if (l1Id !== cfg.l1ChainId) throw new BridgeCliError('BRIDGE_WRONG_L1', `the L1 RPC is chain ${l1Id}; the L2 is bridged to chain ${cfg.l1ChainId}`);
  return { l1, l2, cfg };
}

/** Simulates, then sends and waits; a revert throws with the contract's custom error name. */
async function send(pub: PublicClient, url: string, account: Account, to: Address, abi: Abi, functionName: string, args: readonly unknown[], value = 0n): Promise<{ hash: Hex; blockNumber: bigint; logs: { address: Address; topics: [Hex, ...Hex[]] | []; data: Hex }[] }> {
  try {
    await pub.simulateContract({ account, address: to, abi, functionName, args, value });
  } catch (e) {
    const reverted = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : null;
    if (reverted instanceof ContractFunctionRevertedError) {
      const name = reverted.data?.errorName ?? reverted.reason ?? 'reverted';
      throw new BridgeCliError('BRIDGE_REVERT', `${functionName} would revert: ${name}${reverted.data?.args ? `(${reverted.data.args.map(String).join(', ')})` : ''}`, { error: name });
    }
    throw e;
  }
  const wallet = createWalletClient({ account, transport: http(url, { timeout: 15_000 }) });
  const hash = await wallet.writeContract({ account, chain: null, address: to, abi, functionName, args, value });
  const r = await pub.waitForTransactionReceipt({ hash, timeout: 120_000, pollingInterval: 250 });
  if (r.status !== 'success') throw new BridgeCliError('BRIDGE_TX_FAILED', `${functionName}: transaction ${hash} reverted`);
  return { hash, blockNumber: r.blockNumber, logs: r.logs };
}

export interface DepositArgs extends Endpoints {
  account: Account;
  /** L2 recipient (default: the sender) */
  to?: Address;
  amount: bigint;
  /** L1 ERC-20 (default: ETH) */
  token?: Address;
}

export interface DepositResult {
  nonce: string;
  l1TxHash: Hex;
  l1Block: string;
  from: Address;
  to: Address;
  token: Address;
  amount: string;
  approveTxHash?: Hex;
}

export async function deposit(a: DepositArgs): Promise<DepositResult> {
  const { l1, cfg } = await connect(a);
  const to = a.to ?? a.account.address;
  const token = a.token ?? ZERO;
  let approveTxHash: Hex | undefined;
  let r;
  if (token === ZERO) r = await send(l1, a.l1Rpc, a.account, cfg.portal, portalAbi, 'depositETH', [to], a.amount);
  else {
    const allowance = await l1.readContract({ address: token, abi: testTokenAbi, functionName: 'allowance', args: [a.account.address, cfg.portal] });
    if (allowance < a.amount) approveTxHash = (await send(l1, a.l1Rpc, a.account, token, testTokenAbi, 'approve', [cfg.portal, a.amount])).hash;
    r = await send(l1, a.l1Rpc, a.account, cfg.portal, portalAbi, 'depositERC20', [token, to, a.amount]);
  }
  const ev = r.logs
    .filter((l) => l.address.toLowerCase() === cfg.portal.toLowerCase())
    .map((l) => decodeEventLog({ abi: portalAbi, data: l.data, topics: l.topics }))
    .find((e) => e.eventName === 'Deposit');
  if (ev?.eventName !== 'Deposit') throw new BridgeCliError('BRIDGE_NO_EVENT', `no Deposit event in ${r.hash}`);
  return {
    nonce: ev.args.nonce.toString(),
    l1TxHash: r.hash,
    l1Block: r.blockNumber.toString(),
    from: a.account.address,
    to,
    token,
    amount: a.amount.toString(),
    ...(approveTxHash ? { approveTxHash } : {}),
  };
}

export interface WithdrawArgs {
  l2Rpc: string;
  account: Account;
  /** L1 recipient (default: the sender) */
  to?: Address;
  amount: bigint;
  /** L1 token whose bridged L2 balance is withdrawn (default: ETH) */
  token?: Address;
}

export interface WithdrawResult {
  index: string;
  withdrawalHash: Hex;
  l2TxHash: Hex;
  l2Block: string;
  l1Recipient: Address;
  token: Address;
  amount: string;
}

export async function withdraw(a: WithdrawArgs): Promise<WithdrawResult> {
  const l2 = client(a.l2Rpc);
  const to = a.to ?? a.account.address;
  const token = a.token ?? ZERO;
  const r =
    token === ZERO
      ? await send(l2, a.l2Rpc, a.account, BRIDGE, bridgeAbi, 'withdraw', [to], a.amount)
      : await send(l2, a.l2Rpc, a.account, BRIDGE, bridgeAbi, 'withdrawToken', [token, to, a.amount]);
  const ev = r.logs
    .filter((l) => l.address.toLowerCase() === BRIDGE.toLowerCase())
    .map((l) => decodeEventLog({ abi: bridgeAbi, data: l.data, topics: l.topics }))
    .find((e) => e.eventName === 'WithdrawalInitiated');
  if (ev?.eventName !== 'WithdrawalInitiated') throw new BridgeCliError('BRIDGE_NO_EVENT', `no WithdrawalInitiated event in ${r.hash}`);
  return {
    index: ev.args.nonce.toString(),
    withdrawalHash: ev.args.withdrawalHash,
    l2TxHash: r.hash,
    l2Block: r.blockNumber.toString(),
    l1Recipient: to,
    token,
    amount: a.amount.toString(),
  };
}

async function withdrawalOf(l2: PublicClient, index: bigint, blockNumber?: bigint): Promise<Withdrawal> {
  const count = await l2.readContract({ address: BRIDGE, abi: bridgeAbi, functionName: 'withdrawalCount', blockNumber });
  if (index >= count) throw new BridgeCliError('BRIDGE_NO_WITHDRAWAL', `no withdrawal ${index} on L2${blockNumber === undefined ? '' : ` at block ${blockNumber}`} (${count} withdrawals)`);
  const [nonce, l2Sender, l1Recipient, token, amount] = await l2.readContract({ address: BRIDGE, abi: bridgeAbi, functionName: 'withdrawalAt', args: [index], blockNumber });
  return { nonce, l2Sender, l1Recipient, token, amount };
}

export interface ProveArgs extends Endpoints {
  account: Account;
  index: bigint;
}

export interface ProveResult {
  index: string;
  withdrawalHash: Hex;
  l2BlockNumber: string;
  outputRoot: Hex;
  l1TxHash: Hex;
}

export async function prove(a: ProveArgs): Promise<ProveResult> {
  const { l1, l2, cfg } = await connect(a);
  const n = await l1.readContract({ address: cfg.outputOracle, abi: outputOracleAbi, functionName: 'latestBlockNumber' });
  const [posted] = await l1.readContract({ address: cfg.outputOracle, abi: outputOracleAbi, functionName: 'getOutput', args: [n] });
  if (n === 0n || BigInt(posted) === 0n) throw new BridgeCliError('BRIDGE_NO_OUTPUT', 'no output root is posted on L1 yet; wait for the proposer');
  const count = await l2.readContract({ address: BRIDGE, abi: bridgeAbi, functionName: 'withdrawalCount', blockNumber: n });
  if (a.index >= count) throw new BridgeCliError('BRIDGE_NOT_IN_OUTPUT', `withdrawal ${a.index} is not in the newest posted output (L2 block ${n}); wait for the next one`);
  const w = await withdrawalOf(l2, a.index, n);
  const [leaf, siblings] = await l2.readContract({ address: BRIDGE, abi: bridgeAbi, functionName: 'withdrawalProof', args: [a.index], blockNumber: n });
  const parts = await l2.request<{ Method: 'verity_outputAtBlock'; Parameters: [Hex]; ReturnType: { outputRoot: Hex; stateRoot: Hex; withdrawalsRoot: Hex; blockHash: Hex } }>({
    method: 'verity_outputAtBlock',
    params: [`0x${n.toString(16)}`],
  });
  const root = outputRoot(parts.stateRoot, parts.withdrawalsRoot, parts.blockHash);
  if (root !== posted.toLowerCase()) throw new BridgeCliError('BRIDGE_OUTPUT_MISMATCH', `L2 block ${n} gives output root ${root}; L1 holds ${posted}`);
  if (leaf !== withdrawalHash(w)) throw new BridgeCliError('BRIDGE_BAD_LEAF', `L2 returned leaf ${leaf} for withdrawal ${a.index}, which hashes to ${withdrawalHash(w)}`);
  const r = await send(l1, a.l1Rpc, a.account, cfg.portal, portalAbi, 'proveWithdrawal', [n, parts.stateRoot, parts.withdrawalsRoot, parts.blockHash, w, a.index, siblings]);
  return { index: a.index.toString(), withdrawalHash: leaf, l2BlockNumber: n.toString(), outputRoot: root, l1TxHash: r.hash };
}

export interface FinalizeResult {
  index: string;
  withdrawalHash: Hex;
  l1Recipient: Address;
  token: Address;
  amount: string;
  l1TxHash: Hex;
}

export async function finalize(a: ProveArgs): Promise<FinalizeResult> {
  const { l1, l2, cfg } = await connect(a);
  const w = await withdrawalOf(l2, a.index);
  const r = await send(l1, a.l1Rpc, a.account, cfg.portal, portalAbi, 'finalizeWithdrawal', [w]);
  return { index: a.index.toString(), withdrawalHash: withdrawalHash(w), l1Recipient: w.l1Recipient, token: w.token, amount: w.amount.toString(), l1TxHash: r.hash };
}

export type WithdrawalState = 'initiated' | 'proven' | 'ready-to-finalize' | 'finalized' | 'proof-root-deleted';

export interface WithdrawalStatus {
  kind: 'withdrawal';
  index: string;
  withdrawalHash: Hex;
  l2Sender: Address;
  l1Recipient: Address;
  token: Address;
  amount: string;
  state: WithdrawalState;
  provenAtL2Block?: string;
  /** seconds until finalizeWithdrawal may succeed (proven, not final yet) */
  secondsLeft?: string;
}

export async function withdrawalStatus(e: Endpoints, index: bigint): Promise<WithdrawalStatus> {
  const { l1, l2, cfg } = await connect(e);
  const w = await withdrawalOf(l2, index);
  const h = withdrawalHash(w);
  const base = { kind: 'withdrawal' as const, index: index.toString(), withdrawalHash: h, l2Sender: w.l2Sender, l1Recipient: w.l1Recipient, token: w.token, amount: w.amount.toString() };
  if (await l1.readContract({ address: cfg.portal, abi: portalAbi, functionName: 'finalizedWithdrawals', args: [h] })) return { ...base, state: 'finalized' };
  const [provenRoot, l2Block, provenAt] = await l1.readContract({ address: cfg.portal, abi: portalAbi, functionName: 'provenWithdrawals', args: [h] });
  if (provenAt === 0n) return { ...base, state: 'initiated' };
  const [current, postedAt] = await l1.readContract({ address: cfg.outputOracle, abi: outputOracleAbi, functionName: 'getOutput', args: [l2Block] });
  if (current !== provenRoot) return { ...base, state: 'proof-root-deleted', provenAtL2Block: l2Block.toString() };
  const window = await l1.readContract({ address: cfg.outputOracle, abi: outputOracleAbi, functionName: 'windowSeconds' });
  const now = (await l1.getBlock({ blockTag: 'latest' })).timestamp;
  const left = postedAt + window > now ? postedAt + window - now : 0n;
  return { ...base, state: left === 0n ? 'ready-to-finalize' : 'proven', provenAtL2Block: l2Block.toString(), secondsLeft: left.toString() };
}

export interface DepositStatus {
  kind: 'deposit';
  nonce: string;
  onL1: boolean;
  l1TxHash?: Hex;
  l1Block?: string;
  from?: Address;
  to?: Address;
  token?: Address;
  amount?: string;
  creditedOnL2: boolean;
  l2TxHash?: Hex;
  l2Block?: string;
}

export async function depositStatus(e: Endpoints, nonce: bigint): Promise<DepositStatus> {
  const { l1, l2, cfg } = await connect(e);
  const logs = await l1.getContractEvents({ address: cfg.portal, abi: portalAbi, eventName: 'Deposit', args: { nonce }, fromBlock: cfg.l1StartBlock, toBlock: 'latest', strict: true });
  const d = logs.find((l) => l.address.toLowerCase() === cfg.portal.toLowerCase());
  const next = await l2.readContract({ address: BRIDGE, abi: bridgeAbi, functionName: 'nextDepositNonce' });
  const credited = next > nonce;
  const out: DepositStatus = { kind: 'deposit', nonce: nonce.toString(), onL1: d !== undefined, creditedOnL2: credited };
  if (d !== undefined) Object.assign(out, { l1TxHash: d.transactionHash, l1Block: d.blockNumber.toString(), from: d.args.from, to: d.args.l2Recipient, token: d.args.token, amount: d.args.amount.toString() });
  if (credited) {
    // the L2 node caps log ranges: on a long chain the crediting tx may be out of reach; the flag stands
    const l2logs = await l2
      .getContractEvents({ address: BRIDGE, abi: bridgeAbi, eventName: 'DepositFinalized', args: { nonce }, fromBlock: 0n, toBlock: 'latest', strict: true })
      .catch(() => []);
    const c = l2logs[0];
    if (c !== undefined) Object.assign(out, { l2TxHash: c.transactionHash, l2Block: c.blockNumber.toString() });
  }
  return out;
}
