// What `verity task` (and the devnet demo) do on chain, over JSON-RPC with viem: submit a task from a
// key file, read tasks back. A revert is reported with the chain's readable reason (the JSON-RPC
// error message the node sends beside the custom error's bytes) and the custom error's name.
import {
  BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  encodeFunctionData,
  http,
  parseEventLogs,
  type Chain,
  type PublicClient,
  type Transport,
} from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { TASK_ADDRESS, verityChain, type ChainTask } from '../chain/client.ts';

export const DEFAULT_RPC = 'http://127.0.0.1:9545';
export { TASK_ADDRESS, type ChainTask };

/** A failed `verity task` step, reported as one line. */
export class TaskCliError extends VerityError {}

/** A call the task module refused: `reason` is the chain's readable text, `error` the custom error. */
export class RevertedError extends TaskCliError {
  readonly error: string;
  readonly reason: string;
  constructor(action: string, reason: string, error: string, args: readonly unknown[]) {
    super('REVERTED', `${action} reverted: ${reason}${error === '' ? '' : ` (${error})`}`, { error, args: args.map(String), reason });
    this.error = error;
    this.reason = reason;
  }
}

/** The reason text in a viem error's chain: the node's "execution reverted: <reason>" message, if any. */
export function revertReason(e: unknown): { reason: string; error: string; args: readonly unknown[] } | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const texts: string[] = [];
  let data: Hex | undefined;
  e.walk((x) => {
    const b = x as { details?: unknown; message?: unknown; data?: unknown };
    for (const t of [b.details, b.message]) if (typeof t === 'string') texts.push(t);
    if (data === undefined && typeof b.data === 'string' && /^0x[0-9a-fA-F]{8,}$/.test(b.data)) data = b.data as Hex;
    return false;
  });
  const said = texts.map((t) => /execution reverted(?::\s*([^\n]*))?/.exec(t)).find((m) => m !== null);
  if (said === undefined && data === undefined) return undefined;
  let error = '';
  let args: readonly unknown[] = [];
  if (data !== undefined) {
    try {
      const r = decodeErrorResult({ abi: taskAbi, data });
      // Error(string) is a plain reason, not one of the module's custom errors
      if ((r.errorName as string) !== 'Error') {
        error = r.errorName;
        args = r.args ?? [];
      }
    } catch {
      error = '';
    }
  }
  const reason = said?.[1]?.trim() || (error === '' ? 'execution reverted' : `${error}(${args.map(String).join(', ')})`);
  return { reason, error, args };
}

/** One line for a transport failure (node down, wrong URL); undefined for anything else. */
function transportFailure(e: unknown, rpc: string): TaskCliError | undefined {
  if (!(e instanceof BaseError)) return undefined;
  if (e.walk((x) => (x as Error).name === 'HttpRequestError' || (x as Error).name === 'TimeoutError') === null) return undefined;
  const cause = e.walk((x) => !(x instanceof BaseError) && x instanceof Error) as Error | null;
  const why = (cause?.cause as Error | undefined)?.message ?? cause?.message ?? e.shortMessage;
  return new TaskCliError('RPC_UNREACHABLE', `cannot reach the node at ${rpc}: ${why}`);
}

export class TaskClient {
  private constructor(
    readonly rpc: string,
    readonly chain: Chain,
    readonly reader: PublicClient<Transport, Chain>,
  ) {}

