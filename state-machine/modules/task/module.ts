// The task module: the compute market's state machine (ITask.sol). Transitions live in solve.ts,
// verify.ts and data-availability.ts; this file dispatches calls, answers views, runs the
// begin-block seed capture and checks that escrow adds up. createTask takes the other modules'
// keepers it expects (expected.ts); app.ts wires them.
import { encodeFunctionResult, type Hex } from 'viem';
import { SupplyInvariantError } from '../../chain/errors.ts';
import { bytesToHex } from '../../crypto/hash.ts';
import type { Address } from '../../types.ts';
import { getBalance } from '../accounts/ledger.ts';
import { decodeCall, type CallContext, type HookContext, type Module, type ModuleContext } from '../framework.ts';
import { taskAbi } from './abi.ts';
import { TASK_ADDRESS, loadTask, type TaskDeps } from './common.ts';
import { completeData, postData, requestData, resolveData } from './data-availability.ts';
import { Status, getDataChallenge, getScore, getSpec, getTask, listScores, taskCount, tasksOf, type ScoreRecord } from './records.ts';
import { cancel, claim, commit, expire, submitTask } from './solve.ts';
import { reportLosses } from './losses.ts';
import { parseSpecBytes } from './spec.ts';
import type { TaskSpec } from '../../training/spec.ts';
import { attest, captureSeeds, challenge, draw, finalize, resolveDispute } from './verify.ts';

const VIEW_GAS = 2_600n;
const MAX_LEADERBOARD = 100;
const ACTIVE = new Set<number>([Status.Open, Status.Claimed, Status.Committed, Status.Disputed]);

function lower(a: string): Address {
  return a.toLowerCase() as Address;
}

function leaderboard(ctx: CallContext, n: bigint): [Address[], ScoreRecord[]] {
  const all = listScores(ctx.store);
  ctx.useGas(BigInt(all.length) * 200n);
  all.sort(([a, x], [b, y]) => (x.rewardEarned !== y.rewardEarned ? (x.rewardEarned > y.rewardEarned ? -1 : 1) : a < b ? -1 : 1));
  const top = all.slice(0, Number(n < BigInt(MAX_LEADERBOARD) ? n : BigInt(MAX_LEADERBOARD)));
  return [top.map(([a]) => a), top.map(([, s]) => s)];
}

/** Escrow: the module holds exactly the reward and fee of every live task plus each open challenge bond. */
function checkInvariants(ctx: HookContext): void {
  let owed = 0n;
  const n = taskCount(ctx.store);
  for (let id = 1n; id <= n; id++) {
    const t = getTask(ctx.store, id);
    if (t === undefined) throw new SupplyInvariantError(`task: task ${id} missing`, { id });
    if (ACTIVE.has(t.status)) owed += t.reward + t.fee;
    if (t.status === Status.Disputed) owed += ctx.genesis.modules.task.challengeBond;
  }
  const held = getBalance(ctx.store, TASK_ADDRESS);
  if (owed !== held) throw new SupplyInvariantError(`task: escrow owes ${owed}, holds ${held}`, { owed, held });
}

