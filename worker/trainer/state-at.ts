// The training state after any step: from the newest stored checkpoint at or before it (or C_0),
// replaying the steps in between. Replay is exact, so the result equals what training produced.
import type { Hex } from '../../state-machine/crypto/hash.ts';
import type { Backend } from '../../state-machine/repops/backend.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { specHashHex } from '../../state-machine/training/spec-validate.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import type { CommittedDataset } from '../datasets/load.ts';
import { initialState, train } from './train.ts';

export interface StateAt {
  step: number;
  state: Tensor[];
  /** the checkpoint replay started from (step 0 without a store hit) */
  from: { step: number; root?: Hex };
}

export function stateAt(spec: TaskSpec, dataset: CommittedDataset, backend: Backend, step: number, store?: CheckpointStore): StateAt {
  let from: { step: number; root?: Hex } = { step: 0 };
  let state: Tensor[] | undefined;
  const manifest = store?.readManifest(specHashHex(spec));
  if (store && manifest) {
    const usable = manifest.checkpoints.filter((c) => c.step <= step && store.has(c.root));
    const best = usable[usable.length - 1];
    if (best) {
      from = { step: best.step, root: best.root };
      state = store.get(best.root);
    }
  }
  state ??= initialState(spec, backend, dataset);
  if (from.step === step) return { step, state, from };
  const r = train({ spec, dataset, backend, from: { step: from.step, state }, untilStep: step, commit: false, skipEval: true });
  return { step, state: r.finalState, from };
}
