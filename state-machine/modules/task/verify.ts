// The verifiers' side: the draw, attestations, challenges, finalization after the window, and the
// outcome of a dispute (called by the dispute game).
import { getAbiItem } from 'viem';
import { hexToBytes, sha256, uintToBytes, type Hex } from '../../crypto/hash.ts';
import { verifyMerkleProof } from '../../merkle/tree.ts';
import type { Address } from '../../types.ts';
import { checkedAdd } from '../../errors.ts';
import { burn } from '../accounts/ledger.ts';
import { eventLog } from '../events.ts';
import type { CallContext, HookContext, ModuleContext } from '../framework.ts';
import { SlashReason } from '../slashing/module.ts';
import { taskAbi } from './abi.ts';
import { TASK_ADDRESS, ZERO_ADDRESS, ZERO_HASH, leafCount, loadTask, pay, releaseVerifiers, reopenOrRefund, requireStatus, verificationEnd, type TaskDeps } from './common.ts';
import { assignSegments, selectVerifiers, uncheckedPpm } from './draw.ts';
import { taskErrors } from './errors.ts';
import {
  Status, VerifierStatus, addParticipant, getAttestMasks, getDataChallenge, getDrawQueue, getSeed, setAttestMasks, setDrawQueue,
  setSeed, setTask, updateScore, type TaskRecord,
} from './records.ts';

const drawnEvent = getAbiItem({ abi: taskAbi, name: 'VerifiersDrawn' });
const deferredEvent = getAbiItem({ abi: taskAbi, name: 'DrawDeferred' });
const attestedEvent = getAbiItem({ abi: taskAbi, name: 'Attested' });
const challengedEvent = getAbiItem({ abi: taskAbi, name: 'Challenged' });
const silentEvent = getAbiItem({ abi: taskAbi, name: 'VerifierSilent' });
const finalizedEvent = getAbiItem({ abi: taskAbi, name: 'TaskFinalized' });
const resolvedEvent = getAbiItem({ abi: taskAbi, name: 'DisputeResolved' });
/** Gas per staker the draw considers, and per proof node checked. */
const DRAW_GAS_PER_CANDIDATE = 400n;
const PROOF_GAS_PER_NODE = 200n;

/** Begin-block hook: the block after drawBlock fixes each due task's seed from drawBlock's hash. */
export function captureSeeds(ctx: HookContext): void {
  if (ctx.env.number === 0n) return;
  const due = getDrawQueue(ctx.store, ctx.env.number - 1n);
  if (due.length === 0) return;
  const parent = hexToBytes(ctx.env.parentHash);
  for (const id of due) setSeed(ctx.store, id, sha256(parent, uintToBytes(id, 32)));
  setDrawQueue(ctx.store, ctx.env.number - 1n, []);
}

/** Draws the verifiers of a committed task once its seed exists; a no-op when already drawn. */
export function ensureDrawn(ctx: CallContext, deps: TaskDeps, t: TaskRecord): TaskRecord {
  if (t.drawn) return t;
  const seed = getSeed(ctx.store, t.id);
  if (seed === undefined) throw taskErrors.tooEarly(t.id, t.drawBlock + 1n, 'draw');
  const p = ctx.genesis.modules.task;
  const min = p.verifierMinStake > p.silentVerifierSlash ? p.verifierMinStake : p.silentVerifierSlash;
  const candidates = deps.stake.candidates(ctx, min, ctx.env.number).filter((c) => c.address !== t.solver && c.address !== t.submitter);
  ctx.useGas(BigInt(candidates.length) * DRAW_GAS_PER_CANDIDATE);
  if (candidates.length === 0) return deferDraw(ctx, t);
  const verifiers = selectVerifiers(seed, candidates, t.verifiersWanted);
  const segments = assignSegments(seed, t.segments, verifiers.length, t.segmentsEach);
  const ppm = uncheckedPpm(t.segments, verifiers.length, t.segmentsEach);
  for (const v of verifiers) {
    deps.stake.lock(ctx, v, p.silentVerifierSlash, 'draw');
    addParticipant(ctx.store, v, t.id);
  }
  const drawn: TaskRecord = { ...t, drawn: true, verifiers, verifierSegments: segments, verifierStatus: verifiers.map(() => VerifierStatus.Pending), uncheckedPpm: ppm };
  setTask(ctx.store, drawn);
  setAttestMasks(ctx.store, t.id, verifiers.map(() => 0n));
  setSeed(ctx.store, t.id, undefined);
  ctx.logs.push(eventLog(TASK_ADDRESS, drawnEvent, [t.id, verifiers, segments, ppm]));
  return drawn;
}

