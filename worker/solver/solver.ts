// The solver role. For each task it hears of (TaskSubmitted, TaskReopened, a scan at start) it
// looks at the task on chain and does the next step it can:
//   Open       → spec valid, data set on disk with the spec's content root, unlocked stake ≥ minStake,
//                not jailed, not busy → claim
//   Claimed    → mine: train (resumable), then commit(traceRoot, T, modelHash, endpoint);
//                someone else's: expire it once its commit deadline has passed
//   Committed  → mine: serve its checkpoints, answer a data request on chain, finalize after the window
//   Disputed   → mine: play the dispute game (worker/dispute) from its own computation
//   Finalized, Expired, Cancelled → done
// With --misbehave (tests and demos only) it trains and commits a cheat and defends it.
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { TaskStatus, type ChainTask, type TaskEvent } from '../chain/client.ts';
import { sendLogged, sleep, type WorkerContext } from '../chain/context.ts';
import type { JobResult } from '../chain/scheduler.ts';
import { TaskRole } from '../chain/role.ts';
import type { SolverTaskRecord } from '../chain/worker-state.ts';
import type { Misbehaviour } from '../dispute/behaviour.ts';
import { DisputeDriver } from '../dispute/driver.ts';
import { Party } from '../dispute/party.ts';
import { cheatTrace, isTrainingCheat } from './cheat.ts';
import { postCheckpoint } from './post-data.ts';
import { reportLosses } from '../chain/losses.ts';
import { storedTrace, trainTask, type SolvedTrace, type TrainTaskOptions } from './train-task.ts';

export interface SolverOptions extends TrainTaskOptions {
  /** the public URL of this worker's checkpoint server, committed on chain */
  endpoint: string;
  /** tasks trained (claimed, not yet committed) at once */
  maxActive?: number;
  /** --misbehave: how this solver cheats (never set on a default path) */
  behaviour?: Misbehaviour;
}

/** a failed loss report is retried after 1, 2, 4, … s up to this backoff, then left to the next look */
const LOSS_REPORT_MAX_BACKOFF_MS = 16_000;
const STATUS_NAME: Record<number, string> = { 1: 'open', 2: 'claimed', 3: 'committed', 4: 'disputed', 5: 'finalized', 6: 'expired', 7: 'cancelled' };

export class Solver extends TaskRole {
  /** block of the latest DataRequested per task of mine (where its CheckpointData events start) */
  private readonly requestBlocks = new Map<string, bigint>();
  /** claims in flight (their records are written once the claim is mined) */
  private claiming = 0;
  private readonly disputes: DisputeDriver;
  /** claimed roots of a cheat's checkpoints, by spec hash (the honest store cannot vouch for them) */
  private readonly cheats = new Map<Hex, SolvedTrace>();
  /** tasks whose loss report is in flight */
  private readonly reportingLosses = new Set<string>();

  constructor(
    ctx: WorkerContext,
    private readonly o: SolverOptions,
  ) {
    super(ctx, 'solver');
    this.disputes = new DisputeDriver(ctx, o.behaviour);
  }

  /** Events of one block range, in order; the caller persists the state afterwards. */
  onEvent(e: TaskEvent): void {
    const id = e.args.taskId;
    const k = id.toString();
    switch (e.eventName) {
      case 'TaskSubmitted':
      case 'TaskReopened':
        this.ctx.state.watch(id);
        this.touch(id);
        break;
      case 'TaskClaimed':
        if (e.args.solver.toLowerCase() !== this.me) this.ctx.state.watch(id);
        this.touch(id);
        break;
      case 'DataRequested':
        if (this.ctx.state.data.solving[k]) {
          if (e.blockNumber !== null) this.requestBlocks.set(k, e.blockNumber);
          this.touch(id);
        }
        break;
      case 'TaskCommitted':
      case 'TaskFinalized':
      case 'TaskExpired':
      case 'TaskRefunded':
      case 'Challenged':
      case 'DisputeResolved':
        if (this.ctx.state.data.solving[k] || this.ctx.state.data.watching.includes(k)) this.touch(id);
        break;
      default:
        break;
    }
  }

