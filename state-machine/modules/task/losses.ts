// Loss reports: the solver (once it has committed) and the verifiers drawn for a task publish the
// training losses they computed, as float32 bit patterns, so dashboards can draw loss curves from
// the chain alone. The chain stores nothing and interprets nothing (no floating point here); it only
// checks who reports and that the report is well formed and bounded.
import { getAbiItem } from 'viem';
import { eventLog } from '../events.ts';
import type { CallContext } from '../framework.ts';
import { taskAbi } from './abi.ts';
import { TASK_ADDRESS, loadTask } from './common.ts';
import { taskErrors } from './errors.ts';
import { Status } from './records.ts';

export const MAX_LOSS_REPORT = 1024;
/** per reported entry, on top of the method's fixed gas: an event costs by its size */
export const LOSS_ENTRY_GAS = 200n;
const lossesEvent = getAbiItem({ abi: taskAbi, name: 'LossesReported' });
const REPORTABLE = new Set<number>([Status.Committed, Status.Disputed, Status.Finalized]);

export function reportLosses(ctx: CallContext, id: bigint, steps: readonly bigint[], lossBits: readonly number[]): void {
  const t = loadTask(ctx, id);
  const isSolver = t.solver === ctx.caller;
  if (!isSolver && !t.verifiers.includes(ctx.caller)) throw taskErrors.notSolver(id, ctx.caller, 'reportLosses');
  if (!REPORTABLE.has(t.status)) throw taskErrors.wrongStatus(id, t.status, 'reportLosses');
  if (steps.length !== lossBits.length) throw taskErrors.badLosses(`${steps.length} steps for ${lossBits.length} losses`);
  if (steps.length === 0 || steps.length > MAX_LOSS_REPORT) throw taskErrors.badLosses(`1..${MAX_LOSS_REPORT} entries per report`);
  ctx.useGas(BigInt(steps.length) * LOSS_ENTRY_GAS);
  for (let i = 0; i < steps.length; i++) {
    if (steps[i] > t.steps) throw taskErrors.badLosses(`step ${steps[i]} is past the task's ${t.steps} steps`);
    if (i > 0 && steps[i] <= steps[i - 1]) throw taskErrors.badLosses('steps must be strictly increasing');
  }
  ctx.logs.push(eventLog(TASK_ADDRESS, lossesEvent, [id, ctx.caller, steps, lossBits]));
}
