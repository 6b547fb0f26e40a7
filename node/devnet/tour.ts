// `verity devnet --demo`: a scripted tour of the whole system, three stories told side by side as
// they happen on chain:
//   honest  — the example task is claimed, trained, committed, spot-checked and finalized;
//   cheat   — a solver that computes one operator wrong on purpose claims a second task, a verifier
//             challenges, Verde narrows the disagreement to one operator, the chain re-runs it and
//             slashes the cheater; the submitter then takes the reopened task back;
//   bridge  — ETH is deposited on L1 and credited on L2, then withdrawn on L2, proven against an
//             output root on L1 and paid out after the window (skipped without an L1).
import { createWalletClient, http, parseEventLogs, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DevnetAccount } from '../../genesis/index.ts';
import { opByCode } from '../../state-machine/repops/opcodes.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { bridgeAbi } from '../../state-machine/modules/bridge/abi.ts';
import { slashingAbi } from '../../state-machine/modules/slashing/abi.ts';
import { stakeAbi } from '../../state-machine/modules/stake/abi.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { verdeAbi } from '../../state-machine/modules/verde/abi.ts';
import { bytesToHex } from '../../state-machine/crypto/hash.ts';
import { ether } from '../../worker/cli/amount.ts';
import { readSpecBytes } from '../../worker/cli/task-command.ts';
import { TaskClient, type ChainTask } from '../../worker/cli/task-client.ts';
import { deposit, finalize, prove, withdraw, withdrawalStatus } from '../rollup/bridge-ops.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { describeEvent, runDemo, type TaskEnd } from './demo.ts';

const ETHER = 10n ** 18n;
/** the cheater (unbonded at start) bonds this much, and its task asks for more than any honest solver has */
const CHEATER_BOND = 200n * ETHER;
const CHEAT_MIN_STAKE = 150n * ETHER;
/** what the cheating solver does: a wrong output of op 16 at step 10 (worker --misbehave) */
export const TOUR_CHEAT = 'op:10:16';
/** IVerde levels: 1 checkpoints, 2 steps, 3 ops, 4 the referee */
const VERDE_LEVEL = ['', 'checkpoint', 'step', 'op', 'referee'];
const OUTCOME = ['open', 'the solver won', 'the challenger won', 'both lost'];

export interface TourOptions {
  rpc: string;
  /** submits both tasks and crosses the bridge (the same key on L1 and L2) */
  submitter: DevnetAccount;
  /** the account the cheating solver runs as (a staked devnet account that runs no other worker) */
  cheater: DevnetAccount;
  /** starts the cheating solver process (`verity worker --misbehave TOUR_CHEAT` as `cheater`) */
  startCheater: () => void;
  specFile: string;
  /** 0 = the genesis default */
  windowBlocks: bigint;
  /** the devnet L1's JSON-RPC URL; null: no bridge story */
  l1Rpc: string | null;
  /** worker names by lower-case address */
  names: ReadonlyMap<string, string>;
  print: (line: string) => void;
  signal?: AbortSignal;
}

export interface TourResult {
  honest: TaskEnd | null;
  /** the cheater lost its dispute and was slashed */
  cheatCaught: boolean;
  bridge: 'done' | 'skipped' | 'failed';
  ok: boolean;
}

const short = (h: string): string => `${h.slice(0, 10)}…`;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((res) => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), res()), { once: true });
  });
}

export async function runTour(o: TourOptions): Promise<TourResult> {
  const line = (story: string) => (s: string) => o.print(`tour [${story.padEnd(6)}] ${s}`);
  const who = (a: string): string => {
    const name = o.names.get(a.toLowerCase());
    if (name !== undefined) return `${name} (${short(a)})`;
    if (a.toLowerCase() === o.cheater.address.toLowerCase()) return `cheater (${short(a)})`;
    return a.toLowerCase() === o.submitter.address.toLowerCase() ? `account ${o.submitter.index} (${short(a)})` : a;
  };
  o.print('tour: three stories side by side: [honest] a task finalizes, [cheat] a cheating solver is caught by Verde and slashed, [bridge] ETH crosses to L2 and back');
  let honestId: (id: bigint) => void = () => undefined;
  const submitted = new Promise<bigint>((res) => (honestId = res));
  const honest = runDemo({ ...o, account: o.submitter, reward: ETHER, fee: ETHER / 100n, print: (s) => line('honest')(s.replace(/^demo: /, '')), onSubmitted: (id) => honestId(id) });
  const client = await TaskClient.connect(o.rpc);
  // the cheater bonds and starts once the honest task's verifiers are drawn: it can neither claim
  // that task nor be drawn to verify it
  const cheatDone = submitted.then((id) => waitForDraw(client, id, o)).then((ok) => (ok ? cheatStory(client, o, line('cheat'), who) : false));
  const bridgeDone = o.l1Rpc === null ? Promise.resolve<'skipped'>('skipped') : bridgeStory(o, o.l1Rpc, line('bridge'));
  const [h, c, b] = await Promise.all([
    honest.then((r) => r.end),
    cheatDone.catch((e: unknown) => (line('cheat')(`failed: ${(e as Error).message}`), false)),
    bridgeDone.catch((e: unknown) => (line('bridge')(`failed: ${(e as Error).message}`), 'failed' as const)),
  ]);
  const ok = h === 'Finalized' && c && b !== 'failed';
  o.print(`tour: ${ok ? 'complete' : 'did not complete'}: honest task ${h ?? 'unfinished'}; cheater ${c ? 'caught and slashed' : 'not caught'}; bridge ${b}`);
  return { honest: h, cheatCaught: c, bridge: b, ok };
}

