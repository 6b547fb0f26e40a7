// The market's paths through the task, stake and slashing modules, with the whole-state supply check
// after every call and block (Market.checkSupply).
import { describe, expect, it } from 'vitest';
import { MODULE_ADDRESSES } from '../../addresses.ts';
import { Status, VerifierStatus } from '../records.ts';
import { encodeFunctionData } from 'viem';
import { stakeAbi } from '../../stake/abi.ts';
import { ETH, Market, OTHER, SOLVER, SUBMITTER, V1, fakeTrace, marketGenesis, proofOf } from './market-harness.ts';

const STAKE = MODULE_ADDRESSES.stake;

/** Submits the digits task, claims it by SOLVER and commits a consistent fake trace. */
function committed(m: Market, salt = 0) {
  const id = m.submit();
  m.ok(SOLVER, 'claim', [id]);
  const trace = fakeTrace(10, salt);
  m.ok(SOLVER, 'commit', [id, trace.traceRoot, 500n, trace.roots[10], 'http://127.0.0.1:1/ckpt']);
  return { id, trace };
}

function attestAll(m: Market, id: bigint, trace: ReturnType<typeof fakeTrace>, skip?: string): void {
  const t = m.view('getTask', [id]);
  t.verifiers.forEach((v, i) => {
    if (v.toLowerCase() === skip) return;
    for (const s of t.verifierSegments[i]) m.ok(v.toLowerCase() as `0x${string}`, 'attest', [id, s, trace.roots[s], proofOf(trace.tree, s)]);
  });
}

