// The solver's side of a task: submit (by the submitter), cancel, claim, commit, and expiry of a
// claim whose commit deadline passed.
import { getAbiItem } from 'viem';
import { bytesToHex, hexToBytes, type Hex } from '../../crypto/hash.ts';
import { ValidationError, checkedAdd, checkedSub } from '../../errors.ts';
import { MAX_U64 } from '../../params/fields.ts';
import { checkpointSteps } from '../../training/commitments.ts';
import { specHash } from '../../training/spec-validate.ts';
import { eventLog } from '../events.ts';
import type { CallContext } from '../framework.ts';
import { SlashReason } from '../slashing/module.ts';
import { taskAbi } from './abi.ts';
import { TASK_ADDRESS, ZERO_ADDRESS, ZERO_HASH, loadTask, noSolution, pay, reopenOrRefund, requireStatus, type TaskDeps } from './common.ts';
import { defaultSegmentsEach } from './draw.ts';
import { taskErrors } from './errors.ts';
import { Status, addParticipant, getDrawQueue, setDrawQueue, setSpec, setTask, setTaskCount, taskCount } from './records.ts';
import { parseSpecBytes } from './spec.ts';

export const MAX_SPEC_BYTES = 16 * 1024;
/** A verifier's attested segments are a bit mask in one uint256. */
export const MAX_SEGMENTS_EACH = 256;
export const MAX_ENDPOINT_BYTES = 256;
/** Gas per spec byte for validating it on chain. */
const SPEC_GAS_PER_BYTE = 40n;

const submittedEvent = getAbiItem({ abi: taskAbi, name: 'TaskSubmitted' });
const claimedEvent = getAbiItem({ abi: taskAbi, name: 'TaskClaimed' });
const committedEvent = getAbiItem({ abi: taskAbi, name: 'TaskCommitted' });
const expiredEvent = getAbiItem({ abi: taskAbi, name: 'TaskExpired' });
const refundedEvent = getAbiItem({ abi: taskAbi, name: 'TaskRefunded' });

export interface SubmitArgs {
  spec: Hex;
  fee: bigint;
  minStake: bigint;
  coverage: { verifiers: number; segmentsEach: number };
  deadlines: { commitBlocks: bigint; windowBlocks: bigint };
}

export function submitTask(ctx: CallContext, a: SubmitArgs): bigint {
  const p = ctx.genesis.modules.task;
  const bytes = hexToBytes(a.spec);
  if (bytes.length > MAX_SPEC_BYTES) throw taskErrors.specTooLarge(bytes.length, MAX_SPEC_BYTES);
  ctx.useGas(BigInt(bytes.length) * SPEC_GAS_PER_BYTE);
  let spec;
  try {
    spec = parseSpecBytes(bytes);
  } catch (e) {
    if (e instanceof ValidationError) throw taskErrors.invalidSpec(e.field, e.message.slice(e.field.length + 2));
    throw e;
  }
  if (a.fee > ctx.value) throw taskErrors.invalidAmount('fee exceeds msg.value');
  const reward = checkedSub(ctx.value, a.fee);
  if (reward === 0n) throw taskErrors.invalidAmount('reward (msg.value - fee) must be positive');
  const minStake = a.minStake === 0n ? p.defaultMinStake : a.minStake;
  const verifiers = a.coverage.verifiers === 0 ? Number(p.defaultVerifiers) : a.coverage.verifiers;
  if (BigInt(verifiers) > p.maxVerifiers) throw taskErrors.invalidCoverage(`at most ${p.maxVerifiers} verifiers`);
  const segments = checkpointSteps(spec.steps, spec.checkpointInterval).length - 1;
  const each = a.coverage.segmentsEach === 0 ? defaultSegmentsEach(segments, verifiers, Number(p.defaultCoveredSegments)) : a.coverage.segmentsEach;
  if (each > segments) throw taskErrors.invalidCoverage(`segmentsEach ${each} exceeds the task's ${segments} segments`);
  if (each > MAX_SEGMENTS_EACH) throw taskErrors.invalidCoverage(`at most ${MAX_SEGMENTS_EACH} segments each`);
  const commitBlocks = a.deadlines.commitBlocks === 0n ? p.commitBlocks : a.deadlines.commitBlocks;
  const windowBlocks = a.deadlines.windowBlocks === 0n ? p.windowBlocks : a.deadlines.windowBlocks;
  if (windowBlocks <= p.drawDelayBlocks) throw taskErrors.invalidDeadline(`windowBlocks must exceed the draw delay (${p.drawDelayBlocks} blocks)`);
  if (commitBlocks > MAX_U64 / 4n || windowBlocks > MAX_U64 / 4n) throw taskErrors.invalidDeadline('deadline too far');

  const id = taskCount(ctx.store) + 1n;
  setTaskCount(ctx.store, id);
  setSpec(ctx.store, id, bytes);
  const hash = bytesToHex(specHash(spec));
  setTask(ctx.store, {
    id,
    status: Status.Open,
    submitter: ctx.caller,
    reward,
    fee: a.fee,
    minStake,
    specHash: hash,
    datasetRoot: spec.dataset.root,
    steps: BigInt(spec.steps),
    checkpointInterval: BigInt(spec.checkpointInterval),
    segments,
    verifiersWanted: verifiers,
    segmentsEach: each,
    commitBlocks,
    windowBlocks,
    reopenCount: 0,
    ...noSolution(),
  });
  addParticipant(ctx.store, ctx.caller, id);
  ctx.logs.push(eventLog(TASK_ADDRESS, submittedEvent, [id, ctx.caller, hash, reward, a.fee]));
  return id;
}

