// The whole Verde game, in process: a task on the chain's task, stake, slashing and verde modules
// (the market test harness), a solver and a challenger each played by DisputePlayer from its own
// RepOps computation, and one row per cheat: who wins, at which step and op, in how many rounds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, type Hex } from '../../state-machine/crypto/hash.ts';
import { REFERENCE_BACKEND } from '../../state-machine/repops/reference.ts';
import { Status } from '../../state-machine/modules/task/records.ts';
import { ETH, Market, SOLVER, V1 } from '../../state-machine/modules/task/test/market-harness.ts';
import { descentRounds } from '../../state-machine/modules/verde/descent.ts';
import { Level, Outcome } from '../../state-machine/modules/verde/records.ts';
import { parseTaskSpec } from '../../state-machine/training/spec-validate.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import { checkpointSteps } from '../../state-machine/training/commitments.ts';
import { loadSpecDataset, type CommittedDataset } from '../datasets/load.ts';
import { parseMisbehaviour } from '../dispute/behaviour.ts';
import { Party } from '../dispute/party.ts';
import { graphOfStep } from '../../state-machine/training/graph-of-step.ts';
import { DisputePlayer, type DisputeChain } from '../dispute/player.ts';

const examples = join(import.meta.dirname, '..', 'examples');

interface Setup {
  spec: TaskSpec;
  specBytes: Uint8Array;
  ds: CommittedDataset;
  honest: Party;
}

/** An example spec shortened to 20 steps with checkpoints every 5, its data set and an honest party. */
function setup(file: string): Setup {
  const json = { ...JSON.parse(readFileSync(join(examples, file), 'utf8')), steps: 20, checkpointInterval: 5 };
  json.dataset = { ...json.dataset, path: join(examples, json.dataset.path) };
  const spec = parseTaskSpec(json);
  const ds = loadSpecDataset(spec, examples);
  return { spec, specBytes: new TextEncoder().encode(JSON.stringify(json)), ds, honest: new Party(spec, ds, REFERENCE_BACKEND) };
}

function chainOf(m: Market, from: `0x${string}`): DisputeChain {
  return {
    clockBlocks: m.genesis.modules.verde.clockBlocks,
    dispute: async (id) => m.dispute(id),
    blockNumber: async () => m.number,
    send: async (fn, args) => {
      m.verdeOk(from, fn, args);
    },
  };
}

interface Row {
  name: string;
  solver?: string;
  challenger?: string;
  /** the challenge: 0 = whistleblower with the challenger's traceRoot, i = spot check of segment i */
  segment: number;
  /** the solver stops answering after this many moves */
  solverSilentAfter?: number;
  winner: number;
  step?: number;
  op?: number;
}

/** Runs one dispute to its end; both players act once per block. */
function play(setup: Setup, row: Row) {
  const { spec, specBytes, ds, honest } = setup;
  const m = new Market(undefined, 'verde');
  const solver = row.solver === 'lazy' ? undefined : row.solver ? new Party(spec, ds, REFERENCE_BACKEND, parseMisbehaviour(row.solver)) : honest;
  const challengerBehaviour = row.challenger ? parseMisbehaviour(row.challenger) : undefined;
  const challenger = challengerBehaviour?.kind === 'false-challenge'
    ? new Party(spec, ds, REFERENCE_BACKEND, { kind: 'checkpoint', step: row.segment * spec.checkpointInterval })
    : challengerBehaviour ? new Party(spec, ds, REFERENCE_BACKEND, challengerBehaviour) : honest;
  const taskId = m.submit(specBytes, 10n * ETH, ETH, {});
  m.ok(SOLVER, 'claim', [taskId]);
  const trace = solver?.traceTree() ?? honest.traceTree();
  const lazyRoot: Hex = `0x${'ab'.repeat(32)}`;
  const committedRoot = row.solver === 'lazy' ? lazyRoot : bytesToHex(trace.root);
  m.ok(SOLVER, 'commit', [taskId, committedRoot, BigInt(spec.steps), bytesToHex(trace.node(0, trace.leafCount - 1)), 'http://127.0.0.1:1']);
  const challengeRoot = row.segment === 0 ? bytesToHex(challenger.traceTree().root) : challenger.claim(row.segment * spec.checkpointInterval);
  m.ok(V1, 'challenge', [taskId, row.segment, challengeRoot], ETH);
  const disputeId = m.view('getTask', [taskId]).disputeId;
  const players = [
    solver ? new DisputePlayer(chainOf(m, SOLVER), 'solver', solver, row.solverSilentAfter) : undefined,
    new DisputePlayer(chainOf(m, V1), 'challenger', challenger),
  ];
  return { m, taskId, disputeId, players };
}

