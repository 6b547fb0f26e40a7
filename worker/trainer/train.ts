// The training loop: C_0 from the seed, then the spec's step graph for t = 1 … T on the chosen
// backend, committing C_t at every checkpoint step (0, k, 2k, …, T) into the checkpoint store, and
// traceRoot over those roots. Test accuracy is measured on the test split after the last step.
import { bytesToHex, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import type { Backend } from '../../state-machine/repops/backend.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { checkpointSteps, stateRoot, traceTree } from '../../state-machine/training/commitments.ts';
import { runOps, type OpVisitor } from '../../state-machine/training/executor.ts';
import { StepRunner } from '../../state-machine/training/step-runner.ts';
import { initGraph } from '../../state-machine/training/init.ts';
import { specHashHex } from '../../state-machine/training/spec-validate.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import { stepGraph } from '../../state-machine/training/step-graph.ts';
import type { CheckpointStore } from '../store/checkpoint-store.ts';
import type { CommittedDataset } from '../datasets/load.ts';
import { dataSource } from '../datasets/gather.ts';
import { evaluate } from './evaluate.ts';

export interface TrainOptions {
  spec: TaskSpec;
  dataset: CommittedDataset;
  backend: Backend;
  /** where checkpoints and the run manifest go; without one they are hashed but not kept */
  store?: CheckpointStore;
  /** false: skip every commitment (bench: time without tracing) */
  commit?: boolean;
  /** stop after this step (default T); the result then has no traceRoot */
  untilStep?: number;
  /** start from a known state at step `from.step` instead of C_0 */
  from?: { step: number; state: Tensor[] };
  onStep?: (t: number, loss: number) => void;
  /** sees the state after every step; its buffers are reused two steps later (copy to keep) */
  onStepState?: (t: number, state: readonly Tensor[]) => void;
  /** sees every op of every step as it runs */
  onOp?: (t: number, ...args: Parameters<OpVisitor>) => void;
  /** skip the test-split evaluation */
  skipEval?: boolean;
}

export interface TrainResult {
  specHash: Hex;
  backend: string;
  steps: number;
  checkpoints: { step: number; root: Hex }[];
  /** merkleRoot(C_0, C_k, …, C_T); absent when training stopped early or commit was off */
  traceRoot?: Hex;
  /** C_T */
  modelHash?: Hex;
  finalState: Tensor[];
  finalLoss: number;
  losses: number[];
  testAccuracy?: number;
}

export function initialState(spec: TaskSpec, backend: Backend, data: CommittedDataset): Tensor[] {
  return runOps(backend, initGraph(spec), [], dataSource(data.data));
}

export function train(o: TrainOptions): TrainResult {
  const { spec, backend } = o;
  const commit = o.commit ?? true;
  const until = o.untilStep ?? spec.steps;
  const data = dataSource(o.dataset.data);
  const marks = new Set(checkpointSteps(spec.steps, spec.checkpointInterval));
  const checkpoints: { step: number; root: Hex }[] = [];
  const manifestBase = { specHash: specHashHex(spec), steps: spec.steps, checkpointInterval: spec.checkpointInterval, backend: backend.name };
  const roots: Bytes[] = [];
  const keep = (t: number, state: Tensor[]) => {
    if (!commit || !marks.has(t)) return;
    const root = stateRoot(state);
    roots.push(root);
    const hex = bytesToHex(root);
    checkpoints.push({ step: t, root: hex });
    if (o.store) {
      o.store.put(state, hex);
      o.store.writeManifest({ ...manifestBase, checkpoints });
    }
  };

  const start = o.from?.step ?? 0;
  let state = o.from?.state ?? initialState(spec, backend, o.dataset);
  if (o.from === undefined) keep(0, state);
  const losses: number[] = [];
  const runner = new StepRunner(backend, data);
  for (let t = start + 1; t <= until; t++) {
    const visit: OpVisitor | undefined = o.onOp ? (...a) => o.onOp?.(t, ...a) : undefined;
    const r = runner.run(stepGraph(spec, t), state, visit);
    state = r.state;
    losses.push(r.loss);
    keep(t, state);
    o.onStepState?.(t, state);
    o.onStep?.(t, r.loss);
  }
  const complete = commit && start === 0 && until === spec.steps;
  const result: TrainResult = {
    specHash: specHashHex(spec),
    backend: backend.name,
    steps: until,
    checkpoints,
    finalState: state,
    finalLoss: losses.length > 0 ? losses[losses.length - 1] : NaN,
    losses,
  };
  if (complete) {
    result.traceRoot = bytesToHex(traceTree(roots).root);
    result.modelHash = checkpoints[checkpoints.length - 1].root;
  }
  if (!o.skipEval) result.testAccuracy = evaluate(spec, state, o.dataset.data, backend);
  if (complete && o.store) {
    o.store.writeManifest({ ...manifestBase, checkpoints, traceRoot: result.traceRoot, modelHash: result.modelHash, testAccuracy: result.testAccuracy });
  }
  o.store?.flush();
  return result;
}