  /** At start: resume own tasks and watched ones, and look at the newest tasks on chain. */
  async resume(scanLast = 256n): Promise<void> {
    for (const k of Object.keys(this.ctx.state.data.solving)) this.touch(BigInt(k));
    for (const k of this.ctx.state.data.watching) this.touch(BigInt(k));
    const count = await this.ctx.client.taskCount();
    for (let id = count > scanLast ? count - scanLast + 1n : 1n; id <= count; id++) {
      const t = await this.ctx.client.getTask(id);
      if (t.status === TaskStatus.Open || t.status === TaskStatus.Claimed) {
        this.ctx.state.watch(id);
        this.touch(id);
      }
    }
    this.ctx.state.save();
  }

  private activeCount(): number {
    return this.claiming + Object.values(this.ctx.state.data.solving).filter((r) => r.phase !== 'committed').length;
  }

  private finish(id: bigint, outcome: string): void {
    this.ctx.state.finish(id, 'solver', outcome);
    this.ctx.state.unwatch(id);
    this.ctx.state.save();
    this.forgetInputs(id);
    this.ctx.metrics.tasks.inc({ role: 'solver', outcome });
    this.ctx.log.info({ task: id.toString(), outcome }, 'solver finished task');
    this.lookAgain(id);
  }

  /** A slot may have freed up: look at the open tasks again (all watched ones but `id`). */
  private lookAgain(id: bigint): void {
    for (const k of this.ctx.state.data.watching) if (k !== id.toString()) this.touch(BigInt(k));
  }

  async reconcile(id: bigint, head: bigint): Promise<JobResult> {
    const t = await this.ctx.client.getTask(id);
    const k = id.toString();
    const mine = t.solver.toLowerCase() === this.me;
    const rec = this.ctx.state.data.solving[k];
    if (rec && !mine) this.finish(id, t.status === TaskStatus.Open ? 'reopened' : STATUS_NAME[t.status] ?? 'lost');
    switch (t.status) {
      case TaskStatus.Open:
        return this.tryClaim(t, head);
      case TaskStatus.Claimed:
        if (!mine) return this.expireIfLate(t, head);
        return this.solve(t, head);
      case TaskStatus.Committed:
      case TaskStatus.Disputed:
        this.ctx.state.unwatch(id);
        if (!mine) return { done: true };
        return this.afterCommit(t, head);
      default:
        this.ctx.state.unwatch(id);
        if (mine && this.ctx.state.data.solving[k]) this.finish(id, STATUS_NAME[t.status] ?? 'done');
        return { done: true };
    }
  }

  private async tryClaim(t: ChainTask, head: bigint): Promise<JobResult> {
    const id = t.id;
    const fields = { task: id.toString() };
    if (this.activeCount() >= (this.o.maxActive ?? 1)) return { idle: true };
    const inputs = await this.inputsFor(id);
    if ('error' in inputs) {
      this.ctx.log.info({ ...fields, reason: inputs.error }, 'cannot run this task; not claiming');
      this.ctx.state.unwatch(id);
      this.ctx.state.save();
      return { done: true };
    }
    if (inputs.specHash !== t.specHash) {
      this.ctx.log.warn({ ...fields, chain: t.specHash, local: inputs.specHash }, 'spec hash differs from the chain; not claiming');
      return { done: true };
    }
    const [unlocked, jailed] = await Promise.all([this.ctx.client.unlockedStake(), this.ctx.client.isJailed()]);
    if (jailed || unlocked < t.minStake) {
      this.ctx.log.info({ ...fields, jailed, unlocked: unlocked.toString(), minStake: t.minStake.toString() }, 'not eligible to claim (stake or jail); will look again');
      return { wakeAt: head + 20n };
    }
    if (this.activeCount() >= (this.o.maxActive ?? 1)) return { idle: true };
    this.claiming++;
    let out;
    try {
      out = await sendLogged(this.ctx, { functionName: 'claim', args: [id] }, fields);
    } finally {
      this.claiming--;
    }
    if (!out.ok) {
      // another solver won the race for this one: look at the other open tasks now
      if (out.error === 'WrongStatus') this.lookAgain(id);
      return { wakeAt: head + 1n };
    }
    this.ctx.state.data.solving[id.toString()] = { phase: 'claimed', specHash: inputs.specHash };
    this.ctx.state.unwatch(id);
    this.ctx.state.save();
    this.ctx.log.info({ ...fields, spec: inputs.spec.name, steps: inputs.spec.steps, block: out.blockNumber.toString() }, 'claimed task');
    return { wakeAt: out.blockNumber };
  }