/**
 * No staker can be drawn (all jailed, locked or absent): rather than let unchecked work finalize,
 * the draw moves δ blocks on with a fresh seed and the window restarts from now.
 */
function deferDraw(ctx: CallContext, t: TaskRecord): TaskRecord {
  const drawBlock = checkedAdd(ctx.env.number, ctx.genesis.modules.task.drawDelayBlocks);
  const restarted = checkedAdd(ctx.env.number, t.windowBlocks);
  const deferred: TaskRecord = { ...t, drawBlock, windowEnd: restarted > t.windowEnd ? restarted : t.windowEnd };
  setSeed(ctx.store, t.id, undefined);
  setDrawQueue(ctx.store, drawBlock, [...getDrawQueue(ctx.store, drawBlock), t.id]);
  setTask(ctx.store, deferred);
  ctx.logs.push(eventLog(TASK_ADDRESS, deferredEvent, [t.id, drawBlock, deferred.windowEnd]));
  return deferred;
}

export function draw(ctx: CallContext, deps: TaskDeps, id: bigint): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'draw');
  if (t.drawn) throw taskErrors.alreadyDone(`task ${id} is drawn`);
  ensureDrawn(ctx, deps, t);
}

/** Index of `caller` among the drawn verifiers and the position of `segment` in its list. */
function assignment(t: TaskRecord, caller: Address, segment: number, action: string): { v: number; m: number } {
  const v = t.verifiers.indexOf(caller);
  const m = v < 0 ? -1 : t.verifierSegments[v].indexOf(segment);
  if (m < 0) throw taskErrors.notDrawn(t.id, caller, segment, action);
  return { v, m };
}

export function verifyCheckpointLeaf(ctx: CallContext, t: TaskRecord, leaf: number, root: Hex, proof: readonly Hex[]): boolean {
  ctx.useGas(BigInt(proof.length) * PROOF_GAS_PER_NODE);
  if (proof.length > 64) return false;
  return verifyMerkleProof(hexToBytes(t.traceRoot), hexToBytes(root), { index: leaf, siblings: proof.map((h) => hexToBytes(h)) }, leafCount(t));
}

export function attest(ctx: CallContext, deps: TaskDeps, id: bigint, segment: number, root: Hex, proof: readonly Hex[]): void {
  let t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'attest');
  t = ensureDrawn(ctx, deps, t);
  const { v, m } = assignment(t, ctx.caller, segment, 'attest');
  const end = verificationEnd(t, getDataChallenge(ctx.store, id)?.postedAt ?? 0n, ctx.genesis.modules.task.daGraceBlocks);
  if (ctx.env.number > end) throw taskErrors.deadlinePassed(id, end, 'attest');
  if (t.verifierStatus[v] !== VerifierStatus.Pending) throw taskErrors.alreadyDone(`verifier ${ctx.caller} has finished task ${id}`);
  const masks = getAttestMasks(ctx.store, id);
  const bit = 1n << BigInt(m);
  if ((masks[v] & bit) !== 0n) throw taskErrors.alreadyDone(`segment ${segment} attested`);
  if (!verifyCheckpointLeaf(ctx, t, segment, root, proof)) throw taskErrors.badProof(`checkpoint ${segment} is not leaf ${segment} of traceRoot`);
  masks[v] |= bit;
  setAttestMasks(ctx.store, id, masks);
  if (masks[v] === (1n << BigInt(t.verifierSegments[v].length)) - 1n) {
    t.verifierStatus[v] = VerifierStatus.Attested;
    setTask(ctx.store, t);
  }
  ctx.logs.push(eventLog(TASK_ADDRESS, attestedEvent, [id, ctx.caller, segment, root]));
}

