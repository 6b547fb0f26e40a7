// A cheating solver's training (`verity worker --misbehave MODE`, tests and demos only): the run is
// computed by the dispute Party with the cheat applied, its checkpoints kept in the store (so the
// cheater serves them like an honest solver), and the claimed roots committed. `lazy` trains
// nothing and commits a made-up traceRoot.
import { bytesToHex, sha256, uintToBytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { checkpointSteps } from '../../state-machine/training/commitments.ts';
import type { WorkerContext } from '../chain/context.ts';
import type { Misbehaviour } from '../dispute/behaviour.ts';
import { Party } from '../dispute/party.ts';
import type { TaskInputs } from './task-inputs.ts';
import type { SolvedTrace } from './train-task.ts';

const TRAINING_CHEATS = new Set(['op', 'checkpoint', 'skip', 'data', 'lazy']);

export function isTrainingCheat(b: Misbehaviour): boolean {
  return TRAINING_CHEATS.has(b.kind);
}

export function cheatTrace(ctx: WorkerContext, inputs: TaskInputs, b: Misbehaviour, taskId: bigint): SolvedTrace {
  const { spec, dataset } = inputs;
  ctx.log.warn({ task: taskId.toString(), misbehave: b }, 'MISBEHAVING: committing a cheat (test/demo mode)');
  if (b.kind === 'lazy') {
    const made: Hex = bytesToHex(sha256(new TextEncoder().encode('lazy'), uintToBytes(taskId, 32)));
    return { traceRoot: made, modelHash: made, roots: [] };
  }
  const party = new Party(spec, dataset, ctx.backend, b);
  const steps = checkpointSteps(spec.steps, spec.checkpointInterval);
  // a made-up checkpoint (`checkpoint:T`) has no tensors behind its root: that one cannot be served
  for (const t of steps) ctx.store.put(party.stateAfter(t));
  ctx.store.flush();
  const tree = party.traceTree();
  return { traceRoot: bytesToHex(tree.root), modelHash: party.claim(spec.steps), roots: steps.map((t) => party.claim(t)) };
}