/** Waits until the honest task's verifiers have been drawn (or it ended without a draw). */
async function waitForDraw(client: TaskClient, id: bigint, o: TourOptions): Promise<boolean> {
  while (!o.signal?.aborted) {
    const t = await client.getTask(id);
    if (t.drawn || t.status > 3) return true;
    await sleep(200, o.signal);
  }
  return false;
}

async function send(client: TaskClient, key: Hex, to: Address, data: { abi: typeof stakeAbi | typeof taskAbi; functionName: string; args: readonly unknown[] }, value = 0n): Promise<bigint> {
  const wallet = createWalletClient({ chain: client.chain, transport: http(client.rpc, { timeout: 15_000, retryCount: 0 }), account: privateKeyToAccount(key) });
  const hash = await TaskClient.guard(client.rpc, data.functionName, () => wallet.writeContract({ address: to, ...data, value } as never));
  const r = await client.reader.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 60_000 });
  if (r.status !== 'success') throw new TourError(`${data.functionName} reverted in block ${r.blockNumber}`);
  return r.blockNumber;
}

export class TourError extends VerityError {
  constructor(message: string) {
    super('TOUR', message);
  }
}

async function cheatStory(client: TaskClient, o: TourOptions, p: (s: string) => void, who: (a: string) => string): Promise<boolean> {
  await send(client, o.cheater.privateKey, MODULE_ADDRESSES.stake, { abi: stakeAbi, functionName: 'bond', args: [] }, CHEATER_BOND);
  p(`${who(o.cheater.address)} bonds ${ether(CHEATER_BOND)} and starts solving with --misbehave ${TOUR_CHEAT} (a wrong output of op 16 at step 10)`);
  o.startCheater();
  const spec = readSpecBytes(o.specFile);
  const sub = await client.submitTask(privateKeyToAccount(o.submitter.privateKey), {
    spec: bytesToHex(spec), reward: ETHER, fee: ETHER / 100n, minStake: CHEAT_MIN_STAKE, verifiers: 0, segmentsEach: 0, commitBlocks: 0n, windowBlocks: o.windowBlocks,
  });
  const task = await client.getTask(sub.taskId);
  p(`task ${sub.taskId} asks for ${ether(CHEAT_MIN_STAKE)} of unlocked stake, which only the cheater has`);
  let from = sub.blockNumber;
  let disputeId: bigint | null = null;
  let resolved = false;
  let slashed = false;
  while (!o.signal?.aborted) {
    const head = await client.blockNumber();
    if (head >= from) {
      const logs = await client.reader.getLogs({ address: [MODULE_ADDRESSES.task, MODULE_ADDRESSES.verde, MODULE_ADDRESSES.slashing], fromBlock: from, toBlock: head });
      for (const l of logs) {
        const at = `block ${String(l.blockNumber).padStart(5)}`;
        if (l.address.toLowerCase() === MODULE_ADDRESSES.task) {
          const [e] = parseEventLogs({ abi: taskAbi, logs: [l], strict: true });
          if (e === undefined || e.args.taskId !== sub.taskId || e.eventName === 'LossesReported') continue;
          p(`${at}  ${e.eventName.padEnd(15)} ${describeEvent(e, task as ChainTask, who)}`);
          if (e.eventName === 'Challenged') disputeId = e.args.disputeId;
          if (e.eventName === 'DisputeResolved') resolved = !e.args.solverWon;
        } else if (l.address.toLowerCase() === MODULE_ADDRESSES.verde) {
          const [e] = parseEventLogs({ abi: verdeAbi, logs: [l], strict: true });
          if (e === undefined) continue;
          // the game opens in the challenge's transaction, before the task module logs Challenged
          if (e.eventName === 'DisputeOpened' && e.args.taskId === sub.taskId) disputeId = e.args.disputeId;
          if (disputeId === null || e.args.disputeId !== disputeId) continue;
          const text = describeVerde(e);
          if (text !== null) p(`${at}  verde: ${text}`);
        } else {
          const [e] = parseEventLogs({ abi: slashingAbi, logs: [l], strict: true });
          if (e === undefined || e.args.taskId !== sub.taskId) continue;
          p(`${at}  slashed ${who(e.args.offender)}: ${ether(e.args.taken)} taken, ${ether(e.args.toBeneficiary)} to ${who(e.args.beneficiary)}, ${ether(e.args.burned)} burned`);
          if (e.args.offender.toLowerCase() === o.cheater.address.toLowerCase()) slashed = true;
        }
      }
      from = head + 1n;
    }
    if (resolved && slashed) break;
    await sleep(200, o.signal);
  }
  if (!(resolved && slashed)) return false;
  const t = await client.getTask(sub.taskId);
  if (t.status === 1) {
    await send(client, o.submitter.privateKey, MODULE_ADDRESSES.task, { abi: taskAbi, functionName: 'cancel', args: [sub.taskId] });
    p(`task ${sub.taskId} reopened; no honest solver has the stake it asks for, so the submitter cancels it and gets the reward back`);
  }
  return true;
}