export function cancel(ctx: CallContext, id: bigint): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Open, 'cancel');
  if (t.submitter !== ctx.caller) throw taskErrors.notSubmitter(id, ctx.caller);
  const amount = checkedAdd(t.reward, t.fee);
  setTask(ctx.store, { ...t, status: Status.Cancelled });
  pay(ctx, t.submitter, amount);
  ctx.logs.push(eventLog(TASK_ADDRESS, refundedEvent, [id, t.submitter, amount]));
}

export function claim(ctx: CallContext, deps: TaskDeps, id: bigint): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Open, 'claim');
  const until = deps.stake.jailedUntil(ctx, ctx.caller);
  if (deps.stake.isJailedAt(until, ctx.env.number)) throw taskErrors.jailed(ctx.caller, until);
  const unlocked = deps.stake.unlockedOf(ctx, ctx.caller);
  if (unlocked < t.minStake) throw taskErrors.insufficientStake(unlocked, t.minStake);
  deps.stake.lock(ctx, ctx.caller, t.minStake, 'claim');
  const commitDeadline = checkedAdd(ctx.env.number, t.commitBlocks);
  setTask(ctx.store, { ...t, status: Status.Claimed, solver: ctx.caller, claimedAt: ctx.env.number, commitDeadline });
  addParticipant(ctx.store, ctx.caller, id);
  ctx.logs.push(eventLog(TASK_ADDRESS, claimedEvent, [id, ctx.caller, commitDeadline]));
}

export interface CommitArgs {
  traceRoot: Hex;
  steps: bigint;
  modelHash: Hex;
  endpoint: string;
}

export function commit(ctx: CallContext, id: bigint, a: CommitArgs): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Claimed, 'commit');
  if (t.solver !== ctx.caller) throw taskErrors.notSolver(id, ctx.caller, 'commit');
  if (ctx.env.number > t.commitDeadline) throw taskErrors.deadlinePassed(id, t.commitDeadline, 'commit');
  if (a.steps !== t.steps) throw taskErrors.wrongSteps(a.steps, t.steps);
  if (a.traceRoot === ZERO_HASH) throw taskErrors.badProof('traceRoot is zero');
  if (new TextEncoder().encode(a.endpoint).length > MAX_ENDPOINT_BYTES) throw taskErrors.badData(`endpoint over ${MAX_ENDPOINT_BYTES} bytes`);
  const p = ctx.genesis.modules.task;
  const drawBlock = ctx.env.number + p.drawDelayBlocks;
  const windowEnd = ctx.env.number + t.windowBlocks;
  setTask(ctx.store, {
    ...t,
    status: Status.Committed,
    traceRoot: a.traceRoot,
    modelHash: a.modelHash,
    endpoint: a.endpoint,
    committedAt: ctx.env.number,
    drawBlock,
    windowEnd,
  });
  setDrawQueue(ctx.store, drawBlock, [...getDrawQueue(ctx.store, drawBlock), id]);
  ctx.logs.push(eventLog(TASK_ADDRESS, committedEvent, [id, ctx.caller, a.traceRoot, a.modelHash, a.steps, a.endpoint, drawBlock, windowEnd]));
}

export function expire(ctx: CallContext, deps: TaskDeps, id: bigint): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Claimed, 'expire');
  if (ctx.env.number <= t.commitDeadline) throw taskErrors.tooEarly(id, t.commitDeadline + 1n, 'expire');
  deps.stake.unlock(ctx, t.solver, t.minStake);
  const out = deps.slashing.slash(ctx, {
    offender: t.solver,
    amount: t.minStake,
    reason: SlashReason.MissedCommit,
    taskId: id,
    beneficiary: ZERO_ADDRESS,
    harmed: t.submitter,
    offenceBlock: t.commitDeadline,
  });
  ctx.logs.push(eventLog(TASK_ADDRESS, expiredEvent, [id, t.solver, out.taken]));
  reopenOrRefund(ctx, t);
}
