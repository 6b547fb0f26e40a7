// getTask's record as `verity task show/list` print it: a JSON view (amounts in wei as decimal
// strings, statuses by name, uncheckedPpm also as a percentage) and a readable table.
import { STATUS_NAMES } from '../../state-machine/modules/task/records.ts';
import { ether } from './amount.ts';
import type { ChainTask } from './task-client.ts';

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const ZERO_HASH = `0x${'0'.repeat(64)}`;
/** Per verifier within a task (ITask.sol: 0 pending, 1 attested, 2 challenged, 3 silent). */
export const VERIFIER_STATUS_NAMES = ['pending', 'attested', 'challenged', 'silent'] as const;

export interface VerifierView {
  address: string;
  segments: number[];
  status: string;
}

export interface TaskView {
  id: string;
  status: string;
  submitter: string;
  solver: string | null;
  reward: string;
  fee: string;
  minStake: string;
  specHash: string;
  datasetRoot: string;
  steps: number;
  checkpointInterval: number;
  segments: number;
  reopenCount: number;
  deadlines: {
    commitBlocks: number;
    windowBlocks: number;
    claimedAt: number | null;
    commitDeadline: number | null;
    committedAt: number | null;
    drawBlock: number | null;
    windowEnd: number | null;
  };
  traceRoot: string | null;
  modelHash: string | null;
  endpoint: string | null;
  coverage: { verifiersWanted: number; segmentsEach: number; drawn: boolean; uncheckedPpm: number | null; unchecked: string | null };
  verifiers: VerifierView[];
  challenger: string | null;
  disputeId: string | null;
}

/** Parts per million as a percentage, exactly: 390625 → "39.0625 %", 0 → "0 %". */
export function ppmPercent(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000).padStart(4, '0').replace(/0+$/, '');
  return `${whole}${frac === '' ? '' : `.${frac}`} %`;
}

const orNull = <T>(v: T, none: T): T | null => (v === none ? null : v);
const block = (b: bigint): number | null => (b === 0n ? null : Number(b));

export function taskView(t: ChainTask): TaskView {
  return {
    id: t.id.toString(),
    status: STATUS_NAMES[t.status] ?? `unknown(${t.status})`,
    submitter: t.submitter,
    solver: orNull<string>(t.solver, ZERO_ADDRESS),
    reward: t.reward.toString(),
    fee: t.fee.toString(),
    minStake: t.minStake.toString(),
    specHash: t.specHash,
    datasetRoot: t.datasetRoot,
    steps: Number(t.steps),
    checkpointInterval: Number(t.checkpointInterval),
    segments: t.segments,
    reopenCount: t.reopenCount,
    deadlines: {
      commitBlocks: Number(t.commitBlocks),
      windowBlocks: Number(t.windowBlocks),
      claimedAt: block(t.claimedAt),
      commitDeadline: block(t.commitDeadline),
      committedAt: block(t.committedAt),
      drawBlock: block(t.drawBlock),
      windowEnd: block(t.windowEnd),
    },
    traceRoot: orNull<string>(t.traceRoot, ZERO_HASH),
    modelHash: orNull<string>(t.modelHash, ZERO_HASH),
    endpoint: orNull(t.endpoint, ''),
    coverage: {
      verifiersWanted: t.verifiersWanted,
      segmentsEach: t.segmentsEach,
      drawn: t.drawn,
      uncheckedPpm: t.drawn ? t.uncheckedPpm : null,
      unchecked: t.drawn ? ppmPercent(t.uncheckedPpm) : null,
    },
    verifiers: t.verifiers.map((address, i) => ({
      address,
      segments: [...(t.verifierSegments[i] ?? [])],
      status: VERIFIER_STATUS_NAMES[t.verifierStatus[i] ?? 0] ?? String(t.verifierStatus[i]),
    })),
    challenger: orNull<string>(t.challenger, ZERO_ADDRESS),
    disputeId: t.challenger === ZERO_ADDRESS ? null : t.disputeId.toString(),
  };
}

const at = (b: number | null): string => (b === null ? '—' : `block ${b}`);

/** `verity task show`'s table. */
export function formatTask(v: TaskView): string {
  const d = v.deadlines;
  const rows: [string, string][] = [
    ['status', v.status + (v.reopenCount > 0 ? ` (reopened ${v.reopenCount}×)` : '')],
    ['submitter', v.submitter],
    ['solver', v.solver ?? '—'],
    ['reward', ether(BigInt(v.reward))],
    ['fee', `${ether(BigInt(v.fee))} (shared by the attesting verifiers)`],
    ['min stake', ether(BigInt(v.minStake))],
    ['spec', `${v.specHash} (${v.steps} steps, checkpoint every ${v.checkpointInterval}, ${v.segments} segments)`],
    ['data set root', v.datasetRoot],
    ['deadlines', `commit within ${d.commitBlocks} blocks of the claim; window ${d.windowBlocks} blocks after the commit`],
    ['claimed', d.claimedAt === null ? '—' : `${at(d.claimedAt)}, commit by ${at(d.commitDeadline)}`],
    ['committed', d.committedAt === null ? '—' : `${at(d.committedAt)}, draw after ${at(d.drawBlock)}, window ends ${at(d.windowEnd)}`],
    ['traceRoot', v.traceRoot ?? '—'],
    ['modelHash', v.modelHash ?? '—'],
    ['endpoint', v.endpoint ?? '—'],
    [
      'coverage',
      `${v.coverage.verifiersWanted} verifiers × ${v.coverage.segmentsEach} segments each; ` +
        (v.coverage.unchecked === null ? 'not drawn yet' : `unchecked ${v.coverage.unchecked} (chance no verifier re-runs a corrupted segment)`),
    ],
  ];
  if (v.challenger !== null) rows.push(['challenger', `${v.challenger} (dispute ${v.disputeId})`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`task ${v.id}`, ...rows.map(([k, val]) => `  ${k.padEnd(width)}  ${val}`)];
  if (v.verifiers.length > 0) {
    lines.push('  verifiers');
    for (const x of v.verifiers) lines.push(`    ${x.address}  ${x.status.padEnd(10)}  segments ${x.segments.join(' ')}`);
  }
  return lines.join('\n');
}

/** `verity task list`'s table: one row per task. */
export function formatTaskList(views: TaskView[]): string {
  if (views.length === 0) return 'no tasks';
  const header = ['id', 'status', 'reward', 'steps', 'submitter', 'solver', 'verifiers'];
  const rows = views.map((v) => [
    v.id,
    v.status,
    ether(BigInt(v.reward)),
    String(v.steps),
    v.submitter,
    v.solver ?? '—',
    v.verifiers.length === 0 ? '—' : v.verifiers.map((x) => x.status).join(','),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
