// The worker's chain client: JSON-RPC only (viem public + wallet clients over HTTP), never the
// node's code. Reads the task and stake modules through their ABIs, decodes task events, and sends
// transactions from the worker's key: the node's gas estimate runs each call first, so a revert
// comes back as the module's custom error (name and arguments) instead of a spent nonce.
import {
  BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  encodeFunctionData,
  formatLog,
  http,
  parseEventLogs,
  type Abi,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type EncodeFunctionDataParameters,
  type ParseEventLogsReturnType,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { stakeAbi } from '../../state-machine/modules/stake/abi.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { verdeAbi } from '../../state-machine/modules/verde/abi.ts';
import type { Address } from '../../state-machine/types.ts';

export const TASK_ADDRESS: Address = MODULE_ADDRESSES.task;
export const STAKE_ADDRESS: Address = MODULE_ADDRESSES.stake;
export const VERDE_ADDRESS: Address = MODULE_ADDRESSES.verde;

export type ChainDispute = ContractFunctionReturnType<typeof verdeAbi, 'view', 'getDispute'>;
type VerdeWrite = ContractFunctionName<typeof verdeAbi, 'nonpayable'>;

/** Task status codes (ITask.sol). */
export const TaskStatus = { Open: 1, Claimed: 2, Committed: 3, Disputed: 4, Finalized: 5, Expired: 6, Cancelled: 7 } as const;

export type ChainTask = ContractFunctionReturnType<typeof taskAbi, 'view', 'getTask'>;
export type DataChallenge = ContractFunctionReturnType<typeof taskAbi, 'view', 'dataChallengeOf'>;
export type TaskEvent = ParseEventLogsReturnType<typeof taskAbi, undefined, true>[number];

type WriteName = ContractFunctionName<typeof taskAbi, 'nonpayable' | 'payable'>;
/** One state-changing task-module call, typed by the ABI. */
export type TaskCall = {
  [F in WriteName]: { functionName: F; args: ContractFunctionArgs<typeof taskAbi, 'nonpayable' | 'payable', F>; value?: bigint };
}[WriteName];

/** What a sent call did: mined successfully, or reverted with the module's error. */
export type TxOutcome =
  | { ok: true; hash: Hex; blockNumber: bigint }
  | { ok: false; error: string; args: readonly unknown[]; message: string; hash?: Hex };

const errorAbi: Abi = [...taskAbi, ...stakeAbi, ...verdeAbi];

/** The module custom error (or Error(string)) carried by a viem error, if there is one. */
export function revertOf(e: unknown): { error: string; args: readonly unknown[]; message: string } | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const carrier = e.walk((x) => typeof (x as { data?: unknown }).data === 'string' && /^0x[0-9a-f]*$/i.test((x as { data: string }).data));
  const data = (carrier as { data?: string } | null)?.data;
  if (data === undefined || data.length < 10) return e.walk((x) => /revert/i.test((x as Error).message)) ? { error: 'Reverted', args: [], message: e.shortMessage } : undefined;
  try {
    const r = decodeErrorResult({ abi: errorAbi, data: data as Hex });
    const args = r.args ?? [];
    return { error: r.errorName, args, message: `${r.errorName}(${args.map(String).join(', ')})` };
  } catch {
    return { error: 'Reverted', args: [], message: `reverted with undecodable data ${data.slice(0, 74)}` };
  }
}

