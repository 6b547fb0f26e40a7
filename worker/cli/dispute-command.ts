// `verity dispute show --id N`: a Verde dispute as the chain has it: level, rounds, both parties'
// nodes at the current point of the descent, clocks, and once resolved the outcome with what was
// slashed, paid and burned (from the slashing module's Slashed events for the task).
import { InvalidArgumentError, type Command } from 'commander';
import { createPublicClient, http, type ContractFunctionReturnType } from 'viem';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { slashingAbi } from '../../state-machine/modules/slashing/abi.ts';
import { verdeAbi } from '../../state-machine/modules/verde/abi.ts';
import { runAsyncCommand } from './task-command.ts';
import { DEFAULT_RPC } from './task-client.ts';

type ChainDispute = ContractFunctionReturnType<typeof verdeAbi, 'view', 'getDispute'>;
const LEVELS = ['', 'Checkpoints', 'Steps', 'Ops', 'Referee', 'Resolved'];
const OUTCOMES = ['open', 'solver won', 'challenger won', 'both lost'];
const REASONS = ['', 'missed commit', 'silent verifier', 'data withheld', 'dispute lost'];

export interface SlashView {
  offender: string;
  reason: string;
  taken: string;
  beneficiary: string;
  toBeneficiary: string;
  toHarmed: string;
  burned: string;
}

export interface DisputeView {
  id: string;
  taskId: string;
  solver: string;
  challenger: string;
  level: string;
  arity: number;
  located: { segment: number; step: string; op: number };
  descent: { leafCount: number; height: number; index: number; solverNode: string; challengerNode: string };
  roots: { solver: string; challenger: string };
  claims: { solver: string; challenger: string };
  rounds: number;
  moves: number;
  clocks: { solver: string; challenger: string; roundStart: string };
  outcome: string;
  reason: string;
  refereeLeaf: string;
  slashes: SlashView[];
}

export async function showDispute(rpc: string, id: bigint): Promise<DisputeView> {
  const client = createPublicClient({ transport: http(rpc) });
  const d: ChainDispute = await client.readContract({ address: MODULE_ADDRESSES.verde, abi: verdeAbi, functionName: 'getDispute', args: [id] });
  const slashes = d.level === 5
    ? (await client.getContractEvents({ address: MODULE_ADDRESSES.slashing, abi: slashingAbi, eventName: 'Slashed', args: { taskId: d.taskId }, fromBlock: d.roundStart, toBlock: 'latest' }))
      .filter((l) => l.args.reason === 4)
      .map((l) => ({
        offender: l.args.offender ?? '',
        reason: REASONS[l.args.reason ?? 0] ?? String(l.args.reason),
        taken: String(l.args.taken),
        beneficiary: l.args.beneficiary ?? '',
        toBeneficiary: String(l.args.toBeneficiary),
        toHarmed: String(l.args.toHarmed),
        burned: String(l.args.burned),
      }))
    : [];
  return {
    id: d.id.toString(),
    taskId: d.taskId.toString(),
    solver: d.solver,
    challenger: d.challenger,
    level: LEVELS[d.level] ?? String(d.level),
    arity: d.arity,
    located: { segment: d.segment, step: d.step.toString(), op: d.op },
    descent: { leafCount: d.leafCount, height: d.height, index: d.index, solverNode: d.solverNode, challengerNode: d.challengerNode },
    roots: { solver: d.solverRoot, challenger: d.challengerRoot },
    claims: { solver: d.solverClaim, challenger: d.challengerClaim },
    rounds: d.rounds,
    moves: d.moves,
    clocks: { solver: d.solverClock.toString(), challenger: d.challengerClock.toString(), roundStart: d.roundStart.toString() },
    outcome: OUTCOMES[d.outcome] ?? String(d.outcome),
    reason: d.reason,
    refereeLeaf: d.refereeLeaf,
    slashes,
  };
}

export function formatDispute(v: DisputeView): string {
  const rows: [string, string][] = [
    ['dispute', `${v.id} (task ${v.taskId})`],
    ['solver', v.solver],
    ['challenger', v.challenger],
    ['level', `${v.level} (arity ${v.arity})`],
    ['located', `segment ${v.located.segment}, step ${v.located.step}, op ${v.located.op}`],
    ['descent', `${v.descent.leafCount} leaves, node at height ${v.descent.height}, index ${v.descent.index}`],
    ['solver node', v.descent.solverNode],
    ['challenger node', v.descent.challengerNode],
    ['rounds / moves', `${v.rounds} / ${v.moves}`],
    ['clocks (blocks)', `solver ${v.clocks.solver}, challenger ${v.clocks.challenger} (round began at block ${v.clocks.roundStart})`],
    ['outcome', v.reason === '' ? v.outcome : `${v.outcome}: ${v.reason}`],
  ];
  for (const s of v.slashes) {
    rows.push(['slashed', `${s.offender}: ${s.taken} wei taken; ${s.toBeneficiary} to ${s.beneficiary}, ${s.toHarmed} to the submitter, ${s.burned} burned`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, val]) => `${k.padEnd(width)}  ${val}`).join('\n');
}

function disputeId(v: string): bigint {
  if (!/^\d+$/.test(v) || BigInt(v) === 0n) throw new InvalidArgumentError('must be a positive integer');
  return BigInt(v);
}

export function register(program: Command): void {
  const dispute = program.command('dispute').description('inspect Verde disputes over JSON-RPC').showHelpAfterError('(add --help for usage)');
  dispute
    .command('show')
    .description('print a dispute: level, rounds, both nodes at the current point, clocks, outcome with amounts slashed and paid')
    .requiredOption('--id <n>', 'dispute id', disputeId)
    .option('--rpc <url>', 'JSON-RPC URL', DEFAULT_RPC)
    .option('--json', 'print one JSON object')
    .action((o: { id: bigint; rpc: string; json?: boolean }) => runAsyncCommand(o.json === true, () => showDispute(o.rpc, o.id), formatDispute));
}