  /** Connects to a node; the chain id comes from eth_chainId. */
  static async connect(rpc: string): Promise<TaskClient> {
    let url: URL;
    try {
      url = new URL(rpc);
    } catch {
      throw new TaskCliError('BAD_RPC_URL', `--rpc ${JSON.stringify(rpc)} is not a URL (want e.g. ${DEFAULT_RPC})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TaskCliError('BAD_RPC_URL', `--rpc ${rpc}: want an http(s) URL`);
    const transport = http(rpc, { timeout: 15_000, retryCount: 0 });
    const chainId = await TaskClient.guard(rpc, 'eth_chainId', () => createPublicClient({ transport }).getChainId());
    const chain = verityChain(chainId, rpc);
    return new TaskClient(rpc, chain, createPublicClient({ chain, transport }));
  }

  /** Runs one RPC step: a revert becomes RevertedError, a transport failure one clear line. */
  static async guard<T>(rpc: string, action: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      const r = revertReason(e);
      if (r) throw new RevertedError(action, r.reason, r.error, r.args);
      throw transportFailure(e, rpc) ?? e;
    }
  }

  private guard<T>(action: string, step: () => Promise<T>): Promise<T> {
    return TaskClient.guard(this.rpc, action, step);
  }

  taskCount(): Promise<bigint> {
    return this.guard('taskCount', () => this.reader.readContract({ address: TASK_ADDRESS, abi: taskAbi, functionName: 'taskCount' }));
  }

  getTask(id: bigint): Promise<ChainTask> {
    return this.guard(`getTask(${id})`, () => this.reader.readContract({ address: TASK_ADDRESS, abi: taskAbi, functionName: 'getTask', args: [id] }));
  }

  blockNumber(): Promise<bigint> {
    return this.guard('eth_blockNumber', () => this.reader.getBlockNumber({ cacheTime: 0 }));
  }

  /**
   * Posts a task: simulates first (a revert comes back with its reason and costs nothing), then
   * signs locally, sends, and waits for the receipt; the task id comes from its TaskSubmitted log.
   */
  async submitTask(account: PrivateKeyAccount, a: SubmitTaskArgs): Promise<SubmittedTask> {
    const data = encodeFunctionData({
      abi: taskAbi,
      functionName: 'submitTask',
      args: [a.spec, a.fee, a.minStake, { verifiers: a.verifiers, segmentsEach: a.segmentsEach }, { commitBlocks: a.commitBlocks, windowBlocks: a.windowBlocks }],
    });
    const value = a.reward + a.fee;
    const request = { account, to: TASK_ADDRESS, data, value } as const;
    const gas = await this.guard('submitTask', () => this.reader.estimateGas(request));
    const wallet = createWalletClient({ chain: this.chain, transport: http(this.rpc, { timeout: 15_000, retryCount: 0 }), account });
    const txHash = await this.guard('submitTask', () => wallet.sendTransaction({ ...request, gas }));
    const receipt = await this.guard('submitTask', () => this.reader.waitForTransactionReceipt({ hash: txHash, pollingInterval: 100, timeout: 60_000 }));
    if (receipt.status !== 'success') {
      // mined but reverted (the state moved between the estimate and the block): ask the block why
      await this.guard('submitTask', () => this.reader.call({ ...request, blockNumber: receipt.blockNumber }));
      throw new TaskCliError('REVERTED', `submitTask reverted in block ${receipt.blockNumber} (tx ${txHash})`);
    }
    const submitted = parseEventLogs({ abi: taskAbi, eventName: 'TaskSubmitted', logs: receipt.logs, strict: true });
    const ev = submitted.find((l) => l.address.toLowerCase() === TASK_ADDRESS);
    if (ev === undefined) throw new TaskCliError('NO_EVENT', `tx ${txHash} succeeded but logged no TaskSubmitted`);
    return { taskId: ev.args.taskId, txHash, blockNumber: receipt.blockNumber, submitter: account.address };
  }
}

export interface SubmitTaskArgs {
  /** the spec file's bytes, as hex */
  spec: Hex;
  reward: bigint;
  fee: bigint;
  /** 0 = the genesis default */
  minStake: bigint;
  verifiers: number;
  segmentsEach: number;
  commitBlocks: bigint;
  windowBlocks: bigint;
}

export interface SubmittedTask {
  taskId: bigint;
  txHash: Hex;
  blockNumber: bigint;
  submitter: string;
}