export function createTask(deps: TaskDeps) {
  const module: Module = {
    name: 'task',
    address: TASK_ADDRESS,
    abi: taskAbi,
    methods: {
      submitTask: { gas: 120_000n, payable: true },
      cancel: { gas: 40_000n, payable: false },
      claim: { gas: 80_000n, payable: false },
      commit: { gas: 80_000n, payable: false },
      expire: { gas: 120_000n, payable: false },
      draw: { gas: 100_000n, payable: false },
      attest: { gas: 60_000n, payable: false },
      challenge: { gas: 120_000n, payable: true },
      requestData: { gas: 80_000n, payable: false },
      postData: { gas: 40_000n, payable: false },
      completeData: { gas: 80_000n, payable: false },
      resolveData: { gas: 120_000n, payable: false },
      finalize: { gas: 150_000n, payable: false },
      reportLosses: { gas: 20_000n, payable: false },
      getTask: { gas: VIEW_GAS, payable: false },
      specOf: { gas: VIEW_GAS, payable: false },
      dataChallengeOf: { gas: VIEW_GAS, payable: false },
      taskCount: { gas: VIEW_GAS, payable: false },
      tasksOf: { gas: VIEW_GAS, payable: false },
      scoreOf: { gas: VIEW_GAS, payable: false },
      leaderboard: { gas: VIEW_GAS, payable: false },
      params: { gas: VIEW_GAS, payable: false },
      challengeBond: { gas: VIEW_GAS, payable: false },
    },

    handle(ctx: CallContext, data: Hex): Hex {
      const call = decodeCall(taskAbi, data);
      const abi = taskAbi;
      switch (call.functionName) {
        case 'submitTask': {
          const [spec, fee, minStake, coverage, deadlines] = call.args;
          const id = submitTask(ctx, { spec, fee, minStake, coverage, deadlines });
          return encodeFunctionResult({ abi, functionName: 'submitTask', result: id });
        }
        case 'cancel':
          cancel(ctx, call.args[0]);
          return '0x';
        case 'claim':
          claim(ctx, deps, call.args[0]);
          return '0x';
        case 'reportLosses':
          reportLosses(ctx, call.args[0], call.args[1], call.args[2]);
          return '0x';
        case 'commit': {
          const [id, traceRoot, steps, modelHash, endpoint] = call.args;
          commit(ctx, id, { traceRoot, steps, modelHash, endpoint });
          return '0x';
        }
        case 'expire':
          expire(ctx, deps, call.args[0]);
          return '0x';
        case 'draw':
          draw(ctx, deps, call.args[0]);
          return '0x';
        case 'attest':
          attest(ctx, deps, call.args[0], call.args[1], call.args[2], call.args[3]);
          return '0x';
        case 'challenge':
          challenge(ctx, deps, call.args[0], call.args[1], call.args[2]);
          return '0x';
        case 'requestData':
          requestData(ctx, deps, call.args[0], call.args[1]);
          return '0x';
        case 'postData':
          postData(ctx, call.args[0], call.args[1], call.args[2], call.args[3]);
          return '0x';
        case 'completeData':
          completeData(ctx, call.args[0], call.args[1]);
          return '0x';
        case 'resolveData':
          resolveData(ctx, deps, call.args[0]);
          return '0x';
        case 'finalize':
          finalize(ctx, deps, call.args[0]);
          return '0x';
        case 'getTask':
          return encodeFunctionResult({ abi, functionName: 'getTask', result: loadTask(ctx, call.args[0]) });
        case 'specOf': {
          const spec = getSpec(ctx.store, loadTask(ctx, call.args[0]).id);
          return encodeFunctionResult({ abi, functionName: 'specOf', result: bytesToHex(spec ?? new Uint8Array(0)) });
        }
        case 'dataChallengeOf': {
          const t = loadTask(ctx, call.args[0]);
          const d = getDataChallenge(ctx.store, t.id) ?? { open: false, requester: '0x0000000000000000000000000000000000000000', leaf: 0, deadline: 0n, tensorsPosted: 0, tensors: 0, postedAt: 0n };
          return encodeFunctionResult({ abi, functionName: 'dataChallengeOf', result: d });
        }
        case 'taskCount':
          return encodeFunctionResult({ abi, functionName: 'taskCount', result: taskCount(ctx.store) });
        case 'tasksOf': {
          const ids = tasksOf(ctx.store, lower(call.args[0]));
          ctx.useGas(BigInt(ids.length) * 100n);
          return encodeFunctionResult({ abi, functionName: 'tasksOf', result: ids });
        }
        case 'scoreOf':
          return encodeFunctionResult({ abi, functionName: 'scoreOf', result: getScore(ctx.store, lower(call.args[0])) });
        case 'params': {
          const p = ctx.genesis.modules.task;
          return encodeFunctionResult({
            abi,
            functionName: 'params',
            result: {
              ...p,
              defaultVerifiers: Number(p.defaultVerifiers),
              defaultCoveredSegments: Number(p.defaultCoveredSegments),
              maxVerifiers: Number(p.maxVerifiers),
              maxReopens: Number(p.maxReopens),
            },
          });
        }
        case 'challengeBond':
          return encodeFunctionResult({ abi, functionName: 'challengeBond', result: ctx.genesis.modules.task.challengeBond });
        case 'leaderboard':
          return encodeFunctionResult({ abi, functionName: 'leaderboard', result: leaderboard(ctx, call.args[0]) });
      }
    },

    beginBlock: captureSeeds,
    checkInvariants,
  };
  /** What the dispute game calls: the disputed task's spec, and the verdict. */
  const keeper = {
    spec: (ctx: Pick<ModuleContext, 'store'>, taskId: bigint): TaskSpec => {
      const bytes = getSpec(ctx.store, taskId);
      if (bytes === undefined) throw new RangeError(`task ${taskId} has no spec`);
      return parseSpecBytes(bytes);
    },
    resolveDispute: (ctx: ModuleContext, taskId: bigint, outcome: 1 | 2 | 3, challengerSlash: bigint): void =>
      resolveDispute(ctx, deps, taskId, outcome, challengerSlash),
  };
  return { module, keeper };
}

export type TaskKeeper = ReturnType<typeof createTask>['keeper'];