async function runToEnd(g: ReturnType<typeof play>): Promise<void> {
  for (let block = 0; block < 2_000; block++) {
    for (const p of g.players) if (p) await p.act(g.disputeId).catch((e: Error) => {
      // a move the other party's move made moot (e.g. both call the referee) is not an error
      if (!/is at level Resolved|already moved/.test(e.message)) throw e;
    });
    if (g.m.dispute(g.disputeId).level === Level.Resolved) return;
    g.m.advance();
  }
  throw new Error('dispute did not end');
}

const rows: Row[] = [
  { name: 'op:T:J (whistleblower)', solver: 'op:7:16', segment: 0, winner: Outcome.ChallengerWon, step: 7, op: 16 },
  { name: 'op:T:J (spot check)', solver: 'op:12:13', segment: 3, winner: Outcome.ChallengerWon, step: 12, op: 13 },
  { name: 'checkpoint:T', solver: 'checkpoint:10', segment: 0, winner: Outcome.ChallengerWon, step: 10 },
  { name: 'skip:T', solver: 'skip:4', segment: 0, winner: Outcome.ChallengerWon, step: 4 },
  { name: 'data:T', solver: 'data:9', segment: 0, winner: Outcome.ChallengerWon, step: 9 },
  { name: 'lazy', solver: 'lazy', segment: 0, winner: Outcome.ChallengerWon },
  { name: 'silent-after:N', solver: 'op:7:16', solverSilentAfter: 2, segment: 0, winner: Outcome.ChallengerWon },
  { name: 'false-challenge', challenger: 'false-challenge', segment: 2, winner: Outcome.SolverWon, step: 10 },
];

async function check(setup: Setup, row: Row): Promise<void> {
  const { spec } = setup;
  {
    const g = play(setup, row);
    await runToEnd(g);
    const d = g.m.dispute(g.disputeId);
    expect(`${d.outcome} ${d.reason} step=${d.step} op=${d.op}`).toMatch(new RegExp(`^${row.winner} `));
    if (row.step !== undefined) expect(Number(d.step)).toBe(row.step);
    if (row.op !== undefined) {
      expect(d.op).toBe(row.op);
      expect(d.reason).toMatch(new RegExp(`re-ran op ${row.op} `));
      // rounds: ⌈log_n⌉ of each level's leaves
      const arity = d.arity;
      const levels = row.segment === 0 ? [checkpointSteps(spec.steps, spec.checkpointInterval).length] : [];
      expect(d.rounds).toBe([...levels, spec.checkpointInterval, graphOfStep(spec, row.step!).ops.length].reduce((s, n) => s + descentRounds(n, arity), 0));
    }
    const task = g.m.view('getTask', [g.taskId]);
    expect(task.status).toBe(row.winner === Outcome.SolverWon ? Status.Committed : Status.Open);
  }
}

describe('Verde end to end in process: each cheat is caught (digits MLP)', () => {
  let mlp: Setup;
  beforeAll(() => {
    mlp = setup('digits-mlp.json');
  });
  it.each(rows)('$name', (row) => check(mlp, row));
});

describe('Verde end to end in process: the CNN', () => {
  let cnn: Setup;
  beforeAll(() => {
    cnn = setup('digits-cnn.json');
  });
  it('op:T:J on a parameter update and data:T are caught at the cheated op', async () => {
    // cheats at checkpoint steps: a one-ulp difference in a parameter can round away a few steps later
    const j = graphOfStep(cnn.spec, 10).ops.length - 1;
    await check(cnn, { name: 'op', solver: `op:10:${j}`, segment: 0, winner: Outcome.ChallengerWon, step: 10, op: j });
    await check(cnn, { name: 'data', solver: 'data:15', segment: 3, winner: Outcome.ChallengerWon, step: 15 });
  });
});
