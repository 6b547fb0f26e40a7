// The dispute game through the verde module's calls, with synthetic commitments: the descent
// through checkpoints, steps and ops in the formula's number of rounds, hostile moves, clocks and
// the verdicts the task module applies (supply checked after every call by the harness).
import { describe, expect, it } from 'vitest';
import { bytesToHex, sha256, uintToBytes, type Hex } from '../../crypto/hash.ts';
import { MerkleTree } from '../../merkle/tree.ts';
import { parseSpecBytes } from '../task/spec.ts';
import { Status } from '../task/records.ts';
import { DIGITS_SPEC, ETH, Market, OTHER, SOLVER, V1, proofOf } from '../task/test/market-harness.ts';
import { descentRounds, revealFrom, type Descent } from './descent.ts';
import { graphOfStep } from '../../training/graph-of-step.ts';
import { Level, Outcome } from './records.ts';

const leaf = (tag: string, i: number) => sha256(new TextEncoder().encode(tag), uintToBytes(BigInt(i), 4));
/** Leaves equal to `base` before `from`, then the other party's own; optional fixed last leaf. */
function tree(count: number, from: number, party: string, last?: Uint8Array): MerkleTree {
  const leaves = Array.from({ length: count }, (_, i) => (i < from ? leaf('common', i) : leaf(party, i)));
  if (last) leaves[count - 1] = last;
  return new MerkleTree(leaves);
}
const hex = (t: MerkleTree): Hex => bytesToHex(t.root);

function disputedTask(m: Market, solverTrace: MerkleTree, challenger: `0x${string}`, challengerRoot: Hex, segment = 0) {
  const id = m.submit();
  m.ok(SOLVER, 'claim', [id]);
  m.ok(SOLVER, 'commit', [id, hex(solverTrace), 500n, bytesToHex(solverTrace.node(0, 10)), 'http://127.0.0.1:1']);
  m.ok(challenger, 'challenge', [id, segment, challengerRoot], ETH);
  expect(m.view('getTask', [id]).status).toBe(Status.Disputed);
  return { id, disputeId: m.view('getTask', [id]).disputeId };
}

/** Both parties reveal honestly from their own trees until the level's descent ends. */
function descendLevel(m: Market, id: bigint, mine: MerkleTree, theirs: MerkleTree, challenger: `0x${string}`): number {
  let rounds = 0;
  for (;;) {
    const d = m.dispute(id);
    if (d.height === 0) return rounds;
    const desc: Descent = { height: d.height, index: d.index, a: mine.root, b: theirs.root };
    m.verdeOk(SOLVER, 'reveal', [id, revealFrom(mine, desc, d.arity).map(bytesToHex)]);
    m.verdeOk(challenger, 'reveal', [id, revealFrom(theirs, desc, d.arity).map(bytesToHex)]);
    rounds++;
  }
}

