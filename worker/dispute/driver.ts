// Plays this worker's side of the disputes on its tasks: one DisputePlayer per dispute, its Party
// built once (the whole RepOps computation of the task, with this worker's behaviour), one `act` per
// look. The chain holds the game's state, so after a restart the driver simply starts acting again.
import type { ChainTask } from '../chain/client.ts';
import type { WorkerContext } from '../chain/context.ts';
import type { JobResult } from '../chain/scheduler.ts';
import type { Misbehaviour } from './behaviour.ts';
import type { Party } from './party.ts';
import { DisputePlayer } from './player.ts';
import { DisputeMoveError, rpcDisputeChain } from './rpc-chain.ts';

/** Errors that mean another move made ours moot (the other party refereed first, say). */
const MOOT = new Set(['WrongLevel', 'AlreadyMoved']);

export class DisputeDriver {
  private readonly players = new Map<string, DisputePlayer>();
  private clockBlocks: bigint | undefined;

  constructor(
    private readonly ctx: WorkerContext,
    private readonly behaviour?: Misbehaviour,
  ) {}

  /** One look at the dispute of task `t`, in which this worker is `role`. */
  async play(t: ChainTask, role: 'solver' | 'challenger', party: () => Party | null | Promise<Party | null>, head: bigint): Promise<JobResult> {
    const key = t.disputeId.toString();
    const fields = { task: t.id.toString(), dispute: key, role };
    let player = this.players.get(key);
    if (!player) {
      const p = await party();
      if (p === null) {
        this.ctx.log.warn(fields, 'cannot play this dispute (nothing computed to defend); its clock will run out');
        return { wakeAt: head + 20n };
      }
      this.clockBlocks ??= (await this.ctx.client.verdeParams()).clockBlocks;
      const chain = rpcDisputeChain(this.ctx.client, this.clockBlocks, (fn, ok, error) =>
        this.ctx.metrics.transactions.inc({ method: fn, result: ok ? 'ok' : (error ?? 'error') }),
      );
      const silent = this.behaviour?.kind === 'silent-after' ? this.behaviour.moves : undefined;
      player = new DisputePlayer(chain, role, p, silent);
      this.players.set(key, player);
      this.ctx.log.info(fields, 'playing the dispute');
    }
    try {
      const r = await player.act(t.disputeId);
      if (r === 'resolved') {
        this.players.delete(key);
        const d = await this.ctx.client.getDispute(t.disputeId);
        this.ctx.log.info({ ...fields, outcome: d.outcome, reason: d.reason, rounds: d.rounds }, 'dispute resolved');
      } else if (r === 'moved') {
        const d = await this.ctx.client.getDispute(t.disputeId);
        this.ctx.log.info({ ...fields, level: d.level, height: d.height, index: d.index, rounds: d.rounds }, 'dispute move');
      }
    } catch (e) {
      if (!(e instanceof DisputeMoveError && MOOT.has(e.error))) this.ctx.log.warn({ ...fields, err: (e as Error).message }, 'dispute move failed; trying again');
    }
    return { wakeAt: head + 1n };
  }
}