export function challenge(ctx: CallContext, deps: TaskDeps, id: bigint, segment: number, root: Hex): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'challenge');
  const p = ctx.genesis.modules.task;
  const end = verificationEnd(t, getDataChallenge(ctx.store, id)?.postedAt ?? 0n, p.daGraceBlocks);
  if (ctx.env.number > end) throw taskErrors.deadlinePassed(id, end, 'challenge');
  if (ctx.value !== p.challengeBond) throw taskErrors.invalidAmount(`challenge bond must be exactly ${p.challengeBond}`);
  if (ctx.caller === t.solver) throw taskErrors.invalidAmount('the solver cannot challenge itself');
  if (segment > t.segments) throw taskErrors.invalidCoverage(`segment ${segment} beyond the task's ${t.segments}`);
  if (root === ZERO_HASH || (segment === 0 && root === t.traceRoot)) throw taskErrors.badProof('the challenged root must differ from the solver\'s');
  const v = t.verifiers.indexOf(ctx.caller);
  if (v < 0) {
    const until = deps.stake.jailedUntil(ctx, ctx.caller);
    if (deps.stake.isJailedAt(until, ctx.env.number)) throw taskErrors.jailed(ctx.caller, until);
    const unlocked = deps.stake.unlockedOf(ctx, ctx.caller);
    if (unlocked < p.verifierMinStake) throw taskErrors.insufficientStake(unlocked, p.verifierMinStake);
  }
  if (deps.disputes === undefined) throw taskErrors.disputesUnavailable();
  const disputeId = deps.disputes.open(ctx, { taskId: id, solver: t.solver, challenger: ctx.caller, segment, root, traceRoot: t.traceRoot, bond: ctx.value });
  if (v >= 0) t.verifierStatus[v] = VerifierStatus.Challenged;
  setTask(ctx.store, { ...t, status: Status.Disputed, challenger: ctx.caller, disputeId });
  addParticipant(ctx.store, ctx.caller, id);
  ctx.logs.push(eventLog(TASK_ADDRESS, challengedEvent, [id, ctx.caller, segment, root, disputeId]));
}

export function finalize(ctx: CallContext, deps: TaskDeps, id: bigint): void {
  let t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'finalize');
  const p = ctx.genesis.modules.task;
  const data = getDataChallenge(ctx.store, id);
  if (data?.open) throw taskErrors.dataChallengeOpen(id);
  const end = verificationEnd(t, data?.postedAt ?? 0n, p.daGraceBlocks);
  if (ctx.env.number <= end) throw taskErrors.tooEarly(id, end + 1n, 'finalize');
  t = ensureDrawn(ctx, deps, t);
  if (!t.drawn) return; // deferred: the transaction keeps the new draw block and window
  const attesters: Address[] = [];
  t.verifiers.forEach((v, i) => {
    if (t.verifierStatus[i] === VerifierStatus.Attested) attesters.push(v);
    else if (t.verifierStatus[i] === VerifierStatus.Pending) {
      deps.stake.unlock(ctx, v, p.silentVerifierSlash);
      const out = deps.slashing.slash(ctx, {
        offender: v, amount: p.silentVerifierSlash, reason: SlashReason.SilentVerifier, taskId: id,
        beneficiary: ZERO_ADDRESS, harmed: t.submitter, offenceBlock: end,
      });
      t.verifierStatus[i] = VerifierStatus.Silent;
      ctx.logs.push(eventLog(TASK_ADDRESS, silentEvent, [id, v, out.taken]));
    }
  });
  releaseVerifiers(ctx, deps, t);
  const feeEach = attesters.length === 0 ? 0n : t.fee / BigInt(attesters.length);
  for (const a of attesters) {
    pay(ctx, a, feeEach);
    updateScore(ctx.store, a, { tasksVerified: 1n, rewardEarned: feeEach });
  }
  const feeLeft = t.fee - feeEach * BigInt(attesters.length);
  if (feeLeft > 0n) pay(ctx, t.submitter, feeLeft);
  pay(ctx, t.solver, t.reward);
  deps.stake.unlock(ctx, t.solver, t.minStake);
  updateScore(ctx.store, t.solver, { tasksSolved: 1n, rewardEarned: t.reward });
  setTask(ctx.store, { ...t, status: Status.Finalized });
  ctx.logs.push(eventLog(TASK_ADDRESS, finalizedEvent, [id, t.solver, t.reward, feeEach, attesters.length]));
}

