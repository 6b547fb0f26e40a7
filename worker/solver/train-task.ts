// Trains a task's spec with RepOps into the worker's checkpoint store, one checkpoint segment at a
// time, so that (1) the event loop runs between segments (the checkpoint server and the event
// follower stay responsive) and (2) a killed worker resumes from its newest stored checkpoint: the
// run manifest (runs/<specHash>.json) lists the checkpoints written so far and is replaced
// atomically after each one. Replay is exact, so a resumed run commits the same traceRoot.
import { bytesToHex, hexToBytes, type Hex } from '../../state-machine/crypto/hash.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { checkpointSteps, traceTree } from '../../state-machine/training/commitments.ts';
import type { RunManifest } from '../store/checkpoint-store.ts';
import { evaluate } from '../trainer/evaluate.ts';
import { initialState, train } from '../trainer/train.ts';
import { ProgressBar } from '../cli/progress.ts';
import { sleep, yieldToLoop, type WorkerContext } from '../chain/context.ts';
import type { TaskInputs } from './task-inputs.ts';
import type { LossPoint } from '../chain/losses.ts';

export interface SolvedTrace {
  traceRoot: Hex;
  modelHash: Hex;
  /** C_0, C_k, …, C_T */
  roots: Hex[];
  /** the training loss at each checkpoint after C_0, as far as known */
  losses?: LossPoint[];
  testAccuracy?: number;
}

export interface TrainTaskOptions {
  /** draw a progress bar on stderr (a terminal only; a log gets one line at the end) */
  progress?: boolean;
  /** test only: pause after each segment (lets a test kill the worker mid-training) */
  segmentDelayMs?: number;
}

/** The complete trace a manifest records, if every checkpoint of it is still in the store. */
export function storedTrace(ctx: WorkerContext, specHash: Hex, steps: number, interval: number): SolvedTrace | null {
  const m = ctx.store.readManifest(specHash);
  const marks = checkpointSteps(steps, interval);
  if (!m?.traceRoot || !m.modelHash || m.checkpoints.length !== marks.length) return null;
  if (!m.checkpoints.every((c, i) => c.step === marks[i] && ctx.store.has(c.root))) return null;
  return { traceRoot: m.traceRoot, modelHash: m.modelHash, roots: m.checkpoints.map((c) => c.root), testAccuracy: m.testAccuracy, losses: lossesOf(m.checkpoints) };
}

function lossesOf(checkpoints: RunManifest['checkpoints']): LossPoint[] {
  return checkpoints.flatMap((c) => (c.loss === undefined ? [] : [{ step: c.step, loss: c.loss }]));
}

/** Trains (or resumes) the task; null when the worker is shutting down before the end. */
export async function trainTask(ctx: WorkerContext, inputs: TaskInputs, o: TrainTaskOptions = {}): Promise<SolvedTrace | null> {
  const { spec, dataset, specHash } = inputs;
  const { store, backend, log, metrics } = ctx;
  const known = storedTrace(ctx, specHash, spec.steps, spec.checkpointInterval);
  if (known) return known;

  const marks = checkpointSteps(spec.steps, spec.checkpointInterval);
  const base: Omit<RunManifest, 'checkpoints'> = { specHash, steps: spec.steps, checkpointInterval: spec.checkpointInterval, backend: backend.name };
  const done: RunManifest['checkpoints'] = [];
  for (const c of store.readManifest(specHash)?.checkpoints ?? []) {
    if (c.step !== marks[done.length] || !store.has(c.root)) break;
    done.push(c);
  }
  let state: Tensor[];
  if (done.length === 0) {
    state = initialState(spec, backend, dataset);
    done.push({ step: 0, root: store.put(state) });
    store.writeManifest({ ...base, checkpoints: done });
  } else {
    state = store.get(done[done.length - 1].root);
    log.info({ specHash, step: done[done.length - 1].step, of: spec.steps }, 'resuming training from a stored checkpoint');
  }

  const bar = o.progress ? new ProgressBar(spec.steps) : null;
  let lastLoss = NaN;
  while (done.length < marks.length) {
    if (ctx.stopping()) {
      store.flush();
      return null;
    }
    const from = done[done.length - 1].step;
    const until = marks[done.length];
    const started = performance.now();
    const r = train({
      spec,
      dataset,
      backend,
      from: { step: from, state },
      untilStep: until,
      commit: false,
      skipEval: true,
      onStep: (t, loss) => {
        lastLoss = loss;
        bar?.update(t, loss);
      },
    });
    state = r.finalState;
    done.push({ step: until, root: store.put(state), loss: lastLoss });
    store.writeManifest({ ...base, checkpoints: done });
    store.flush();
    const seconds = (performance.now() - started) / 1000;
    metrics.trainingSteps.inc(until - from);
    metrics.stepsPerSecond.set((until - from) / Math.max(seconds, 1e-9));
    log.debug({ specHash, step: until, of: spec.steps, loss: lastLoss }, 'checkpoint stored');
    await yieldToLoop();
    if (o.segmentDelayMs) await sleep(o.segmentDelayMs);
  }
  bar?.finish(spec.steps, lastLoss);
  const traceRoot = bytesToHex(traceTree(done.map((c) => hexToBytes(c.root))).root);
  const modelHash = done[done.length - 1].root;
  const testAccuracy = evaluate(spec, state, dataset.data, backend);
  store.writeManifest({ ...base, checkpoints: done, traceRoot, modelHash, testAccuracy });
  store.flush();
  return { traceRoot, modelHash, roots: done.map((c) => c.root), testAccuracy, losses: lossesOf(done) };
}