type VerdeEvent = ReturnType<typeof parseEventLogs<typeof verdeAbi, true>>[number];

function describeVerde(e: VerdeEvent): string | null {
  switch (e.eventName) {
    case 'DisputeOpened':
      return `dispute ${e.args.disputeId} opened at the ${VERDE_LEVEL[e.args.level] ?? e.args.level} level over ${e.args.leafCount} leaves`;
    case 'Narrowed':
      return `${VERDE_LEVEL[e.args.level] ?? e.args.level} level: the parties still disagree at height ${e.args.height}, node ${e.args.index}`;
    case 'Located':
      return `${VERDE_LEVEL[e.args.level] ?? e.args.level} level: first disagreement at ${VERDE_LEVEL[e.args.level] ?? 'leaf'} ${e.args.leaf}${e.args.level < 3 ? '; descending a level' : ''}`;
    case 'Refereed': {
      let name = `opcode ${e.args.opcode}`;
      try {
        name = opByCode(e.args.opcode).name;
      } catch {
        // an opcode this build does not know: show the number
      }
      return `the chain re-ran op ${e.args.op} (${name}) with RepOps: solver ${e.args.solverRight ? 'right' : 'wrong'}, challenger ${e.args.challengerRight ? 'right' : 'wrong'}`;
    }
    case 'DisputeResolved':
      return `dispute ${e.args.disputeId} resolved: ${OUTCOME[e.args.outcome] ?? e.args.outcome} (${e.args.reason})`;
    default:
      return null;
  }
}

async function bridgeStory(o: TourOptions, l1Rpc: string, p: (s: string) => void): Promise<'done'> {
  const account = privateKeyToAccount(o.submitter.privateKey);
  const ends = { l1Rpc, l2Rpc: o.rpc };
  const client = await TaskClient.connect(o.rpc);
  const d = await deposit({ ...ends, account, amount: ETHER });
  p(`deposited ${ether(ETHER)} on L1 (portal nonce ${d.nonce}, L1 tx ${short(d.l1TxHash)}); waiting for L2 to credit it`);
  const nonce = BigInt(d.nonce);
  for (;;) {
    if (o.signal?.aborted) throw new TourError('aborted');
    const next = await client.reader.readContract({ address: MODULE_ADDRESSES.bridge, abi: bridgeAbi, functionName: 'nextDepositNonce' });
    if (next > nonce) break;
    await sleep(200, o.signal);
  }
  p(`credited on L2: ${ether(ETHER)} to account ${o.submitter.index}`);
  const w = await withdraw({ l2Rpc: o.rpc, account, amount: ETHER / 2n });
  p(`withdrew ${ether(ETHER / 2n)} on L2 (withdrawal ${w.index}, block ${w.l2Block}); waiting for an output root that holds it`);
  const index = BigInt(w.index);
  for (;;) {
    if (o.signal?.aborted) throw new TourError('aborted');
    try {
      const r = await prove({ ...ends, account, index });
      p(`proven on L1 against the output root of L2 block ${r.l2BlockNumber} (${short(r.outputRoot)})`);
      break;
    } catch (e) {
      if (!(e instanceof VerityError) || !['BRIDGE_NO_OUTPUT', 'BRIDGE_NOT_IN_OUTPUT'].includes(e.code)) throw e;
      await sleep(500, o.signal);
    }
  }
  let told = false;
  for (;;) {
    if (o.signal?.aborted) throw new TourError('aborted');
    const s = await withdrawalStatus(ends, index);
    if (s.state === 'ready-to-finalize') break;
    if (!told && s.secondsLeft !== undefined) p(`finalization window: ${s.secondsLeft} s left`);
    told = true;
    await sleep(1_000, o.signal);
  }
  const f = await finalize({ ...ends, account, index });
  p(`finalized on L1: ${ether(BigInt(f.amount))} paid to ${short(f.l1Recipient)} (L1 tx ${short(f.l1TxHash)})`);
  return 'done';
}