/**
 * The dispute game's verdict on a challenged task (outcome 1 solver won, 2 challenger won, 3 both
 * lost). Solver won: the challenger's bond goes to the solver, the challenger is slashed
 * `challengerSlash` (a share to the solver), and the task returns to Committed to finalize after its
 * window. Challenger won: the solver's collateral is slashed (a share to the challenger, a share to
 * the submitter), the bond returns to the challenger, and the task reopens or is refunded. Both lost:
 * both are slashed with no prover share, the bond is burned, and the task reopens or is refunded.
 */
export function resolveDispute(ctx: ModuleContext, deps: TaskDeps, id: bigint, outcome: 1 | 2 | 3, challengerSlash: bigint): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Disputed, 'resolveDispute');
  const bond = ctx.genesis.modules.task.challengeBond;
  ctx.logs.push(eventLog(TASK_ADDRESS, resolvedEvent, [id, t.disputeId, outcome === 1]));
  const slashChallenger = (beneficiary: Address) =>
    deps.slashing.slash(ctx, {
      offender: t.challenger, amount: challengerSlash, reason: SlashReason.DisputeLost, taskId: id,
      beneficiary, harmed: t.submitter, offenceBlock: t.committedAt,
    });
  if (outcome === 1) {
    pay(ctx, t.solver, bond);
    const out = slashChallenger(t.solver);
    updateScore(ctx.store, t.solver, { disputesWon: 1n, rewardEarned: bond + out.toBeneficiary });
    updateScore(ctx.store, t.challenger, { disputesLost: 1n });
    setTask(ctx.store, { ...t, status: Status.Committed });
    return;
  }
  releaseVerifiers(ctx, deps, t);
  deps.stake.unlock(ctx, t.solver, t.minStake);
  updateScore(ctx.store, t.solver, { disputesLost: 1n });
  if (outcome === 2) {
    pay(ctx, t.challenger, bond);
    const out = deps.slashing.slash(ctx, {
      offender: t.solver, amount: t.minStake, reason: SlashReason.DisputeLost, taskId: id,
      beneficiary: t.challenger, harmed: t.submitter, offenceBlock: t.committedAt,
    });
    updateScore(ctx.store, t.challenger, { disputesWon: 1n, rewardEarned: out.toBeneficiary });
  } else {
    burn(ctx.store, TASK_ADDRESS, bond);
    deps.slashing.slash(ctx, {
      offender: t.solver, amount: t.minStake, reason: SlashReason.DisputeLost, taskId: id,
      beneficiary: ZERO_ADDRESS, harmed: t.submitter, offenceBlock: t.committedAt,
    });
    slashChallenger(ZERO_ADDRESS);
    updateScore(ctx.store, t.challenger, { disputesLost: 1n });
  }
  reopenOrRefund(ctx, t);
}
