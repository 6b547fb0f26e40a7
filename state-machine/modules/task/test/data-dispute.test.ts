// Data availability (a withheld checkpoint forced on chain, or the solver slashed) and the dispute
// hook, exercised through a test double of the dispute game.
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../crypto/hash.ts';
import { MerkleTree } from '../../../merkle/tree.ts';
import { tensorHash } from '../../../repops/tensor-hash.ts';
import { tensorF32, numel } from '../../../repops/tensor.ts';
import { stateLayout } from '../../../training/step-graph.ts';
import { parseSpecBytes } from '../spec.ts';
import type { DisputeRequest } from '../expected.ts';
import { Status } from '../records.ts';
import { DIGITS_SPEC, ETH, Market, OTHER, SOLVER, SUBMITTER, proofOf } from './market-harness.ts';

/** A checkpoint of the digits model with arbitrary values, and a trace whose leaf `leaf` is its root. */
function checkpointTrace(leaf: number) {
  const layout = stateLayout(parseSpecBytes(DIGITS_SPEC));
  const tensors = layout.map((s, i) => tensorF32(s.shape, Float32Array.from({ length: numel(s.shape) }, (_, j) => Math.fround((i + 1) * 0.001 * (j % 97)))));
  const root = new MerkleTree(tensors.map((t) => tensorHash(t))).root;
  const leaves = Array.from({ length: 11 }, (_, i) => (i === leaf ? root : new Uint8Array(32).fill(i + 1)));
  const tree = new MerkleTree(leaves);
  return { tensors, tree, traceRoot: bytesToHex(tree.root), roots: leaves.map((l) => bytesToHex(l)) };
}

function drawnTask(m: Market, leaf: number) {
  const id = m.submit();
  m.ok(SOLVER, 'claim', [id]);
  const trace = checkpointTrace(leaf);
  m.ok(SOLVER, 'commit', [id, trace.traceRoot, 500n, trace.roots[10], 'http://127.0.0.1:1']);
  m.advanceTo(m.view('getTask', [id]).drawBlock + 1n);
  m.ok(OTHER === SOLVER ? SUBMITTER : OTHER, 'draw', [id]);
  const t = m.view('getTask', [id]);
  const i = t.verifierSegments.findIndex((s) => s.includes(leaf + 1));
  return { id, trace, t, verifier: t.verifiers[i].toLowerCase() as `0x${string}` };
}

describe('data availability', () => {
  it('a requested checkpoint posted in chunks and proven against traceRoot lets the verifier attest', () => {
    const m = new Market();
    const { id, trace, t, verifier } = drawnTask(m, 3);
    m.ok(verifier, 'requestData', [id, 4]);
    expect(m.view('dataChallengeOf', [id])).toMatchObject({ open: true, leaf: 3, tensors: trace.tensors.length, tensorsPosted: 0 });
    expect(m.task(OTHER, 'finalize', [id]).revertReason).toMatch(/open data challenge/);
    expect(m.task(OTHER, 'postData', [id, 0, 0, '0x00']).revertReason).toMatch(/is not the solver/);
    expect(m.task(SOLVER, 'postData', [id, 1, 0, '0x00']).revertReason).toBe('bad checkpoint data: expected tensor 0, got 1');
    trace.tensors.forEach((tensor, ti) => {
      const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
      for (let off = 0; off < bytes.length; off += 3000) m.ok(SOLVER, 'postData', [id, ti, off, bytesToHex(bytes.subarray(off, off + 3000))]);
    });
    expect(m.view('dataChallengeOf', [id]).tensorsPosted).toBe(trace.tensors.length);
    expect(m.task(SOLVER, 'completeData', [id, proofOf(trace.tree, 2)]).revertReason).toMatch(/^bad proof: /);
    m.ok(OTHER, 'completeData', [id, proofOf(trace.tree, 3)]);
    const d = m.view('dataChallengeOf', [id]);
    expect(d).toMatchObject({ open: false, leaf: 3 });
    expect(d.postedAt).toBe(m.number);
    expect(m.eventNames()).toContain('DataPosted');
    expect(m.eventNames().filter((e) => e === 'CheckpointData').length).toBeGreaterThan(trace.tensors.length);
    // the verifier may still attest after the window, within the grace after posting
    m.advanceTo(t.windowEnd);
    m.ok(verifier, 'attest', [id, 4, trace.roots[4], proofOf(trace.tree, 4)]);
  });

  it('a solver that does not post by the deadline is slashed, the requester gets the prover share, the task reopens', () => {
    const m = new Market();
    const { id, verifier } = drawnTask(m, 0);
    m.ok(verifier, 'requestData', [id, 1]);
    const d = m.view('dataChallengeOf', [id]);
    expect(m.task(OTHER, 'resolveData', [id]).revertReason).toMatch(/cannot do this before block/);
    m.advanceTo(d.deadline + 1n);
    const before = { solver: m.stake('stakeOf', SOLVER) as bigint, requester: m.balance(verifier) };
    m.ok(OTHER, 'resolveData', [id]);
    expect(m.stake('stakeOf', SOLVER)).toBe(before.solver - ETH);
    expect(m.balance(verifier) - before.requester).toBe((ETH * m.genesis.modules.slashing.proverShareBps) / 10_000n);
    expect(m.view('getTask', [id])).toMatchObject({ status: Status.Open, reopenCount: 1, drawn: false });
    expect(m.stake('lockedOf', verifier)).toBe(0n);
  });
});

