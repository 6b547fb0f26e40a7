// `verity devnet --demo`: submits the example task from a devnet account that runs no worker and
// follows it to the end, one line per task-module event as it lands (eth_getLogs over the new
// blocks), with the amounts paid and slashed. `followTasks` is also what bench/market.ts times.
import { parseEventLogs } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DevnetAccount } from '../../genesis/index.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { checkpointSteps } from '../../state-machine/training/commitments.ts';
import { ether } from '../../worker/cli/amount.ts';
import { readSpecBytes } from '../../worker/cli/task-command.ts';
import { TASK_ADDRESS, TaskClient, type ChainTask } from '../../worker/cli/task-client.ts';
import { ppmPercent } from '../../worker/cli/task-view.ts';
import { bytesToHex } from '../../state-machine/crypto/hash.ts';

export type TaskEvent = ReturnType<typeof parseEventLogs<typeof taskAbi, true>>[number];

/** An event of the followed task, with when this process saw it. */
export interface SeenEvent {
  event: TaskEvent;
  block: bigint;
  /** performance.now() when the poll that found it returned */
  seenAt: number;
}

/** How a followed task ended: paid out, or refunded (expired too often, or cancelled). */
export type TaskEnd = 'Finalized' | 'Refunded';

/**
 * Calls `onEvent` for each task-module event of the tasks `ids` from block `fromBlock` on, in order,
 * until each has ended (TaskFinalized or TaskRefunded); resolves how each ended. When the signal
 * aborts it resolves what has ended so far.
 */
