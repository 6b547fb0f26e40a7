// The ops of "step t" as a dispute sees them: the step graph for t ≥ 1, and for t = 0 the
// initialisation that produces C_0 from the seed (its ops read no state and no data).
import type { StepGraph } from './graph.ts';
import { initGraph } from './init.ts';
import type { TaskSpec } from './spec.ts';
import { stateLayout, stepGraph } from './step-graph.ts';

export function graphOfStep(spec: TaskSpec, t: number): StepGraph {
  if (t > 0) return stepGraph(spec, t);
  return { step: 0, ops: initGraph(spec), lossOp: -1, stateCount: stateLayout(spec).length };
}
