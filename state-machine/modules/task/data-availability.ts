// Data availability: a drawn verifier the solver will not serve forces the checkpoint it needs on
// chain. The solver posts each state tensor's float32 bytes in order and in chunks (the bytes travel
// in CheckpointData events, where the verifier reads them); the chain hashes each complete tensor,
// and completeData proves the tensors' root is the requested leaf of traceRoot. Past the deadline
// without that, the solver is slashed and the task reopens.
import { getAbiItem } from 'viem';
import { bytesToHex, concatBytes, hexToBytes, type Hex } from '../../crypto/hash.ts';
import { merkleRoot } from '../../merkle/tree.ts';
import { tensorFromBytes, tensorHash } from '../../repops/tensor-hash.ts';
import { numel } from '../../repops/tensor.ts';
import { stateLayout } from '../../training/step-graph.ts';
import { eventLog } from '../events.ts';
import type { CallContext } from '../framework.ts';
import { SlashReason } from '../slashing/module.ts';
import { taskAbi } from './abi.ts';
import { TASK_ADDRESS, loadTask, releaseVerifiers, reopenOrRefund, requireStatus, type TaskDeps } from './common.ts';
import { taskErrors } from './errors.ts';
import { Status, getBytes, getDataChallenge, getSpec, partialTensorKey, postedHashesKey, setBytes, setDataChallenge, type TaskRecord } from './records.ts';
import { parseSpecBytes } from './spec.ts';
import { ensureDrawn, verifyCheckpointLeaf } from './verify.ts';

/** Gas per posted byte kept in state until its tensor is complete (on top of calldata gas). */
const POST_GAS_PER_BYTE = 8n;
const dataRequestedEvent = getAbiItem({ abi: taskAbi, name: 'DataRequested' });
const checkpointDataEvent = getAbiItem({ abi: taskAbi, name: 'CheckpointData' });
const dataPostedEvent = getAbiItem({ abi: taskAbi, name: 'DataPosted' });

function layout(ctx: CallContext, t: TaskRecord): { shape: number[] }[] {
  const spec = getSpec(ctx.store, t.id);
  if (spec === undefined) throw taskErrors.unknownTask(t.id);
  return stateLayout(parseSpecBytes(spec));
}

export function requestData(ctx: CallContext, deps: TaskDeps, id: bigint, segment: number): void {
  let t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'requestData');
  t = ensureDrawn(ctx, deps, t);
  const v = t.verifiers.indexOf(ctx.caller);
  if (v < 0 || !t.verifierSegments[v].includes(segment)) throw taskErrors.notDrawn(id, ctx.caller, segment, 'requestData');
  if (ctx.env.number > t.windowEnd) throw taskErrors.deadlinePassed(id, t.windowEnd, 'requestData');
  const prev = getDataChallenge(ctx.store, id);
  if (prev?.open) throw taskErrors.dataChallengeOpen(id);
  if (prev !== undefined && prev.leaf === segment - 1) throw taskErrors.alreadyDone(`checkpoint ${segment - 1} is on chain`);
  const tensors = layout(ctx, t).length;
  const deadline = ctx.env.number + ctx.genesis.modules.task.daResponseBlocks;
  setDataChallenge(ctx.store, id, { open: true, requester: ctx.caller, leaf: segment - 1, deadline, tensorsPosted: 0, tensors, postedAt: 0n });
  setBytes(ctx.store, postedHashesKey(id), new Uint8Array(0));
  setBytes(ctx.store, partialTensorKey(id), new Uint8Array(0));
  ctx.logs.push(eventLog(TASK_ADDRESS, dataRequestedEvent, [id, ctx.caller, segment - 1, deadline]));
}

function openChallenge(ctx: CallContext, t: TaskRecord) {
  const d = getDataChallenge(ctx.store, t.id);
  if (d === undefined || !d.open) throw taskErrors.noDataChallenge(t.id);
  return d;
}

