// The dispute's step level: C_t for every step of one checkpoint segment, recomputed from the
// segment's starting checkpoint, and their Merkle root. Its last leaf is the segment's committed
// checkpoint, which ties the segment root to traceRoot.
import { bytesToHex, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { MerkleTree } from '../../state-machine/merkle/tree.ts';
import type { Backend } from '../../state-machine/repops/backend.ts';
import { segmentSteps, stateRoot } from '../../state-machine/training/commitments.ts';
import { TrainingError } from '../../state-machine/training/errors.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import type { CommittedDataset } from '../datasets/load.ts';
import { stateAt } from './state-at.ts';
import { train } from './train.ts';

export interface SegmentCommitment {
  segment: number;
  steps: number[];
  /** C_t of each step, in step order */
  roots: Hex[];
  /** merkleRoot(roots) */
  root: Hex;
  tree: MerkleTree;
}

export function segmentCommitment(
  spec: TaskSpec,
  dataset: CommittedDataset,
  backend: Backend,
  segment: number,
  store?: CheckpointStore,
): SegmentCommitment {
  const steps = segmentSteps(spec.steps, spec.checkpointInterval, segment);
  if (steps.length === 0) throw new TrainingError('STEP_RANGE', `segment ${segment} does not exist`);
  const start = stateAt(spec, dataset, backend, steps[0] - 1, store);
  const leaves: Bytes[] = [];
  train({
    spec,
    dataset,
    backend,
    from: { step: start.step, state: start.state },
    untilStep: steps[steps.length - 1],
    commit: false,
    skipEval: true,
    onStepState: (_t, state) => leaves.push(stateRoot(state)),
  });
  const tree = new MerkleTree(leaves);
  return { segment, steps, roots: leaves.map((l) => bytesToHex(l)), root: bytesToHex(tree.root), tree };
}
