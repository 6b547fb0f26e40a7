// The dispute game's levels: opening, roots, reveals, the n-ary descent, locating the disputed
// segment, step and op, chess clocks, timeouts and the verdict. The referee (level 4) is referee.ts.
import { getAbiItem } from 'viem';
import { hexToBytes, type Hex } from '../../crypto/hash.ts';
import { treeDepth, verifyMerkleProof } from '../../merkle/tree.ts';
import { checkpointSteps, segmentSteps } from '../../training/commitments.ts';
import { graphOfStep } from '../../training/graph-of-step.ts';
import type { TaskSpec } from '../../training/spec.ts';
import type { Address } from '../../types.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { eventLog } from '../events.ts';
import type { CallContext, ModuleContext } from '../framework.ts';
import type { DisputeRequest } from '../task/expected.ts';
import { verdeAbi } from './abi.ts';
import { checkReveal, descend, type Descent } from './descent.ts';
import { verdeErrors } from './errors.ts';
import type { VerdeTasks } from './expected.ts';
import {
  Level, Outcome, disputeCount, getDispute, getTrail, setDispute, setDisputeCount, setDisputeOfTask, setTrail, type DisputeRecord, type OutcomeCode,
  type Trail,
} from './records.ts';

export const VERDE_ADDRESS = MODULE_ADDRESSES.verde;
export const ZERO: Hex = `0x${'00'.repeat(32)}`;
const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000';

const openedEvent = getAbiItem({ abi: verdeAbi, name: 'DisputeOpened' });
const rootEvent = getAbiItem({ abi: verdeAbi, name: 'RootPosted' });
const revealedEvent = getAbiItem({ abi: verdeAbi, name: 'Revealed' });
const narrowedEvent = getAbiItem({ abi: verdeAbi, name: 'Narrowed' });
const locatedEvent = getAbiItem({ abi: verdeAbi, name: 'Located' });
const resolvedEvent = getAbiItem({ abi: verdeAbi, name: 'DisputeResolved' });

export type Role = 'solver' | 'challenger';

export function loadDispute(ctx: Pick<ModuleContext, 'store'>, id: bigint): DisputeRecord {
  const d = getDispute(ctx.store, id);
  if (d === undefined) throw verdeErrors.unknown(id);
  return d;
}

export function roleOf(d: DisputeRecord, caller: Address): Role {
  if (caller === d.solver) return 'solver';
  if (caller === d.challenger) return 'challenger';
  throw verdeErrors.notAParty(d.id, caller);
}

/** Charges `role` the blocks since the round began; reverts when its clock has run out. */
function spendClock(ctx: ModuleContext, d: DisputeRecord, role: Role): void {
  const elapsed = ctx.env.number - d.roundStart;
  const clock = role === 'solver' ? d.solverClock : d.challengerClock;
  if (elapsed > clock) throw verdeErrors.clockExpired(d.id, role === 'solver' ? d.solver : d.challenger);
  if (role === 'solver') {
    if (d.solverMoved) throw verdeErrors.alreadyMoved(d.id, d.solver);
    d.solverClock = clock - elapsed;
    d.solverMoved = true;
  } else {
    if (d.challengerMoved) throw verdeErrors.alreadyMoved(d.id, d.challenger);
    d.challengerClock = clock - elapsed;
    d.challengerMoved = true;
  }
  d.moves += 1;
}

function newRound(ctx: ModuleContext, d: DisputeRecord): void {
  d.solverMoved = false;
  d.challengerMoved = false;
  d.roundStart = ctx.env.number;
}

export function openDispute(ctx: ModuleContext, deps: { tasks: VerdeTasks }, req: DisputeRequest): bigint {
  const spec = deps.tasks.spec(ctx, req.taskId);
  const p = ctx.genesis.modules.verde;
  const id = disputeCount(ctx.store) + 1n;
  setDisputeCount(ctx.store, id);
  setDisputeOfTask(ctx.store, req.taskId, id);
  const whistle = req.segment === 0;
  const leafCount = whistle ? checkpointSteps(spec.steps, spec.checkpointInterval).length : segmentSteps(spec.steps, spec.checkpointInterval, req.segment).length;
  const d: DisputeRecord = {
    id,
    taskId: req.taskId,
    solver: req.solver,
    challenger: req.challenger,
    level: whistle ? Level.Checkpoints : Level.Steps,
    outcome: Outcome.Open,
    arity: Number(p.arity),
    segment: req.segment,
    step: 0n,
    op: 0,
    leafCount,
    height: whistle ? treeDepth(leafCount) : 0,
    index: 0,
    solverNode: whistle ? req.traceRoot : ZERO,
    challengerNode: whistle ? req.root : ZERO,
    solverRoot: whistle ? req.traceRoot : ZERO,
    challengerRoot: whistle ? req.root : ZERO,
    solverClaim: ZERO,
    challengerClaim: whistle ? ZERO : req.root,
    solverMoved: false,
    challengerMoved: false,
    solverClock: p.clockBlocks,
    challengerClock: p.clockBlocks,
    roundStart: ctx.env.number,
    rounds: 0,
    moves: 0,
    refereeLeaf: ZERO,
    reason: '',
  };
  setDispute(ctx.store, d);
  const trail: Trail = {
    entry: whistle ? 0 : 1, solverTrace: req.traceRoot, challengerTrace: whistle ? req.root : ZERO,
    solverSegment: ZERO, challengerSegment: ZERO, agreedState: ZERO, pending: [], pendingBy: ZERO_ADDRESS,
  };
  setTrail(ctx.store, id, trail);
  ctx.logs.push(eventLog(VERDE_ADDRESS, openedEvent, [id, req.taskId, req.solver, req.challenger, d.level, leafCount]));
  return id;
}

