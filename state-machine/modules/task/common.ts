// Helpers every task transition shares: loading a task, status checks, paying out of escrow,
// releasing locks, and reopening or refunding a task whose solution failed.
import { getAbiItem } from 'viem';
import { checkedAdd } from '../../errors.ts';
import type { Address } from '../../types.ts';
import { transfer } from '../accounts/ledger.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { eventLog } from '../events.ts';
import type { ModuleContext } from '../framework.ts';
import { taskAbi } from './abi.ts';
import { taskErrors } from './errors.ts';
import type { TaskDisputes, TaskSlashing, TaskStake } from './expected.ts';
import { Status, VerifierStatus, getTask, setAttestMasks, setDataChallenge, setSeed, setTask, type StatusCode, type TaskRecord } from './records.ts';

export const TASK_ADDRESS = MODULE_ADDRESSES.task;
export const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000';
export const ZERO_HASH = `0x${'00'.repeat(32)}` as const;

/** The other modules the task module works through (app.ts wires them). */
export interface TaskDeps {
  stake: TaskStake;
  slashing: TaskSlashing;
  /** absent until the chain runs a dispute game: challenges then revert */
  disputes?: TaskDisputes;
}

const reopenedEvent = getAbiItem({ abi: taskAbi, name: 'TaskReopened' });
const refundedEvent = getAbiItem({ abi: taskAbi, name: 'TaskRefunded' });

export function loadTask(ctx: Pick<ModuleContext, 'store'>, id: bigint): TaskRecord {
  const t = getTask(ctx.store, id);
  if (t === undefined) throw taskErrors.unknownTask(id);
  return t;
}

export function requireStatus(t: TaskRecord, status: StatusCode, action: string): void {
  if (t.status !== status) throw taskErrors.wrongStatus(t.id, t.status, action);
}

/** The fields of a task with no solution yet: a new task, or one reopened after a failed solution. */
export function noSolution(): Pick<
  TaskRecord,
  | 'solver' | 'claimedAt' | 'commitDeadline' | 'traceRoot' | 'modelHash' | 'endpoint' | 'committedAt' | 'drawBlock' | 'windowEnd' | 'drawn'
  | 'uncheckedPpm' | 'verifiers' | 'verifierSegments' | 'verifierStatus' | 'challenger' | 'disputeId'
> {
  return {
      solver: ZERO_ADDRESS,
      claimedAt: 0n,
      commitDeadline: 0n,
      traceRoot: ZERO_HASH,
      modelHash: ZERO_HASH,
      endpoint: '',
      committedAt: 0n,
      drawBlock: 0n,
      windowEnd: 0n,
      drawn: false,
      uncheckedPpm: 0,
      verifiers: [],
      verifierSegments: [],
      verifierStatus: [],
      challenger: ZERO_ADDRESS,
      disputeId: 0n,
  };
}

/** Pays `amount` out of the task module's escrow. */
export function pay(ctx: ModuleContext, to: Address, amount: bigint): void {
  transfer(ctx.store, TASK_ADDRESS, to, amount);
}

/** Releases the small lock each drawn verifier carries for the task. */
export function releaseVerifiers(ctx: ModuleContext, deps: TaskDeps, t: TaskRecord): void {
  if (!t.drawn) return;
  const lock = ctx.genesis.modules.task.silentVerifierSlash;
  t.verifiers.forEach((v, i) => {
    if (t.verifierStatus[i] !== VerifierStatus.Silent) deps.stake.unlock(ctx, v, lock);
  });
}

/**
 * After an expired claim, a withheld checkpoint or a lost dispute: the solution is dropped and the
 * task opens again, or, after maxReopens failures, its escrow goes back to the submitter.
 */
export function reopenOrRefund(ctx: ModuleContext, t: TaskRecord): void {
  const reopenCount = t.reopenCount + 1;
  const cleared: TaskRecord = { ...t, reopenCount, ...noSolution() };
  setSeed(ctx.store, t.id, undefined);
  setAttestMasks(ctx.store, t.id, []);
  setDataChallenge(ctx.store, t.id, undefined);
  if (BigInt(reopenCount) > ctx.genesis.modules.task.maxReopens) {
    const amount = checkedAdd(t.reward, t.fee);
    pay(ctx, t.submitter, amount);
    setTask(ctx.store, { ...cleared, status: Status.Expired });
    ctx.logs.push(eventLog(TASK_ADDRESS, refundedEvent, [t.id, t.submitter, amount]));
    return;
  }
  setTask(ctx.store, { ...cleared, status: Status.Open });
  ctx.logs.push(eventLog(TASK_ADDRESS, reopenedEvent, [t.id, reopenCount]));
}

/** Number of checkpoint leaves of traceRoot: C_0, C_k, …, C_T. */
export function leafCount(t: TaskRecord): number {
  return t.segments + 1;
}

/** The last block a drawn verifier may attest, challenge or ask for data. */
export function verificationEnd(t: TaskRecord, postedAt: bigint, grace: bigint): bigint {
  const afterData = postedAt === 0n ? 0n : postedAt + grace;
  return afterData > t.windowEnd ? afterData : t.windowEnd;
}