describe('the dispute hook (a test double of the dispute game)', () => {
  function disputed(solverWins: boolean) {
    const opened: DisputeRequest[] = [];
    const m = new Market(undefined, { open: (_ctx, req) => (opened.push(req), 7n) });
    const { id, trace, t, verifier } = drawnTask(m, 0);
    expect(m.task(SOLVER, 'challenge', [id, 1, trace.roots[0]], ETH).revertReason).toMatch(/cannot challenge itself/);
    expect(m.task(verifier, 'challenge', [id, 1, trace.roots[0]], ETH / 2n).revertReason).toMatch(/challenge bond must be exactly/);
    m.ok(verifier, 'challenge', [id, 1, trace.roots[0]], ETH);
    expect(opened).toEqual([expect.objectContaining({ taskId: id, solver: SOLVER, challenger: verifier, segment: 1, bond: ETH, traceRoot: trace.traceRoot })]);
    expect(m.view('getTask', [id])).toMatchObject({ status: Status.Disputed, disputeId: 7n });
    const before = { solver: m.balance(SOLVER), verifier: m.balance(verifier), stake: m.stake('stakeOf', SOLVER) as bigint };
    const ctx = { store: m.state.store, genesis: m.genesis, env: m.env(), logs: m.logs };
    m.taskKeeper.resolveDispute(ctx, id, solverWins ? 1 : 2, ETH);
    m.checkSupply();
    return { m, id, t, verifier, before };
  }

  it('solver wins: it takes the bond, the task goes back to Committed and finalizes', () => {
    const { m, id, t, verifier, before } = disputed(true);
    const prover = (ETH * m.genesis.modules.slashing.proverShareBps) / 10_000n;
    expect(m.balance(SOLVER) - before.solver).toBe(ETH + prover);
    expect(m.slashCount(verifier)).toBe(1n);
    expect(m.view('getTask', [id]).status).toBe(Status.Committed);
    m.advanceTo(t.windowEnd + 1n);
    m.ok(OTHER, 'finalize', [id]);
    expect(m.view('scoreOf', [SOLVER])).toMatchObject({ disputesWon: 1n, tasksSolved: 1n });
    expect(m.view('scoreOf', [verifier])).toMatchObject({ disputesLost: 1n });
  });

  it('solver loses: slashed (prover share to the challenger), bond returned, task reopened', () => {
    const { m, id, verifier, before } = disputed(false);
    const prover = (ETH * m.genesis.modules.slashing.proverShareBps) / 10_000n;
    expect(m.balance(verifier) - before.verifier).toBe(ETH + prover);
    expect(m.stake('stakeOf', SOLVER)).toBe(before.stake - ETH);
    expect(m.view('getTask', [id])).toMatchObject({ status: Status.Open, reopenCount: 1 });
    expect(m.view('scoreOf', [verifier])).toMatchObject({ disputesWon: 1n });
    expect(m.view('scoreOf', [SOLVER])).toMatchObject({ disputesLost: 1n });
  });
});
