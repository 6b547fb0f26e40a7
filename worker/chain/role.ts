// What the solver and verifier roles have in common: one scheduler job per task under the role's
// name, the worker's own address, and the task's spec and data set, read and found once per task.
import type { TaskInputs } from '../solver/task-inputs.ts';
import type { WorkerContext } from './context.ts';
import type { JobResult } from './scheduler.ts';

export abstract class TaskRole {
  private readonly inputs = new Map<string, TaskInputs | { error: string }>();

  constructor(
    protected readonly ctx: WorkerContext,
    private readonly role: 'solver' | 'verifier',
  ) {}

  protected get me(): string {
    return this.ctx.client.address;
  }

  /** Looks at the task again soon (adds its job if new). */
  touch(id: bigint): void {
    this.ctx.scheduler.touch(`${this.role}:${id}`, (head) => this.reconcile(id, head));
  }

  /** One look at a task: do the next step, say when to look again. */
  abstract reconcile(id: bigint, head: bigint): Promise<JobResult>;

  /** The task's spec and local data set, or why it cannot run here (cached per task). */
  protected async inputsFor(id: bigint): Promise<TaskInputs | { error: string }> {
    const k = id.toString();
    let r = this.inputs.get(k);
    if (r === undefined) {
      r = this.ctx.finder.inputs(await this.ctx.client.specOf(id));
      this.inputs.set(k, r);
    }
    return r;
  }

  protected forgetInputs(id: bigint): void {
    this.inputs.delete(id.toString());
  }
}