/** Levels 2 and 3 start with both parties posting the root of their tree for the located piece. */
export function postRoot(ctx: CallContext, deps: { tasks: VerdeTasks }, id: bigint, root: Hex, claim: Hex, claimProof: readonly Hex[], lastLeafProof: readonly Hex[]): void {
  const d = loadDispute(ctx, id);
  if (d.level !== Level.Steps && d.level !== Level.Ops) throw verdeErrors.wrongLevel(id, d.level, 'postRoot');
  const role = roleOf(d, ctx.caller);
  const mine = role === 'solver' ? d.solverRoot : d.challengerRoot;
  if (mine !== ZERO) throw verdeErrors.alreadyMoved(id, ctx.caller);
  if (root === ZERO) throw verdeErrors.badRoot('zero root');
  spendClock(ctx, d, role);
  if (d.level === Level.Steps) {
    const proof = { index: d.leafCount - 1, siblings: lastLeafProof.map((h) => hexToBytes(h)) };
    if (!verifyMerkleProof(hexToBytes(root), hexToBytes(claim), proof, d.leafCount)) throw verdeErrors.badRoot('claim is not the last leaf of the segment root');
    const stored = role === 'solver' ? d.solverClaim : d.challengerClaim;
    if (stored !== ZERO && stored !== claim) throw verdeErrors.badRoot(`the segment must end at the party's checkpoint ${stored}`);
    if (stored === ZERO) {
      // the solver, in a dispute that began at a segment: its checkpoint comes from its traceRoot
      const spec = deps.tasks.spec(ctx, d.taskId);
      const trail = getTrail(ctx.store, id);
      const count = checkpointSteps(spec.steps, spec.checkpointInterval).length;
      const cp = { index: d.segment, siblings: claimProof.map((h) => hexToBytes(h)) };
      if (!verifyMerkleProof(hexToBytes(trail.solverTrace), hexToBytes(claim), cp, count)) throw verdeErrors.badRoot(`claim is not leaf ${d.segment} of the solver's traceRoot`);
      d.solverClaim = claim;
    }
  }
  if (role === 'solver') d.solverRoot = root;
  else d.challengerRoot = root;
  ctx.logs.push(eventLog(VERDE_ADDRESS, rootEvent, [id, ctx.caller, d.level, root]));
  if (d.solverRoot !== ZERO && d.challengerRoot !== ZERO) {
    newRound(ctx, d);
    if (d.solverRoot === d.challengerRoot) {
      if (d.level === Level.Steps) {
        resolve(ctx, deps, d, Outcome.SolverWon, "the challenger's segment root equals the solver's");
        return;
      }
      // equal op roots: the state-output leaves decide (proveOutputs); height stays 0
    } else {
      d.height = treeDepth(d.leafCount);
      d.index = 0;
      d.solverNode = d.solverRoot;
      d.challengerNode = d.challengerRoot;
    }
  }
  setDispute(ctx.store, d);
}

export function reveal(ctx: CallContext, deps: { tasks: VerdeTasks }, id: bigint, children: readonly Hex[]): void {
  const d = loadDispute(ctx, id);
  if (d.level > Level.Ops) throw verdeErrors.wrongLevel(id, d.level, 'reveal');
  if (d.height === 0 || d.solverRoot === ZERO || d.challengerRoot === ZERO) throw verdeErrors.badReveal('no descent under way (roots not posted yet)');
  const role = roleOf(d, ctx.caller);
  spendClock(ctx, d, role);
  const desc: Descent = { height: d.height, index: d.index, a: hexToBytes(d.solverNode), b: hexToBytes(d.challengerNode) };
  const kids = children.map((h) => hexToBytes(h));
  if (!checkReveal(desc, d.arity, role === 'solver' ? desc.a : desc.b, kids)) {
    throw verdeErrors.badReveal(`the ${children.length} children do not hash to the party's node at height ${d.height}, index ${d.index}`);
  }
  ctx.logs.push(eventLog(VERDE_ADDRESS, revealedEvent, [id, ctx.caller, d.level, d.height, d.index, children]));
  const trail = getTrail(ctx.store, id);
  if (!(d.solverMoved && d.challengerMoved)) {
    setTrail(ctx.store, id, { ...trail, pending: [...children], pendingBy: ctx.caller });
    setDispute(ctx.store, d);
    return;
  }
  const other = trail.pending.map((h) => hexToBytes(h));
  const next = role === 'solver' ? descend(desc, d.arity, kids, other) : descend(desc, d.arity, other, kids);
  setTrail(ctx.store, id, { ...trail, pending: [], pendingBy: ZERO_ADDRESS });
  d.height = next.height;
  d.index = next.index;
  d.solverNode = bytesHex(next.a);
  d.challengerNode = bytesHex(next.b);
  d.rounds += 1;
  newRound(ctx, d);
  ctx.logs.push(eventLog(VERDE_ADDRESS, narrowedEvent, [id, d.level, d.height, d.index, d.solverNode, d.challengerNode]));
  if (d.height === 0) located(ctx, deps, d);
  else setDispute(ctx.store, d);
}