describe('verde: the dispute game', () => {
  const spec = parseSpecBytes(DIGITS_SPEC);

  it('walks checkpoints → steps → ops to the first differing op in the formula number of rounds, then both lose when no one referees', () => {
    const m = new Market(undefined, 'verde');
    const arity = Number(m.genesis.modules.verde.arity);
    const supply = m.state.totalSupply();
    const a = tree(11, 4, 'solver');
    const b = tree(11, 4, 'challenger');
    const { id, disputeId } = disputedTask(m, a, V1, hex(b));
    expect(m.dispute(disputeId)).toMatchObject({ level: Level.Checkpoints, leafCount: 11, arity });

    const r1 = descendLevel(m, disputeId, a, b, V1);
    let d = m.dispute(disputeId);
    expect(d).toMatchObject({ level: Level.Steps, segment: 4, leafCount: 50 });
    // level 2: each segment tree ends at the party's checkpoint 4
    const sa = tree(50, 20, 'solver-seg', a.node(0, 4));
    const sb = tree(50, 20, 'challenger-seg', b.node(0, 4));
    expect(m.verde(SOLVER, 'postRoot', [disputeId, hex(sa), bytesToHex(b.node(0, 4)), [], proofOf(sa, 49)]).revertReason).toMatch(/^bad root: /);
    m.verdeOk(SOLVER, 'postRoot', [disputeId, hex(sa), bytesToHex(a.node(0, 4)), [], proofOf(sa, 49)]);
    expect(m.verde(SOLVER, 'postRoot', [disputeId, hex(sa), bytesToHex(a.node(0, 4)), [], proofOf(sa, 49)]).revertReason).toMatch(/already moved/);
    m.verdeOk(V1, 'postRoot', [disputeId, hex(sb), bytesToHex(b.node(0, 4)), [], proofOf(sb, 49)]);
    const r2 = descendLevel(m, disputeId, sa, sb, V1);
    d = m.dispute(disputeId);
    expect(d).toMatchObject({ level: Level.Ops, step: 171n });
    const ops = graphOfStep(spec, 171).ops.length;
    expect(d.leafCount).toBe(ops);
    // level 3: op trees agree before op 7
    const oa = tree(ops, 7, 'solver-ops');
    const ob = tree(ops, 7, 'challenger-ops');
    m.verdeOk(SOLVER, 'postRoot', [disputeId, hex(oa), `0x${'00'.repeat(32)}`, [], []]);
    m.verdeOk(V1, 'postRoot', [disputeId, hex(ob), `0x${'00'.repeat(32)}`, [], []]);
    const r3 = descendLevel(m, disputeId, oa, ob, V1);
    d = m.dispute(disputeId);
    expect(d).toMatchObject({ level: Level.Referee, op: 7 });
    expect([r1, r2, r3]).toEqual([descentRounds(11, arity), descentRounds(50, arity), descentRounds(ops, arity)]);
    expect(d.rounds).toBe(r1 + r2 + r3);

    // the fake leaves cannot be proven: after the clock, nobody refereed and both lose
    expect(m.verde(OTHER, 'referee', [disputeId]).revertReason).toMatch(/^bad referee input: input \d+ of op 7 is not proven yet/);
    expect(m.verde(OTHER, 'timeout', [disputeId]).revertReason).toMatch(/no clock/);
    const before = { solver: m.stake('stakeOf', SOLVER) as bigint, challenger: m.stake('stakeOf', V1) as bigint };
    m.advance(Number(m.genesis.modules.verde.clockBlocks) + 1);
    m.verdeOk(OTHER, 'timeout', [disputeId]);
    expect(m.dispute(disputeId)).toMatchObject({ level: Level.Resolved, outcome: Outcome.BothLost });
    expect(m.stake('stakeOf', SOLVER)).toBe(before.solver - ETH);
    expect(m.stake('stakeOf', V1)).toBe(before.challenger - m.genesis.modules.verde.challengerSlash);
    expect(m.view('getTask', [id])).toMatchObject({ status: Status.Open, reopenCount: 1 });
    expect(m.state.totalSupply()).toBeLessThan(supply);
  });

  it('refuses hostile moves: a third party, children that do not hash to the node, a second move, a move after the clock', () => {
    const m = new Market(undefined, 'verde');
    const a = tree(11, 2, 'solver');
    const b = tree(11, 2, 'challenger');
    const { disputeId } = disputedTask(m, a, V1, hex(b));
    const d = m.dispute(disputeId);
    const desc: Descent = { height: d.height, index: d.index, a: a.root, b: b.root };
    const mine = revealFrom(a, desc, d.arity).map(bytesToHex);
    expect(m.verde(OTHER, 'reveal', [disputeId, mine]).revertReason).toBe(`${OTHER} is not a party to dispute ${disputeId}`);
    expect(m.verde(SOLVER, 'reveal', [disputeId, revealFrom(b, desc, d.arity).map(bytesToHex)]).revertReason).toMatch(/^bad reveal: /);
    expect(m.verde(SOLVER, 'reveal', [disputeId, mine.slice(1)]).revertReason).toMatch(/^bad reveal: /);
    m.verdeOk(SOLVER, 'reveal', [disputeId, mine]);
    expect(m.verde(SOLVER, 'reveal', [disputeId, mine]).revertReason).toMatch(/already moved/);
    m.advance(Number(m.genesis.modules.verde.clockBlocks) + 1);
    expect(m.verde(V1, 'reveal', [disputeId, revealFrom(b, desc, d.arity).map(bytesToHex)]).revertReason).toMatch(/clock ran out/);
    // the silent challenger loses: the solver takes the bond and a share of the challenger's slash
    const solverBefore = m.balance(SOLVER);
    m.verdeOk(OTHER, 'timeout', [disputeId]);
    expect(m.dispute(disputeId).outcome).toBe(Outcome.SolverWon);
    const prover = (m.genesis.modules.verde.challengerSlash * m.genesis.modules.slashing.proverShareBps) / 10_000n;
    expect(m.balance(SOLVER) - solverBefore).toBe(ETH + prover);
  });

  it('a spot-checker enters at a segment: the solver proves its checkpoint against its traceRoot', () => {
    const m = new Market(undefined, 'verde');
    const a = tree(11, 11, 'solver');
    const claimB = leaf('challenger-ckpt', 3);
    const { disputeId } = disputedTask(m, a, V1, bytesToHex(claimB), 3);
    expect(m.dispute(disputeId)).toMatchObject({ level: Level.Steps, segment: 3, leafCount: 50 });
    const sa = tree(50, 10, 'solver-seg', a.node(0, 3));
    const sb = tree(50, 10, 'challenger-seg', claimB);
    expect(m.verde(SOLVER, 'postRoot', [disputeId, hex(sa), bytesToHex(a.node(0, 3)), proofOf(a, 2), proofOf(sa, 49)]).revertReason).toMatch(/not leaf 3 of the solver's traceRoot/);
    m.verdeOk(SOLVER, 'postRoot', [disputeId, hex(sa), bytesToHex(a.node(0, 3)), proofOf(a, 3), proofOf(sa, 49)]);
    m.verdeOk(V1, 'postRoot', [disputeId, hex(sb), bytesToHex(claimB), [], proofOf(sb, 49)]);
    descendLevel(m, disputeId, sa, sb, V1);
    expect(m.dispute(disputeId)).toMatchObject({ level: Level.Ops, step: 111n });
  });
});
