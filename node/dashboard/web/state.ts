// What the page knows of the chain: built from module events, completed by module views.
import type { ContractFunctionReturnType, Hex } from 'viem';
import type { DecodedLog } from './codec.ts';
import type { stakeAbi, taskAbi, verdeAbi } from './codec.ts';

export type Task = ContractFunctionReturnType<typeof taskAbi, 'view', 'getTask'>;
export type Dispute = ContractFunctionReturnType<typeof verdeAbi, 'view', 'getDispute'>;
export type Staker = ContractFunctionReturnType<typeof stakeAbi, 'view', 'stakerOf'>;
export type Board = ContractFunctionReturnType<typeof taskAbi, 'view', 'leaderboard'>;

export interface TaskState {
  t: Task | null;
  /** reporter (lowercase) → step → loss */
  losses: Map<string, Map<number, number>>;
}

export interface Refereed {
  op: number;
  opcode: number;
  solverRight: boolean;
  challengerRight: boolean;
  block: bigint;
}

export interface DisputeState {
  d: Dispute | null;
  taskId: bigint | null;
  opened: { level: number; leafCount: number } | null;
  /** level → the nodes the descent walked to, in order */
  narrowed: Map<number, { height: number; index: number }[]>;
  /** level → the leaf the descent ended at */
  located: Map<number, number>;
  /** level → leaf count, as seen in the dispute's views */
  leafCounts: Map<number, number>;
  refereed: Refereed | null;
}

export interface Withdrawal {
  log: DecodedLog;
  hash: Hex;
  l1: 'unknown' | 'initiated' | 'proven' | 'finalized';
}

export interface HeadSample {
  number: bigint;
  hash: Hex;
  timestamp: bigint;
  gasUsed: bigint;
  /** ms, performance.now() when it arrived */
  at: number;
}

export interface State {
  heads: HeadSample[];
  /** blocks per second from header timestamps, until enough live heads arrived */
  initialRate: number | null;
  tasks: Map<bigint, TaskState>;
  disputes: Map<bigint, DisputeState>;
  stakers: Map<string, Staker | null>;
  slashes: DecodedLog[];
  deposits: DecodedLog[];
  withdrawals: Map<Hex, Withdrawal>;
  board: Board | null;
  totals: { taskCount: bigint; disputeCount: bigint; totalStaked: bigint; totalBurned: bigint } | null;
  verde: { arity: bigint; clockBlocks: bigint } | null;
  activity: DecodedLog[];
  seen: Set<string>;
  /** the L1 side: null = no rollup configuration; else its portal and, if known, an L1 RPC */
  l1: { portal: Hex; rpc: string | null; reachable: boolean | null } | null;
}

export function emptyState(): State {
  return {
    heads: [],
    initialRate: null,
    tasks: new Map(),
    disputes: new Map(),
    stakers: new Map(),
    slashes: [],
    deposits: [],
    withdrawals: new Map(),
    board: null,
    totals: null,
    verde: null,
    activity: [],
    seen: new Set(),
    l1: null,
  };
}

export function taskState(s: State, id: bigint): TaskState {
  let t = s.tasks.get(id);
  if (!t) {
    t = { t: null, losses: new Map() };
    s.tasks.set(id, t);
  }
  return t;
}

export function disputeState(s: State, id: bigint): DisputeState {
  let d = s.disputes.get(id);
  if (!d) {
    d = { d: null, taskId: null, opened: null, narrowed: new Map(), located: new Map(), leafCounts: new Map(), refereed: null };
    s.disputes.set(id, d);
  }
  return d;
}

export const TASK_STATUS: Record<number, [string, 'ok' | 'warn' | 'bad' | 'info' | 'idle']> = {
  1: ['Open', 'idle'],
  2: ['Claimed', 'info'],
  3: ['Committed', 'info'],
  4: ['Disputed', 'warn'],
  5: ['Finalized', 'ok'],
  6: ['Expired', 'bad'],
  7: ['Cancelled', 'idle'],
};

export const VERIFIER_STATUS: Record<number, [string, 'ok' | 'warn' | 'bad' | 'info' | 'idle']> = {
  0: ['pending', 'idle'],
  1: ['attested', 'ok'],
  2: ['challenged', 'warn'],
  3: ['silent · slashed', 'bad'],
};

export const LEVELS: Record<number, string> = { 1: 'Checkpoints', 2: 'Steps', 3: 'Ops', 4: 'Referee', 5: 'Resolved' };

export const OUTCOMES: Record<number, [string, 'ok' | 'warn' | 'bad' | 'info' | 'idle']> = {
  0: ['in progress', 'warn'],
  1: ['solver won', 'ok'],
  2: ['challenger won', 'bad'],
  3: ['both lost', 'bad'],
};

export const SLASH_REASONS: Record<number, string> = { 1: 'missed commit', 2: 'silent verifier', 3: 'data withheld', 4: 'dispute lost' };