function bytesHex(b: Uint8Array): Hex {
  return `0x${Buffer.from(b).toString('hex')}`;
}

/** The descent reached a leaf: move to the next level, or to the referee. */
function located(ctx: ModuleContext, deps: { tasks: VerdeTasks }, d: DisputeRecord): void {
  const leaf = d.index;
  ctx.logs.push(eventLog(VERDE_ADDRESS, locatedEvent, [d.id, d.level, leaf]));
  if (leaf >= d.leafCount) {
    // past the real leaves an honest tree holds zero padding
    const solverBad = d.solverNode !== ZERO;
    const challengerBad = d.challengerNode !== ZERO;
    const outcome = solverBad && challengerBad ? Outcome.BothLost : solverBad ? Outcome.ChallengerWon : Outcome.SolverWon;
    resolve(ctx, deps, d, outcome, `leaf ${leaf} is padding and must be zero`);
    return;
  }
  const spec = deps.tasks.spec(ctx, d.taskId);
  const trail = getTrail(ctx.store, d.id);
  if (d.level === Level.Checkpoints) {
    d.solverClaim = d.solverNode;
    d.challengerClaim = d.challengerNode;
    if (leaf === 0) {
      // C_0 differs: dispute the initialisation's ops directly
      enterOps(ctx, d, spec, 0);
    } else {
      d.level = Level.Steps;
      d.segment = leaf;
      d.leafCount = segmentSteps(spec.steps, spec.checkpointInterval, leaf).length;
      d.solverRoot = ZERO;
      d.challengerRoot = ZERO;
    }
  } else if (d.level === Level.Steps) {
    setTrail(ctx.store, d.id, { ...trail, solverSegment: d.solverRoot, challengerSegment: d.challengerRoot });
    d.solverClaim = d.solverNode;
    d.challengerClaim = d.challengerNode;
    enterOps(ctx, d, spec, segmentSteps(spec.steps, spec.checkpointInterval, d.segment)[leaf]);
  } else {
    d.level = Level.Referee;
    d.op = leaf;
  }
  d.height = 0;
  d.index = 0;
  newRound(ctx, d);
  setDispute(ctx.store, d);
}

function enterOps(ctx: ModuleContext, d: DisputeRecord, spec: TaskSpec, step: number): void {
  d.level = Level.Ops;
  d.step = BigInt(step);
  d.leafCount = graphOfStep(spec, step).ops.length;
  d.solverRoot = ZERO;
  d.challengerRoot = ZERO;
  void ctx;
}

/** Anyone: resolves against a party whose clock ran out, or both when no one refereed in time. */
export function timeout(ctx: CallContext, deps: { tasks: VerdeTasks }, id: bigint): void {
  const d = loadDispute(ctx, id);
  if (d.level === Level.Resolved) throw verdeErrors.wrongLevel(id, d.level, 'timeout');
  const elapsed = ctx.env.number - d.roundStart;
  const waitingForBoth = d.level === Level.Referee || (d.level === Level.Ops && d.solverRoot !== ZERO && d.solverRoot === d.challengerRoot);
  if (waitingForBoth) {
    // the honest party can always prove the inputs; if no one did, both failed to defend their claim
    if (elapsed <= ctx.genesis.modules.verde.clockBlocks) throw verdeErrors.notTimedOut(id);
    resolve(ctx, deps, d, Outcome.BothLost, 'no one completed the referee step in time');
    return;
  }
  const solverLate = !d.solverMoved && elapsed > d.solverClock;
  const challengerLate = !d.challengerMoved && elapsed > d.challengerClock;
  if (!solverLate && !challengerLate) throw verdeErrors.notTimedOut(id);
  const outcome = solverLate && challengerLate ? Outcome.BothLost : solverLate ? Outcome.ChallengerWon : Outcome.SolverWon;
  resolve(ctx, deps, d, outcome, `${solverLate && challengerLate ? 'both clocks' : solverLate ? "the solver's clock" : "the challenger's clock"} ran out`);
}

export function resolve(ctx: ModuleContext, deps: { tasks: VerdeTasks }, d: DisputeRecord, outcome: Exclude<OutcomeCode, 0>, reason: string): void {
  d.level = Level.Resolved;
  d.outcome = outcome;
  d.reason = reason;
  setDispute(ctx.store, d);
  ctx.logs.push(eventLog(VERDE_ADDRESS, resolvedEvent, [d.id, d.taskId, outcome, reason]));
  deps.tasks.resolveDispute(ctx, d.taskId, outcome, ctx.genesis.modules.verde.challengerSlash);
}
