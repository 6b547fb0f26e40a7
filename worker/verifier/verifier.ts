// The verifier role. On TaskCommitted it waits until the block passes drawBlock, draws if nobody
// has, and for each segment i it was drawn for:
//   1. gets C_{(i-1)k}: C_0 from the spec; else a checkpoint it already proved (its own re-run, an
//      earlier fetch); else from the solver's server (hostile: fetch-checkpoint.ts, with retries);
//      else forces it on chain (requestData), waits for DataPosted and rebuilds it from the
//      CheckpointData events; resolveData when the solver lets the deadline pass;
//   2. re-runs the segment's steps and computes C_{ik};
//   3. gets the proof of checkpoint leaf i (solver, or its own complete re-run when that matches
//      traceRoot) and attests when the solver's leaf i equals its C_{ik}, else challenges with the bond.
// After the window it finalizes (the solver usually does first). When it challenged, it plays the
// dispute game (worker/dispute) from its own computation. With --misbehave false-challenge (tests
// and demos only) it challenges an honest result.
import { bytesToHex, hexToBytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { MerkleTree } from '../../state-machine/merkle/tree.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { stateRoot } from '../../state-machine/training/commitments.ts';
import { stateLayout } from '../../state-machine/training/step-graph.ts';
import { TaskStatus, type ChainTask, type TaskEvent } from '../chain/client.ts';
import { sendLogged, yieldToLoop, type WorkerContext } from '../chain/context.ts';
import { reportLosses, type LossPoint } from '../chain/losses.ts';
import type { JobResult } from '../chain/scheduler.ts';
import { TaskRole } from '../chain/role.ts';
import type { VerifierTaskRecord } from '../chain/worker-state.ts';
import type { TaskInputs } from '../solver/task-inputs.ts';
import { trainTask } from '../solver/train-task.ts';
import { initialState, train } from '../trainer/train.ts';
import { CheckpointFetchError, fetchLeaf, fetchState, withRetries, type FetchLimits, type ProvenLeaf } from './fetch-checkpoint.ts';
import { checkpointFromChain } from './onchain-checkpoint.ts';
import type { Misbehaviour } from '../dispute/behaviour.ts';
import { DisputeDriver } from '../dispute/driver.ts';
import { Party } from '../dispute/party.ts';

export interface VerifierOptions {
  /** value sent with challenge(): the chain's challengeBond (read from the chain when absent) */
  challengeBond?: bigint;
  /** --misbehave: a verifier that challenges honest results (never set on a default path) */
  behaviour?: Misbehaviour;
  fetch: FetchLimits;
  /** extra tries per fetch from the solver */
  retries: number;
  retryDelayMs: number;
}

/** The solver's checkpoint leaf equals this worker's re-run: attest with this proof. */
interface Match {
  kind: 'match';
  segment: number;
  root: Hex;
  siblings: Uint8Array[];
}

/** It differs: challenge `challengeSegment` (0: the whole trace) with this worker's root. */
interface Mismatch {
  kind: 'mismatch';
  segment: number;
  challengeSegment: number;
  ours: Hex;
  theirs: Hex;
}

/** when the worker did not see a DataRequested, how far before DataPosted to look for it */
const DATA_LOOKBACK = 2_000n;

export class Verifier extends TaskRole {
  /** traceRoot → checkpoint leaf → a root proven to be that leaf */
  private readonly proven = new Map<Hex, Map<number, Hex>>();
  /** traceRoot → this worker's own complete trace, when it equals the committed one */
  private readonly ownTraces = new Map<Hex, MerkleTree>();
  private readonly announced = new Set<bigint>();
  /** per task: losses of segments re-run and not yet reported */
  private readonly rerunLosses = new Map<bigint, LossPoint[]>();
  /** traceRoot → checkpoint leaf → its proof from the solver (a spot-check dispute starts there) */
  private readonly leafProofs = new Map<Hex, Map<number, Hex[]>>();
  private readonly disputes: DisputeDriver;

  constructor(
    ctx: WorkerContext,
    private readonly o: VerifierOptions,
  ) {
    super(ctx, 'verifier');
    this.disputes = new DisputeDriver(ctx, o.behaviour);
  }

  private async bond(): Promise<bigint> {
    return this.o.challengeBond ?? (await this.ctx.client.challengeBond());
  }

  /** This worker's side of the dispute it opened: the whole run, or one segment from the solver's checkpoint. */
  private async challengerParty(t: ChainTask, rec: VerifierTaskRecord): Promise<Party | null> {
    const inputs = await this.inputsFor(t.id);
    const c = rec.challenge;
    if ('error' in inputs || c === undefined) return null;
    const { spec, dataset } = inputs;
    const lie: Misbehaviour | undefined = this.o.behaviour?.kind === 'false-challenge' ? { kind: 'checkpoint', step: Math.min(c.segment * spec.checkpointInterval, spec.steps) } : undefined;
    if (c.segment === 0) return new Party(spec, dataset, this.ctx.backend, lie);
    const step = (c.segment - 1) * spec.checkpointInterval;
    const state = c.segment === 1 ? initialState(spec, this.ctx.backend, dataset) : c.startRoot && this.ctx.store.has(c.startRoot) ? this.ctx.store.get(c.startRoot) : null;
    if (state === null) return null;
    return new Party(spec, dataset, this.ctx.backend, lie, { step, state, proof: c.startProof ?? [] });
  }

  private record(id: bigint): VerifierTaskRecord | undefined {
    return this.ctx.state.data.verifying[id.toString()];
  }

  onEvent(e: TaskEvent): void {
    const id = e.args.taskId;
    const k = id.toString();
    const rec = this.record(id);
    switch (e.eventName) {
      case 'TaskCommitted':
        if (e.args.solver.toLowerCase() === this.me) return;
        this.ctx.state.data.verifying[k] ??= { segments: {}, requested: [], data: {} };
        this.touch(id);
        return;
      case 'DataRequested':
      case 'DataPosted':
        if (!rec) return;
        rec.data[e.args.leaf] ??= {};
        if (e.blockNumber !== null) rec.data[e.args.leaf][e.eventName === 'DataRequested' ? 'requestedAt' : 'postedAt'] = e.blockNumber.toString();
        this.touch(id);
        return;
      case 'VerifiersDrawn':
      case 'TaskFinalized':
      case 'TaskReopened':
      case 'TaskExpired':
      case 'TaskRefunded':
      case 'Challenged':
      case 'DisputeResolved':
        if (rec) this.touch(id);
        return;
      default:
        return;
    }
  }

  async resume(scanLast = 256n): Promise<void> {
    for (const k of Object.keys(this.ctx.state.data.verifying)) this.touch(BigInt(k));
    const count = await this.ctx.client.taskCount();
    for (let id = count > scanLast ? count - scanLast + 1n : 1n; id <= count; id++) {
      if (this.record(id)) continue;
      const t = await this.ctx.client.getTask(id);
      if (t.status === TaskStatus.Committed && t.solver.toLowerCase() !== this.me) {
        this.ctx.state.data.verifying[id.toString()] = { segments: {}, requested: [], data: {} };
        this.touch(id);
      }
    }
    this.ctx.state.save();
  }

  private finish(id: bigint, outcome: string): JobResult {
    if (this.record(id)) {
      this.ctx.state.finish(id, 'verifier', outcome);
      this.ctx.state.save();
      this.ctx.metrics.tasks.inc({ role: 'verifier', outcome });
      this.ctx.log.info({ task: id.toString(), outcome }, 'verifier finished task');
    }
    this.forgetInputs(id);
    return { done: true };
  }

  private prove(traceRoot: Hex, leaf: number, root: Hex): void {
    let m = this.proven.get(traceRoot);
    if (!m) this.proven.set(traceRoot, (m = new Map()));
    m.set(leaf, root);
  }

  async reconcile(id: bigint, head: bigint): Promise<JobResult> {
    let t = await this.ctx.client.getTask(id);
    const rec = this.record(id);
    if (!rec) return { done: true };
    if (t.solver.toLowerCase() === this.me) return this.finish(id, 'own-task');
    if (t.status === TaskStatus.Finalized) {
      const mine = Object.values(rec.segments);
      return this.finish(id, mine.length > 0 && mine.every((s) => s === 'attested') ? 'attested' : 'finalized');
    }
    if (t.status !== TaskStatus.Committed && t.status !== TaskStatus.Disputed) {
      return this.finish(id, t.status === TaskStatus.Open ? 'reopened' : t.status === TaskStatus.Expired ? 'expired' : 'ended');
    }
    const fields = { task: id.toString() };
    if (!t.drawn) {
      if (head <= t.drawBlock) return { wakeAt: t.drawBlock + 1n };
      const out = await sendLogged(this.ctx, { functionName: 'draw', args: [id] }, fields);
      if (!out.ok && out.error === 'TooEarly') return { wakeAt: head + 1n };
      // AlreadyDone: someone else drew first, which is just as good
      t = await this.ctx.client.getTask(id);
      if (!t.drawn) return { wakeAt: head + 1n };
    }
    if (t.status === TaskStatus.Disputed && t.challenger.toLowerCase() === this.me) {
      return this.disputes.play(t, 'challenger', () => this.challengerParty(t, rec), head);
    }
    const v = t.verifiers.findIndex((a) => a.toLowerCase() === this.me);
    if (v < 0) return this.finish(id, 'not-drawn');
    if (t.status === TaskStatus.Disputed) return { idle: true };
    if (this.o.behaviour?.kind === 'false-challenge' && rec.challenge === undefined) return this.falseChallenge(t, t.verifierSegments[v][0], rec, head);
    const segments = t.verifierSegments[v];
    if (t.verifierStatus[v] === 0) {
      const todo = segments.filter((seg) => rec.segments[seg] === undefined);
      if (!this.announced.has(id)) this.ctx.log.info({ ...fields, segments }, 'drawn to verify');
      this.announced.add(id);
      // re-run the segments in order (each may start where the previous one ended), then send
      // every attestation at once: they are independent, so they can land in one block
      const matches: Match[] = [];
      for (const seg of todo) {
        const r = await this.checkSegment(t, seg, rec, head);
        if (r === 'waiting') break;
        if (r === 'failed') {
          rec.segments[seg] = 'failed';
          continue;
        }
        if (r.kind === 'mismatch') {
          await Promise.all(matches.map((m) => this.attest(t, m, rec)));
          rec.segments[seg] = await this.challenge(t, r, rec);
          this.ctx.state.save();
          return rec.segments[seg] === 'challenged' ? { idle: true } : { wakeAt: head + 1n };
        }
        matches.push(r);
        await yieldToLoop();
      }
      await Promise.all(matches.map((m) => this.attest(t, m, rec)));
      this.ctx.state.save();
      await this.reportRerunLosses(id, fields);
      if (segments.some((seg) => rec.segments[seg] === undefined)) return { wakeAt: head + 1n };
    }
    const now = await this.ctx.client.blockNumber();
    if (now <= t.windowEnd) return { wakeAt: t.windowEnd + 1n };
    const out = await sendLogged(this.ctx, { functionName: 'finalize', args: [id] }, fields);
    if (!out.ok && out.error === 'TooEarly') return { wakeAt: BigInt(out.args[1] as bigint) };
    return { wakeAt: now + 1n };
  }

  /** Re-runs segment i and compares its end with the solver's checkpoint leaf i. */
  private async checkSegment(t: ChainTask, i: number, rec: VerifierTaskRecord, head: bigint): Promise<Match | Mismatch | 'waiting' | 'failed'> {
    const fields = { task: t.id.toString(), segment: i };
    const inputs = await this.inputsFor(t.id);
    if ('error' in inputs) {
      this.ctx.log.error({ ...fields, reason: inputs.error }, 'drawn for a task this worker cannot re-run; it will be slashed as silent');
      return 'failed';
    }
    const { spec, dataset } = inputs;
    const start = await this.startState(t, i, inputs, rec, head);
    if (start === 'waiting' || start === 'failed') return start;

    const fromStep = (i - 1) * spec.checkpointInterval;
    const untilStep = Math.min(i * spec.checkpointInterval, spec.steps);
    const started = performance.now();
    const r = train({ spec, dataset, backend: this.ctx.backend, from: { step: fromStep, state: start }, untilStep, commit: false, skipEval: true });
    const seconds = (performance.now() - started) / 1000;
    this.ctx.metrics.trainingSteps.inc(untilStep - fromStep);
    this.ctx.metrics.stepsPerSecond.set((untilStep - fromStep) / Math.max(seconds, 1e-9));
    const mine = bytesToHex(stateRoot(r.finalState));
    this.ctx.store.put(r.finalState, mine);
    const loss = r.losses[r.losses.length - 1];
    if (loss !== undefined) this.rerunLosses.set(t.id, [...(this.rerunLosses.get(t.id) ?? []), { step: untilStep, loss }]);
    this.ctx.log.info({ ...fields, fromStep, untilStep, root: mine, seconds }, 're-ran segment');

    const leaf = await this.leafProof(t, i, inputs);
    if ('siblings' in leaf && leaf.root === mine) {
      this.prove(t.traceRoot, i, mine);
      return { kind: 'match', segment: i, root: mine, siblings: leaf.siblings };
    }
    // the solver's leaf i differs from ours; or, unproven, its whole trace differs from ours
    return 'siblings' in leaf
      ? { kind: 'mismatch', segment: i, challengeSegment: i, ours: mine, theirs: leaf.root }
      : { kind: 'mismatch', segment: i, challengeSegment: 0, ours: leaf.ownTraceRoot, theirs: t.traceRoot };
  }

  /** Publishes the losses of the segments re-run since the last report (for loss curves). */
  private async reportRerunLosses(id: bigint, fields: Record<string, unknown>): Promise<void> {
    const points = this.rerunLosses.get(id) ?? [];
    this.rerunLosses.delete(id);
    if (points.length === 0) return;
    await reportLosses(this.ctx, id, points, fields).catch((e: unknown) => {
      // kept for the next report (a node restart, say, is not the end of the curve)
      this.rerunLosses.set(id, [...points, ...(this.rerunLosses.get(id) ?? [])]);
      this.ctx.log.warn({ ...fields, err: e }, 'loss report failed');
    });
  }

  private async attest(t: ChainTask, m: Match, rec: VerifierTaskRecord): Promise<void> {
    const fields = { task: t.id.toString(), segment: m.segment };
    const out = await sendLogged(this.ctx, { functionName: 'attest', args: [t.id, m.segment, m.root, m.siblings.map((s) => bytesToHex(s))] }, fields);
    if (out.ok || out.error === 'AlreadyDone') {
      rec.segments[m.segment] = 'attested';
      this.ctx.log.info({ ...fields, root: m.root, ...(out.ok ? { block: out.blockNumber.toString() } : {}) }, 'attested');
    } else if (out.error === 'DeadlinePassed') {
      rec.segments[m.segment] = 'failed';
    }
    // anything else: left undone, tried again at the next look
  }

  private async challenge(t: ChainTask, m: Mismatch, rec: VerifierTaskRecord): Promise<'challenged' | 'mismatch' | 'failed'> {
    const fields = { task: t.id.toString(), segment: m.segment, challengeSegment: m.challengeSegment };
    this.ctx.log.warn({ ...fields, ours: m.ours, theirs: m.theirs }, 'result differs from the commitment; challenging');
    const i = m.challengeSegment;
    const startRoot = i > 1 ? this.proven.get(t.traceRoot)?.get(i - 1) : undefined;
    const startProof = i >= 1 ? await this.startProof(t, i - 1) : undefined;
    rec.challenge = { segment: i, ...(startRoot ? { startRoot } : {}), ...(startProof ? { startProof } : {}) };
    this.ctx.state.save();
    const out = await sendLogged(this.ctx, { functionName: 'challenge', args: [t.id, m.challengeSegment, m.ours], value: await this.bond() }, fields);
    if (out.ok) return 'challenged';
    if (out.error === 'DisputesUnavailable') {
      this.ctx.log.error(fields, 'cannot challenge: this chain runs no dispute game yet (DisputesUnavailable); not attesting this segment');
      return 'mismatch';
    }
    if (out.error === 'DeadlinePassed') return 'failed';
    throw new Error(`challenge reverted: ${out.message}`);
  }

  /** The solver's proof of checkpoint leaf `leaf` against traceRoot, kept from a fetch or fetched now. */
  private async startProof(t: ChainTask, leaf: number): Promise<Hex[] | undefined> {
    const known = this.leafProofs.get(t.traceRoot)?.get(leaf);
    if (known) return known;
    try {
      const p = await this.fromSolver(t, (limits) => fetchLeaf(t.endpoint, t.traceRoot, leaf, t.segments + 1, limits));
      return p.siblings.map((s) => bytesToHex(s));
    } catch {
      return undefined;
    }
  }

  /** --misbehave false-challenge: disputes an honest result at its first segment with a made-up checkpoint. */
  private async falseChallenge(t: ChainTask, segment: number, rec: VerifierTaskRecord, head: bigint): Promise<JobResult> {
    const inputs = await this.inputsFor(t.id);
    if ('error' in inputs) return this.finish(t.id, 'cannot-run');
    const start = await this.startState(t, segment, inputs, rec, head);
    if (start === 'waiting') return { wakeAt: head + 1n };
    if (start === 'failed') return this.finish(t.id, 'failed');
    const { spec, dataset } = inputs;
    const step = (segment - 1) * spec.checkpointInterval;
    const end = Math.min(segment * spec.checkpointInterval, spec.steps);
    const proof = (await this.startProof(t, segment - 1)) ?? [];
    const liar = new Party(spec, dataset, this.ctx.backend, { kind: 'checkpoint', step: end }, { step, state: start, proof });
    this.ctx.log.warn({ task: t.id.toString(), segment }, 'MISBEHAVING: challenging an honest result (test/demo mode)');
    rec.segments[segment] = await this.challenge(t, { kind: 'mismatch', segment, challengeSegment: segment, ours: liar.claim(end), theirs: t.traceRoot }, rec);
    this.ctx.state.save();
    return { wakeAt: head + 1n };
  }

  /** C_{(i-1)k}: from the spec, from what this worker already proved, from the solver, or from chain. */
  private async startState(t: ChainTask, i: number, inputs: TaskInputs, rec: VerifierTaskRecord, head: bigint): Promise<Tensor[] | 'waiting' | 'failed'> {
    const { spec, dataset } = inputs;
    if (i === 1) return initialState(spec, this.ctx.backend, dataset);
    const leaf = i - 1;
    const known = this.proven.get(t.traceRoot)?.get(leaf);
    if (known !== undefined && this.ctx.store.has(known)) return this.ctx.store.get(known);
    const layout = stateLayout(spec);
    try {
      const state = await this.fromSolver(t, (limits) =>
        fetchLeaf(t.endpoint, t.traceRoot, leaf, t.segments + 1, limits).then(async (p) => {
          const s = this.ctx.store.has(p.root) ? this.ctx.store.get(p.root) : await fetchState(t.endpoint, p.root, layout, limits);
          this.prove(t.traceRoot, leaf, p.root);
          let proofs = this.leafProofs.get(t.traceRoot);
          if (!proofs) this.leafProofs.set(t.traceRoot, (proofs = new Map()));
          proofs.set(leaf, p.siblings.map((x) => bytesToHex(x)));
          this.ctx.store.put(s, p.root);
          return s;
        }),
      );
      return state;
    } catch (e) {
      this.ctx.log.warn({ task: t.id.toString(), leaf, endpoint: t.endpoint, err: (e as Error).message }, 'solver did not serve the checkpoint; falling back to on-chain data');
    }
    return this.fromChain(t, i, inputs, rec, head);
  }

  private fromSolver<T>(t: ChainTask, fn: (limits: FetchLimits) => Promise<T>): Promise<T> {
    return withRetries(this.o.retries, this.o.retryDelayMs, () => fn(this.o.fetch), (e, attempt) => {
      const reason = e instanceof CheckpointFetchError ? e.reason : 'error';
      this.ctx.metrics.fetchFailures.inc({ reason });
      this.ctx.log.debug({ task: t.id.toString(), attempt, reason, err: (e as Error).message }, 'checkpoint fetch failed');
    });
  }

  private async fromChain(t: ChainTask, i: number, inputs: TaskInputs, rec: VerifierTaskRecord, head: bigint): Promise<Tensor[] | 'waiting' | 'failed'> {
    const id = t.id;
    const leaf = i - 1;
    const fields = { task: id.toString(), segment: i, leaf };
    const seen = rec.data[leaf];
    const ch = await this.ctx.client.dataChallengeOf(id);
    const postedAt = seen?.postedAt !== undefined ? BigInt(seen.postedAt) : !ch.open && ch.leaf === leaf && ch.postedAt > 0n ? ch.postedAt : undefined;
    if (postedAt !== undefined) {
      const from = seen?.requestedAt !== undefined ? BigInt(seen.requestedAt) : postedAt > DATA_LOOKBACK ? postedAt - DATA_LOOKBACK : 0n;
      const { root, state } = await checkpointFromChain(this.ctx.client, id, leaf, stateLayout(inputs.spec), from, postedAt);
      this.prove(t.traceRoot, leaf, root);
      this.ctx.store.put(state, root);
      this.ctx.log.info({ ...fields, root }, 'rebuilt the checkpoint from on-chain data');
      return state;
    }
    if (ch.open) {
      if (head <= ch.deadline) return 'waiting';
      const out = await sendLogged(this.ctx, { functionName: 'resolveData', args: [id] }, fields);
      if (out.ok) this.ctx.log.warn({ ...fields, deadline: ch.deadline.toString() }, 'solver let the data deadline pass; resolved (solver slashed)');
      return 'waiting';
    }
    if (rec.requested.includes(i)) return 'waiting';
    const out = await sendLogged(this.ctx, { functionName: 'requestData', args: [id, i] }, fields);
    if (out.ok) {
      rec.requested.push(i);
      this.ctx.state.save();
      this.ctx.log.warn({ ...fields }, 'forced the checkpoint on chain (requestData)');
      return 'waiting';
    }
    if (out.error === 'DataChallengeOpen' || out.error === 'AlreadyDone') return 'waiting';
    if (out.error === 'DeadlinePassed') return 'failed';
    throw new Error(`requestData reverted: ${out.message}`);
  }

  /** The solver's checkpoint leaf i with its proof, or this worker's own complete trace root when no proof is to be had. */
  private async leafProof(t: ChainTask, i: number, inputs: TaskInputs): Promise<ProvenLeaf | { ownTraceRoot: Hex }> {
    const own = this.ownTraces.get(t.traceRoot);
    if (own) return { leaf: i, root: bytesToHex(own.node(0, i)), siblings: own.proof(i).siblings };
    try {
      return await this.fromSolver(t, (limits) => fetchLeaf(t.endpoint, t.traceRoot, i, t.segments + 1, limits));
    } catch (e) {
      this.ctx.log.warn({ task: t.id.toString(), leaf: i, err: (e as Error).message }, 'solver did not serve the leaf proof; re-running the whole task to prove it');
    }
    const trace = await trainTask(this.ctx, inputs);
    if (trace === null) throw new Error('stopping');
    if (trace.traceRoot !== t.traceRoot) return { ownTraceRoot: trace.traceRoot };
    const tree = new MerkleTree(trace.roots.map(hexToBytes));
    this.ownTraces.set(t.traceRoot, tree);
    trace.roots.forEach((root, leaf) => this.prove(t.traceRoot, leaf, root));
    return { leaf: i, root: trace.roots[i], siblings: tree.proof(i).siblings };
  }
}