  private async expireIfLate(t: ChainTask, head: bigint): Promise<JobResult> {
    if (head <= t.commitDeadline) return { wakeAt: t.commitDeadline + 1n };
    const out = await sendLogged(this.ctx, { functionName: 'expire', args: [t.id] }, { task: t.id.toString(), solver: t.solver });
    if (out.ok) this.ctx.log.info({ task: t.id.toString(), solver: t.solver }, 'expired a claim past its commit deadline');
    return { wakeAt: head + 1n };
  }

  private async solve(t: ChainTask, head: bigint): Promise<JobResult> {
    const id = t.id;
    const k = id.toString();
    const fields = { task: k };
    const inputs = await this.inputsFor(id);
    if ('error' in inputs) {
      this.ctx.log.error({ ...fields, reason: inputs.error }, 'claimed a task this worker cannot run');
      return { idle: true };
    }
    let rec: SolverTaskRecord = this.ctx.state.data.solving[k] ?? { phase: 'claimed', specHash: inputs.specHash };
    if (rec.traceRoot === undefined) {
      this.ctx.log.info({ ...fields, spec: inputs.spec.name, steps: inputs.spec.steps, backend: this.ctx.backend.name }, 'training');
      const started = performance.now();
      const b = this.o.behaviour;
      const trace = b && isTrainingCheat(b) ? cheatTrace(this.ctx, inputs, b, id) : await trainTask(this.ctx, inputs, this.o);
      if (trace === null) return { idle: true };
      if (b && isTrainingCheat(b)) this.cheats.set(inputs.specHash, trace);
      rec = { ...rec, phase: 'trained', traceRoot: trace.traceRoot, modelHash: trace.modelHash };
      this.ctx.state.data.solving[k] = rec;
      this.ctx.state.save();
      const seconds = (performance.now() - started) / 1000;
      this.ctx.log.info({ ...fields, traceRoot: trace.traceRoot, modelHash: trace.modelHash, testAccuracy: trace.testAccuracy, seconds }, 'trained');
    }
    this.serve(inputs.specHash, inputs.spec.steps, inputs.spec.checkpointInterval);
    const now = await this.ctx.client.blockNumber();
    if (now > t.commitDeadline) {
      this.ctx.log.warn({ ...fields, commitDeadline: t.commitDeadline.toString(), head: now.toString() }, 'missed the commit deadline');
      return { wakeAt: now + 1n };
    }
    const out = await sendLogged(
      this.ctx,
      { functionName: 'commit', args: [id, rec.traceRoot as Hex, BigInt(inputs.spec.steps), rec.modelHash as Hex, this.o.endpoint] },
      fields,
    );
    if (out.ok) {
      this.ctx.state.data.solving[k] = { ...rec, phase: 'committed' };
      this.ctx.state.save();
      this.ctx.log.info({ ...fields, traceRoot: rec.traceRoot, endpoint: this.o.endpoint }, 'committed');
      this.reportLossesOnce(id, inputs.specHash, inputs.spec.steps, inputs.spec.checkpointInterval);
      // training is done, so a slot is free: the next open task need not wait for this one's window
      this.lookAgain(id);
      return { wakeAt: out.blockNumber };
    }
    return { wakeAt: head + 1n };
  }