/** The viem chain of a Verity node at `url` (its id from eth_chainId). */
export function verityChain(chainId: bigint | number, url: string): Chain {
  return defineChain({
    id: Number(chainId),
    name: `verity-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
}

export interface ChainClientOptions {
  /** per-request timeout, ms */
  timeoutMs?: number;
  /** how often to poll for a receipt, ms */
  pollMs?: number;
  /** give up waiting for a receipt after this long (the caller re-reads the chain and retries), ms */
  receiptTimeoutMs?: number;
}

export class ChainClient {
  readonly public: PublicClient<Transport, Chain>;
  readonly wallet: WalletClient<Transport, Chain, PrivateKeyAccount>;
  readonly address: Address;
  readonly chainId: bigint;
  private readonly pollMs: number;
  private readonly receiptTimeoutMs: number;
  /** sends are serialized: each waits for the previous one's receipt (one nonce sequence) */
  private sending: Promise<unknown> = Promise.resolve();

  private constructor(url: string, account: PrivateKeyAccount, chainId: bigint, o: ChainClientOptions) {
    const chain = verityChain(chainId, url);
    const transport = http(url, { timeout: o.timeoutMs ?? 10_000, retryCount: 0 });
    this.public = createPublicClient({ chain, transport });
    this.wallet = createWalletClient({ chain, transport, account });
    this.address = account.address.toLowerCase() as Address;
    this.chainId = chainId;
    this.pollMs = o.pollMs ?? 250;
    this.receiptTimeoutMs = o.receiptTimeoutMs ?? 60_000;
  }

  /** Connects: the chain id comes from the node (eth_chainId). */
  static async connect(url: string, account: PrivateKeyAccount, o: ChainClientOptions = {}): Promise<ChainClient> {
    const probe = createPublicClient({ transport: http(url, { timeout: o.timeoutMs ?? 10_000, retryCount: 0 }) });
    const chainId = BigInt(await probe.getChainId());
    return new ChainClient(url, account, chainId, o);
  }

  blockNumber(): Promise<bigint> {
    return this.public.getBlockNumber({ cacheTime: 0 });
  }

  getTask(id: bigint): Promise<ChainTask> {
    return this.public.readContract({ address: TASK_ADDRESS, abi: taskAbi, functionName: 'getTask', args: [id] });
  }

  async specOf(id: bigint): Promise<Uint8Array> {
    const hex = await this.public.readContract({ address: TASK_ADDRESS, abi: taskAbi, functionName: 'specOf', args: [id] });
    return Buffer.from(hex.slice(2), 'hex');
  }

  taskCount(): Promise<bigint> {
    return this.public.readContract({ address: TASK_ADDRESS, abi: taskAbi, functionName: 'taskCount' });
  }

  dataChallengeOf(id: bigint): Promise<DataChallenge> {
    return this.public.readContract({ address: TASK_ADDRESS, abi: taskAbi, functionName: 'dataChallengeOf', args: [id] });
  }

  unlockedStake(who: Address = this.address): Promise<bigint> {
    return this.public.readContract({ address: STAKE_ADDRESS, abi: stakeAbi, functionName: 'unlockedOf', args: [who] });
  }

  isJailed(who: Address = this.address): Promise<boolean> {
    return this.public.readContract({ address: STAKE_ADDRESS, abi: stakeAbi, functionName: 'isJailed', args: [who] });
  }

  /** Task-module events in [from, to], decoded, in chain order; `taskId` narrows to one task. */
  async taskEvents(fromBlock: bigint, toBlock: bigint, taskId?: bigint): Promise<TaskEvent[]> {
    const topics = taskId === undefined ? undefined : ([null, `0x${taskId.toString(16).padStart(64, '0')}`] as [null, Hex]);
    const raw = await this.public.request({
      method: 'eth_getLogs',
      params: [{ address: TASK_ADDRESS, fromBlock: `0x${fromBlock.toString(16)}`, toBlock: `0x${toBlock.toString(16)}`, ...(topics ? { topics } : {}) }],
    });
    return parseEventLogs<typeof taskAbi, true>({ abi: taskAbi, logs: raw.map((l) => formatLog(l)), strict: true });
  }

  /**
   * Signs, sends and waits for the receipt of one task-module call. The node estimates its gas
   * first, which runs it: a revert comes back as the module's error (an outcome, not an exception,
   * and no nonce spent). Submissions go one at a time (one nonce sequence, taken from the node's
   * pending count) but receipts are awaited outside that queue, so independent calls (a verifier's
   * attestations) land in the same block. Transport failures throw.
   */
  async send(call: TaskCall): Promise<TxOutcome> {
    const data = encodeFunctionData({ abi: taskAbi, functionName: call.functionName, args: call.args } as EncodeFunctionDataParameters<typeof taskAbi>);
    return this.sendData(TASK_ADDRESS, data, call.value ?? 0n);
  }

  /** One call of the verde module (the dispute game), like send(). */
  sendVerde(functionName: VerdeWrite, args: readonly unknown[]): Promise<TxOutcome> {
    const data = encodeFunctionData({ abi: verdeAbi, functionName, args } as EncodeFunctionDataParameters<typeof verdeAbi>);
    return this.sendData(VERDE_ADDRESS, data, 0n);
  }

  getDispute(id: bigint): Promise<ChainDispute> {
    return this.public.readContract({ address: VERDE_ADDRESS, abi: verdeAbi, functionName: 'getDispute', args: [id] });
  }

  /** The dispute game's genesis parameters: arity, each party's clock (blocks), a losing challenger's slash. */
  async verdeParams(): Promise<{ arity: bigint; clockBlocks: bigint; challengerSlash: bigint }> {
    const [arity, clockBlocks, challengerSlash] = await this.public.readContract({ address: VERDE_ADDRESS, abi: verdeAbi, functionName: 'params' });
    return { arity, clockBlocks, challengerSlash };
  }

  /** The genesis task parameters the worker needs (the bond a challenge escrows). */
  challengeBond(): Promise<bigint> {
    return this.public.readContract({ address: TASK_ADDRESS, abi: taskAbi, functionName: 'challengeBond' });
  }

  private async sendData(to: Address, data: Hex, value: bigint): Promise<TxOutcome> {
    const submitted = this.sending.then(
      () => this.submit(to, data, value),
      () => this.submit(to, data, value),
    );
    this.sending = submitted.catch(() => undefined);
    const r = await submitted;
    if ('error' in r) return r;
    const receipt = await this.waitForReceipt(r.hash);
    if (receipt.status === 'success') return { ok: true, hash: r.hash, blockNumber: receipt.blockNumber };
    return { ok: false, error: 'Reverted', args: [], message: `transaction ${r.hash} reverted in block ${receipt.blockNumber}`, hash: r.hash };
  }

  private async submit(to: Address, data: Hex, value: bigint): Promise<{ hash: Hex } | Extract<TxOutcome, { ok: false }>> {
    try {
      return { hash: await this.wallet.sendTransaction({ to, data, value }) };
    } catch (e) {
      const r = revertOf(e);
      if (r) return { ok: false, ...r };
      throw e;
    }
  }

  private async waitForReceipt(hash: Hex): Promise<{ status: 'success' | 'reverted'; blockNumber: bigint }> {
    const deadline = Date.now() + this.receiptTimeoutMs;
    for (;;) {
      const r = await this.public.request({ method: 'eth_getTransactionReceipt', params: [hash] });
      if (r) return { status: r.status === '0x1' ? 'success' : 'reverted', blockNumber: BigInt(r.blockNumber) };
      if (Date.now() > deadline) throw new Error(`no receipt for ${hash} after ${this.receiptTimeoutMs} ms`);
      await new Promise((res) => setTimeout(res, this.pollMs));
    }
  }

  /** The calldata of a mined transaction (e.g. to read a proof a solver passed to completeData). */
  async transactionInput(hash: Hex): Promise<Hex> {
    const tx = await this.public.getTransaction({ hash });
    return tx.input;
  }
}