export async function followTasks(
  client: TaskClient,
  ids: readonly bigint[],
  fromBlock: bigint,
  onEvent: (e: SeenEvent) => void,
  o: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<Map<bigint, TaskEnd>> {
  const ended = new Map<bigint, TaskEnd>();
  const open = new Set(ids);
  let from = fromBlock;
  while (open.size > 0 && !o.signal?.aborted) {
    const head = await client.blockNumber();
    if (head >= from) {
      const logs = await TaskClient.guard(client.rpc, 'eth_getLogs', () => client.reader.getLogs({ address: TASK_ADDRESS, fromBlock: from, toBlock: head }));
      const seenAt = performance.now();
      for (const event of parseEventLogs({ abi: taskAbi, logs, strict: true })) {
        const id = event.args.taskId;
        if (!open.has(id)) continue;
        onEvent({ event, block: event.blockNumber, seenAt });
        const end = event.eventName === 'TaskFinalized' ? 'Finalized' : event.eventName === 'TaskRefunded' ? 'Refunded' : null;
        if (end !== null) {
          ended.set(id, end);
          open.delete(id);
        }
      }
      from = head + 1n;
    }
    if (open.size > 0) await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
  }
  return ended;
}

const short = (h: string): string => `${h.slice(0, 10)}…`;

/** One readable line per event; `who` names an address (a worker's name, or the address itself). */
export function describeEvent(e: TaskEvent, task: ChainTask, who: (address: string) => string): string {
  const k = Number(task.checkpointInterval);
  switch (e.eventName) {
    case 'TaskSubmitted':
      return `submitted by ${who(e.args.submitter)}: reward ${ether(e.args.reward)}, fee ${ether(e.args.fee)}, spec ${short(e.args.specHash)}`;
    case 'TaskClaimed':
      return `claimed by ${who(e.args.solver)}, ${ether(task.minStake)} of its stake locked; commit by block ${e.args.commitDeadline}`;
    case 'TaskCommitted':
      return `committed by ${who(e.args.solver)}: traceRoot ${short(e.args.traceRoot)}, ${e.args.steps} steps, checkpoints at ${e.args.endpoint}; draw after block ${e.args.drawBlock}, window ends block ${e.args.windowEnd}`;
    case 'DrawDeferred':
      return `no staker could be drawn yet: the draw moves to block ${e.args.drawBlock}, the window to block ${e.args.windowEnd}`;
    case 'VerifiersDrawn':
      return `verifiers drawn: ${e.args.verifiers.map((v, i) => `${who(v)} segments ${(e.args.segments[i] ?? []).join(',')}`).join('; ')}; unchecked ${ppmPercent(e.args.uncheckedPpm)}`;
    case 'Attested': {
      const steps = checkpointSteps(Number(task.steps), k);
      return `${who(e.args.verifier)} attested segment ${e.args.segment} (C_${steps[e.args.segment] ?? '?'} = ${short(e.args.checkpointRoot)})`;
    }
    case 'Challenged':
      return `${who(e.args.challenger)} challenged segment ${e.args.segment} (dispute ${e.args.disputeId})`;
    case 'DataRequested':
      return `${who(e.args.requester)} forced checkpoint leaf ${e.args.leaf} on chain; solver must post it by block ${e.args.deadline}`;
    case 'CheckpointData':
      return `solver posted ${e.args.data.length / 2 - 1} bytes of leaf ${e.args.leaf}, tensor ${e.args.tensor}`;
    case 'DataPosted':
      return `checkpoint leaf ${e.args.leaf} complete on chain (${short(e.args.checkpointRoot)})`;
    case 'VerifierSilent':
      return `${who(e.args.verifier)} stayed silent: slashed ${ether(e.args.slashed)}`;
    case 'TaskExpired':
      return `${who(e.args.solver)} missed its deadline: slashed ${ether(e.args.slashed)}`;
    case 'TaskReopened':
      return `reopened (${e.args.reopenCount} so far)`;
    case 'TaskRefunded':
      return `refunded ${ether(e.args.amount)} to ${who(e.args.submitter)}`;
    case 'DisputeResolved':
      return `dispute ${e.args.disputeId} resolved: ${e.args.solverWon ? 'solver' : 'challenger'} won`;
    case 'LossesReported': {
      const n = e.args.steps.length;
      const last = new Float32Array(new Uint32Array([e.args.lossBits[n - 1] ?? 0]).buffer)[0];
      return `${who(e.args.reporter)} published ${n} loss value(s); at step ${e.args.steps[n - 1] ?? '?'} the loss is ${last.toPrecision(4)}`;
    }
    case 'TaskFinalized':
      return `finalized: ${who(e.args.solver)} paid ${ether(e.args.reward)}; ${e.args.attesters} attesting verifier(s) paid ${ether(e.args.feePerVerifier)} each`;
  }
}

export interface DemoOptions {
  rpc: string;
  /** the submitter: a devnet account that runs no worker */
  account: DevnetAccount;
  specFile: string;
  reward: bigint;
  fee: bigint;
  /** 0 = the genesis default (120 blocks) */
  windowBlocks: bigint;
  /** worker names by lower-case address */
  names: ReadonlyMap<string, string>;
  print: (line: string) => void;
  signal?: AbortSignal;
  /** called with the task id once it is submitted */
  onSubmitted?: (taskId: bigint) => void;
}

/** Submits the task and prints its life until it ends; resolves how it ended (null if aborted). */
export async function runDemo(o: DemoOptions): Promise<{ taskId: bigint; end: TaskEnd | null; seconds: number }> {
  const who = (a: string): string => {
    const name = o.names.get(a.toLowerCase());
    if (name !== undefined) return `${name} (${short(a)})`;
    return a.toLowerCase() === o.account.address.toLowerCase() ? `account ${o.account.index} (${short(a)})` : a;
  };
  const client = await TaskClient.connect(o.rpc);
  const started = performance.now();
  const spec = readSpecBytes(o.specFile);
  const sub = await client.submitTask(privateKeyToAccount(o.account.privateKey), {
    spec: bytesToHex(spec),
    reward: o.reward,
    fee: o.fee,
    minStake: 0n,
    verifiers: 0,
    segmentsEach: 0,
    commitBlocks: 0n,
    windowBlocks: o.windowBlocks,
  });
  o.onSubmitted?.(sub.taskId);
  const task = await client.getTask(sub.taskId);
  o.print(`demo: task ${sub.taskId} (${o.specFile}, ${task.steps} steps) in tx ${sub.txHash}; following it (window ${task.windowBlocks} blocks)`);
  const ended = await followTasks(
    client,
    [sub.taskId],
    sub.blockNumber,
    ({ event, block, seenAt }) => {
      const t = ((seenAt - started) / 1000).toFixed(1).padStart(5);
      o.print(`demo: block ${String(block).padStart(5)}  +${t} s  ${event.eventName.padEnd(15)} ${describeEvent(event, task, who)}`);
    },
    { signal: o.signal },
  );
  const end = ended.get(sub.taskId) ?? null;
  const seconds = (performance.now() - started) / 1000;
  if (end !== null) o.print(`demo: task ${sub.taskId} ${end} after ${seconds.toFixed(1)} s`);
  return { taskId: sub.taskId, end, seconds };
}