  /**
   * Publishes a committed run's losses, once: the task record remembers a report that landed. A
   * report lost to a transport failure (the node restarting, say) is sent again after a backoff and
   * at the next look. Never awaited: the work that matters does not wait for it.
   */
  private reportLossesOnce(id: bigint, specHash: Hex, steps: number, interval: number): void {
    const k = id.toString();
    if (this.ctx.state.data.solving[k]?.lossesReported || this.reportingLosses.has(k)) return;
    const losses = storedTrace(this.ctx, specHash, steps, interval)?.losses ?? [];
    if (losses.length === 0) return;
    const fields = { task: k };
    this.reportingLosses.add(k);
    const attempt = async (): Promise<void> => {
      for (let delayMs = 1_000; ; delayMs *= 2) {
        try {
          await reportLosses(this.ctx, id, losses, fields);
          const rec = this.ctx.state.data.solving[k];
          if (rec) this.ctx.state.data.solving[k] = { ...rec, lossesReported: true };
          this.ctx.state.save();
          return;
        } catch (e) {
          if (delayMs > LOSS_REPORT_MAX_BACKOFF_MS || this.ctx.stopping()) throw e;
          this.ctx.log.warn({ ...fields, err: e, retryInMs: delayMs }, 'loss report failed; retrying');
          await sleep(delayMs);
        }
      }
    };
    attempt()
      .catch((e: unknown) => this.ctx.log.warn({ ...fields, err: e }, 'loss report failed; trying again at the next look'))
      .finally(() => this.reportingLosses.delete(k));
  }

  /** Registers a finished run with the checkpoint server; false when the store no longer has it. */
  private serve(specHash: Hex, steps: number, interval: number): boolean {
    const trace = this.cheats.get(specHash) ?? storedTrace(this.ctx, specHash, steps, interval);
    if (!trace || trace.roots.length === 0) return false;
    this.ctx.catalog.register(steps, interval, trace.roots);
    return true;
  }

  private async afterCommit(t: ChainTask, head: bigint): Promise<JobResult> {
    const id = t.id;
    const k = id.toString();
    const fields = { task: k };
    const rec = this.ctx.state.data.solving[k];
    if (rec?.phase !== 'committed') {
      this.ctx.state.data.solving[k] = { ...(rec ?? { specHash: t.specHash }), phase: 'committed', traceRoot: t.traceRoot, modelHash: t.modelHash };
      this.ctx.state.save();
    }
    this.reportLossesOnce(id, t.specHash, Number(t.steps), Number(t.checkpointInterval));
    if (!this.serve(t.specHash, Number(t.steps), Number(t.checkpointInterval))) {
      this.ctx.log.error({ ...fields, traceRoot: t.traceRoot }, 'committed trace is not in the checkpoint store; cannot serve it');
    }
    if (t.status === TaskStatus.Disputed) {
      const inputs = await this.inputsFor(id);
      const b = this.o.behaviour;
      return this.disputes.play(t, 'solver', () => ('error' in inputs || b?.kind === 'lazy' ? null : new Party(inputs.spec, inputs.dataset, this.ctx.backend, b)), head);
    }
    const ch = await this.ctx.client.dataChallengeOf(id);
    if (ch.open) {
      const trace = storedTrace(this.ctx, t.specHash, Number(t.steps), Number(t.checkpointInterval));
      if (!trace) throw new Error(`data requested for task ${k} but its checkpoints are gone`);
      await postCheckpoint(this.ctx, id, ch, trace.roots, this.requestBlocks.get(k), head);
      return { wakeAt: head + 1n };
    }
    if (head <= t.windowEnd) return { wakeAt: t.windowEnd + 1n };
    const out = await sendLogged(this.ctx, { functionName: 'finalize', args: [id] }, fields);
    if (out.ok) return { wakeAt: out.blockNumber };
    if (out.error === 'TooEarly') return { wakeAt: BigInt(out.args[1] as bigint) };
    return { wakeAt: head + 1n };
  }
}