describe('task module: the honest path', () => {
  it('submit → claim → commit → draw → attest → finalize pays the solver and the verifiers', () => {
    const m = new Market();
    const supply = m.state.totalSupply();
    const before = { solver: m.balance(SOLVER), submitter: m.balance(SUBMITTER) };
    const { id, trace } = committed(m);
    let t = m.view('getTask', [id]);
    expect(t).toMatchObject({ status: Status.Committed, segments: 10, verifiersWanted: 2, segmentsEach: 5, steps: 500n, checkpointInterval: 50n });
    expect(m.stake('lockedOf', SOLVER)).toBe(ETH);
    // the draw needs the hash of block drawBlock, so it fails until the block after
    expect(m.task(V1, 'draw', [id]).revertReason).toMatch(/cannot do this before block/);
    m.advanceTo(t.drawBlock + 1n);
    m.ok(OTHER, 'draw', [id]);
    t = m.view('getTask', [id]);
    expect(t.drawn).toBe(true);
    expect(t.verifiers).toHaveLength(2);
    expect(t.uncheckedPpm).toBe(0);
    expect(t.verifiers.map((v) => v.toLowerCase())).not.toContain(SOLVER);
    expect([...t.verifierSegments.flat()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    attestAll(m, id, trace);
    expect(m.view('getTask', [id]).verifierStatus).toEqual([VerifierStatus.Attested, VerifierStatus.Attested]);
    expect(m.task(OTHER, 'finalize', [id]).revertReason).toMatch(/cannot do this before block/);
    m.advanceTo(t.windowEnd + 1n);
    m.ok(OTHER, 'finalize', [id]);
    expect(m.view('getTask', [id]).status).toBe(Status.Finalized);
    expect(m.balance(SOLVER) - before.solver).toBe(10n * ETH);
    expect(m.balance(SUBMITTER)).toBe(before.submitter - 12n * ETH);
    for (const v of t.verifiers) expect(m.view('scoreOf', [v])).toMatchObject({ tasksVerified: 1n, rewardEarned: ETH });
    expect(m.view('scoreOf', [SOLVER])).toMatchObject({ tasksSolved: 1n, rewardEarned: 10n * ETH });
    expect(m.stake('lockedOf', SOLVER)).toBe(0n);
    expect(m.balance(m.exec.registry.get(MODULE_ADDRESSES.task)!.address)).toBe(0n);
    expect(m.state.totalSupply()).toBe(supply);
    expect(m.task(OTHER, 'finalize', [id]).revertReason).toBe(`finalize: task ${id} is Finalized`);
    const [top] = m.view('leaderboard', [3n]);
    expect(top[0].toLowerCase()).toBe(SOLVER);
    expect(m.view('tasksOf', [SOLVER])).toEqual([id]);
    expect(m.eventNames()).toEqual(['TaskSubmitted', 'TaskClaimed', 'TaskCommitted', 'VerifiersDrawn', ...Array(10).fill('Attested'), 'TaskFinalized']);
  });

  it('a verifier that stays silent forfeits its fee and takes a small slash; supply falls by the burn', () => {
    const m = new Market();
    const supply = m.state.totalSupply();
    const { id, trace } = committed(m);
    const t0 = m.view('getTask', [id]);
    m.advanceTo(t0.drawBlock + 1n);
    m.ok(OTHER, 'draw', [id]);
    const t = m.view('getTask', [id]);
    const silent = t.verifiers[1].toLowerCase() as `0x${string}`;
    attestAll(m, id, trace, silent);
    const stakeBefore = m.stake('stakeOf', silent) as bigint;
    const submitterBefore = m.balance(SUBMITTER);
    m.advanceTo(t.windowEnd + 1n);
    m.ok(OTHER, 'finalize', [id]);
    const slash = m.genesis.modules.task.silentVerifierSlash;
    expect(m.stake('stakeOf', silent)).toBe(stakeBefore - slash);
    expect(m.view('getTask', [id]).verifierStatus).toEqual([VerifierStatus.Attested, VerifierStatus.Silent]);
    expect(m.view('scoreOf', [t.verifiers[0]])).toMatchObject({ rewardEarned: 2n * ETH });
    const harmed = (slash * m.genesis.modules.slashing.harmedShareBps) / 10_000n;
    expect(m.balance(SUBMITTER) - submitterBefore).toBe(harmed);
    expect(m.state.totalSupply()).toBe(supply - (slash - harmed));
    expect(m.stake('isJailed', silent)).toBe(true);
    expect(m.slashCount(silent)).toBe(1n);
  });
});

describe('task module: the draw with nobody to draw', () => {
  it('defers the draw and the window until a staker can be drawn; unchecked work is never paid', () => {
    const base = marketGenesis();
    // only the solver is staked: no one else can be drawn
    const m = new Market({ ...base, modules: { ...base.modules, stake: { ...base.modules.stake, bonds: { [SOLVER]: 100n * ETH } } } });
    const supply = m.state.totalSupply();
    const before = m.balance(SOLVER);
    const { id, trace } = committed(m);
    const t0 = m.view('getTask', [id]);
    m.advanceTo(t0.drawBlock + 1n);
    m.ok(OTHER, 'draw', [id]);
    const t1 = m.view('getTask', [id]);
    expect(t1.drawn).toBe(false);
    expect(t1.drawBlock).toBe(m.number + 2n);
    expect(t1.windowEnd).toBe(m.number + t0.windowBlocks);
    // after the window, finalize defers again instead of paying for work no one could check
    m.advanceTo(t1.windowEnd + 1n);
    m.ok(OTHER, 'finalize', [id]);
    const t2 = m.view('getTask', [id]);
    expect(t2).toMatchObject({ status: Status.Committed, drawn: false, windowEnd: m.number + t0.windowBlocks });
    expect(m.balance(SOLVER)).toBe(before);
    // a verifier bonds: the next draw picks it, it attests, and the task finalizes
    const bonded = m.send(V1, STAKE, encodeFunctionData({ abi: stakeAbi, functionName: 'bond' }), 100n * ETH);
    expect(bonded.status).toBe(1);
    m.advanceTo(t2.drawBlock + 1n);
    m.ok(OTHER, 'draw', [id]);
    expect(m.view('getTask', [id]).verifiers.map((v) => v.toLowerCase())).toEqual([V1]);
    attestAll(m, id, trace);
    m.advanceTo(t2.windowEnd + 1n);
    m.ok(OTHER, 'finalize', [id]);
    expect(m.view('getTask', [id]).status).toBe(Status.Finalized);
    expect(m.balance(SOLVER) - before).toBe(10n * ETH);
    expect(m.eventNames().filter((n) => n.startsWith('Draw') || n === 'VerifiersDrawn')).toEqual(['DrawDeferred', 'DrawDeferred', 'VerifiersDrawn']);
    expect(m.state.totalSupply()).toBe(supply);
  });
});

describe('task module: deadlines', () => {
  it('a claim without a commit expires: the solver is slashed and jailed, the task reopens and another solves it', () => {
    const m = new Market();
    const id = m.submit();
    m.ok(SOLVER, 'claim', [id]);
    const t = m.view('getTask', [id]);
    expect(m.task(OTHER, 'expire', [id]).status).toBe(0);
    m.advanceTo(t.commitDeadline + 1n);
    const trace = fakeTrace(10);
    expect(m.task(SOLVER, 'commit', [id, trace.traceRoot, 500n, trace.roots[10], 'x']).revertReason).toMatch(/deadline \(block \d+\) has passed/);
    const bonded = m.stake('stakeOf', SOLVER) as bigint;
    m.ok(OTHER, 'expire', [id]);
    expect(m.stake('stakeOf', SOLVER)).toBe(bonded - ETH);
    expect(m.stake('lockedOf', SOLVER)).toBe(0n);
    expect(m.stake('isJailed', SOLVER)).toBe(true);
    expect(m.view('getTask', [id])).toMatchObject({ status: Status.Open, reopenCount: 1 });
    expect(m.task(SOLVER, 'claim', [id]).revertReason).toMatch(/is jailed until block/);
    m.ok(OTHER, 'claim', [id]);
    expect(m.view('getTask', [id]).solver.toLowerCase()).toBe(OTHER);
  });

  it('after maxReopens failures the task is refunded and ends Expired', () => {
    const m = new Market();
    const id = m.submit();
    const before = m.balance(SUBMITTER);
    for (const solver of [SOLVER, OTHER]) {
      m.ok(solver, 'claim', [id]);
      m.advanceTo(m.view('getTask', [id]).commitDeadline + 1n);
      m.ok(V1, 'expire', [id]);
    }
    const t = m.view('getTask', [id]);
    expect(t.status).toBe(Status.Expired);
    const harmedEach = (ETH * m.genesis.modules.slashing.harmedShareBps) / 10_000n;
    expect(m.balance(SUBMITTER) - before).toBe(12n * ETH + 2n * harmedEach);
  });

  it('a submitter may cancel an open task, nobody else, and only while it is open', () => {
    const m = new Market();
    const id = m.submit();
    expect(m.task(OTHER, 'cancel', [id]).revertReason).toMatch(/is not the submitter/);
    m.ok(SUBMITTER, 'cancel', [id]);
    expect(m.view('getTask', [id]).status).toBe(Status.Cancelled);
    expect(m.task(SOLVER, 'claim', [id]).revertReason).toBe(`claim: task ${id} is Cancelled`);
  });
});

describe('task module: bad input reverts with a clear reason and changes nothing', () => {
  it('refuses bad specs, claims, commits, attests and finalizes', () => {
    const m = new Market();
    const big = new Uint8Array(16 * 1024 + 1).fill(0x20);
    const before = m.state.root();
    const submit = (spec: Uint8Array, value = 3n * ETH) =>
      m.task(m.genesis.sequencer, 'submitTask', [`0x${Buffer.from(spec).toString('hex')}`, ETH, 0n, { verifiers: 0, segmentsEach: 0 }, { commitBlocks: 0n, windowBlocks: 0n }], value);
    expect(submit(big).revertReason).toBe('task spec is 16385 bytes, over the 16384-byte cap');
    const bad = JSON.parse(new TextDecoder().decode(m.submitSpecBytes()));
    bad.optimizer.lr = 'fast';
    expect(submit(Buffer.from(JSON.stringify(bad))).revertReason).toMatch(/^invalid task spec: optimizer\.lr: /);
    expect(submit(Buffer.from('{not json')).revertReason).toMatch(/^invalid task spec: \(root\): not valid JSON/);
    expect(submit(m.submitSpecBytes(), ETH).revertReason).toBe('invalid amount: reward (msg.value - fee) must be positive');
    expect(m.state.root()).toBe(before);

    const id = m.submit();
    // SUBMITTER has no stake: no claim
    expect(m.task(SUBMITTER, 'claim', [id]).revertReason).toBe(`claim: unlocked stake 0 below the task's minimum ${ETH}`);
    expect(m.task(SOLVER, 'claim', [99n]).revertReason).toBe('unknown task 99');
    m.ok(SOLVER, 'claim', [id]);
    const trace = fakeTrace(10);
    expect(m.task(OTHER, 'commit', [id, trace.traceRoot, 500n, trace.roots[10], 'x']).revertReason).toBe(`commit: ${OTHER} is not the solver of task ${id}`);
    expect(m.task(SOLVER, 'commit', [id, trace.traceRoot, 499n, trace.roots[10], 'x']).revertReason).toBe('commit: 499 steps, the spec says 500');
    m.ok(SOLVER, 'commit', [id, trace.traceRoot, 500n, trace.roots[10], 'x']);
    const t = m.view('getTask', [id]);
    m.advanceTo(t.drawBlock + 1n);
    m.ok(OTHER, 'draw', [id]);
    const drawn = m.view('getTask', [id]);
    const v = drawn.verifiers[0].toLowerCase() as `0x${string}`;
    const s = drawn.verifierSegments[0][0];
    const stranger = [OTHER, SUBMITTER].find((a) => !drawn.verifiers.map((x) => x.toLowerCase()).includes(a))!;
    const state = m.state.root();
    expect(m.task(stranger, 'attest', [id, s, trace.roots[s], proofOf(trace.tree, s)]).revertReason).toBe(`attest: ${stranger} was not drawn to verify segment ${s} of task ${id}`);
    expect(m.task(v, 'attest', [id, s, trace.roots[s + 1 > 10 ? s - 1 : s + 1], proofOf(trace.tree, s)]).revertReason).toMatch(/^bad proof: /);
    expect(m.task(v, 'attest', [id, s, trace.roots[s], proofOf(trace.tree, s).slice(1)]).revertReason).toMatch(/^bad proof: /);
    expect(m.task(v, 'challenge', [id, s, trace.roots[0]], ETH).revertReason).toBe('challenge: this chain runs no dispute game yet');
    expect(m.state.root()).toBe(state);
    m.ok(v, 'attest', [id, s, trace.roots[s], proofOf(trace.tree, s)]);
    expect(m.task(v, 'attest', [id, s, trace.roots[s], proofOf(trace.tree, s)]).revertReason).toBe(`already done: segment ${s} attested`);
    expect(m.balance(STAKE)).toBeGreaterThan(0n);
  });
});