export function postData(ctx: CallContext, id: bigint, tensor: number, offset: number, data: Hex): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'postData');
  if (ctx.caller !== t.solver) throw taskErrors.notSolver(id, ctx.caller, 'postData');
  const d = openChallenge(ctx, t);
  if (ctx.env.number > d.deadline) throw taskErrors.deadlinePassed(id, d.deadline, 'postData');
  if (tensor !== d.tensorsPosted) throw taskErrors.badData(`expected tensor ${d.tensorsPosted}, got ${tensor}`);
  const partial = getBytes(ctx.store, partialTensorKey(id));
  if (offset !== partial.length) throw taskErrors.badData(`expected offset ${partial.length}, got ${offset}`);
  const chunk = hexToBytes(data);
  if (chunk.length === 0) throw taskErrors.badData('empty chunk');
  const shape = layout(ctx, t)[tensor].shape;
  const size = numel(shape) * 4;
  if (partial.length + chunk.length > size) throw taskErrors.badData(`tensor ${tensor} has ${size} bytes`);
  ctx.useGas(BigInt(chunk.length) * POST_GAS_PER_BYTE);
  const bytes = concatBytes(partial, chunk);
  if (bytes.length < size) {
    setBytes(ctx.store, partialTensorKey(id), bytes);
  } else {
    const hash = tensorHash(tensorFromBytes('f32', shape, bytes));
    setBytes(ctx.store, postedHashesKey(id), concatBytes(getBytes(ctx.store, postedHashesKey(id)), hash));
    setBytes(ctx.store, partialTensorKey(id), new Uint8Array(0));
    setDataChallenge(ctx.store, id, { ...d, tensorsPosted: d.tensorsPosted + 1 });
  }
  ctx.logs.push(eventLog(TASK_ADDRESS, checkpointDataEvent, [id, d.leaf, tensor, offset, data]));
}

export function completeData(ctx: CallContext, id: bigint, proof: readonly Hex[]): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'completeData');
  const d = openChallenge(ctx, t);
  if (ctx.env.number > d.deadline) throw taskErrors.deadlinePassed(id, d.deadline, 'completeData');
  if (d.tensorsPosted !== d.tensors) throw taskErrors.badData(`${d.tensorsPosted} of ${d.tensors} tensors posted`);
  const hashes = getBytes(ctx.store, postedHashesKey(id));
  const leaves = [];
  for (let i = 0; i < hashes.length; i += 32) leaves.push(hashes.subarray(i, i + 32));
  const root = bytesToHex(merkleRoot(leaves));
  if (!verifyCheckpointLeaf(ctx, t, d.leaf, root, proof)) throw taskErrors.badProof(`posted tensors' root ${root} is not leaf ${d.leaf} of traceRoot`);
  setBytes(ctx.store, postedHashesKey(id), new Uint8Array(0));
  setDataChallenge(ctx.store, id, { ...d, open: false, postedAt: ctx.env.number });
  ctx.logs.push(eventLog(TASK_ADDRESS, dataPostedEvent, [id, d.leaf, root]));
}

export function resolveData(ctx: CallContext, deps: TaskDeps, id: bigint): void {
  const t = loadTask(ctx, id);
  requireStatus(t, Status.Committed, 'resolveData');
  const d = openChallenge(ctx, t);
  if (ctx.env.number <= d.deadline) throw taskErrors.tooEarly(id, d.deadline + 1n, 'resolveData');
  setBytes(ctx.store, postedHashesKey(id), new Uint8Array(0));
  setBytes(ctx.store, partialTensorKey(id), new Uint8Array(0));
  releaseVerifiers(ctx, deps, t);
  deps.stake.unlock(ctx, t.solver, t.minStake);
  deps.slashing.slash(ctx, {
    offender: t.solver, amount: t.minStake, reason: SlashReason.DataWithheld, taskId: id,
    beneficiary: d.requester, harmed: t.submitter, offenceBlock: d.deadline,
  });
  reopenOrRefund(ctx, t);
}
