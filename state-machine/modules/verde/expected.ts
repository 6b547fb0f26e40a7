// What the verde module needs of the task module (wired in app.ts).
import type { ModuleContext } from '../framework.ts';
import type { TaskSpec } from '../../training/spec.ts';
import type { OutcomeCode } from './records.ts';

export interface VerdeTasks {
  /** the disputed task's validated spec */
  spec(ctx: Pick<ModuleContext, 'store'>, taskId: bigint): TaskSpec;
  /** applies a verdict: 1 solver won, 2 challenger won, 3 both lost; `challengerSlash` for a losing challenger */
  resolveDispute(ctx: ModuleContext, taskId: bigint, outcome: Exclude<OutcomeCode, 0>, challengerSlash: bigint): void;
}
