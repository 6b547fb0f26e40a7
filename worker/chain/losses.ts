// Loss reports (ITask.reportLosses): the losses a worker computed, published for dashboards as
// float32 bit patterns (the chain never does floating point). Best effort: a report that fails is
// logged, never retried at the cost of the work that matters (commits, attestations).
// Resolves true when every chunk was mined, false when the module refused one; transport failures throw.
import { sendLogged, type WorkerContext } from './context.ts';

export interface LossPoint {
  /** the step whose loss this is (a checkpoint's step) */
  step: number;
  loss: number;
}

const MAX_PER_REPORT = 1024;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 bit pattern of a loss (what the trainer computed, rounded to float32 exactly once). */
export function lossBits(loss: number): number {
  f32[0] = loss;
  return u32[0];
}

export async function reportLosses(ctx: WorkerContext, taskId: bigint, points: readonly LossPoint[], fields: Record<string, unknown>): Promise<boolean> {
  const sorted = [...points].filter((p) => Number.isFinite(p.loss)).sort((a, b) => a.step - b.step);
  for (let i = 0; i < sorted.length; i += MAX_PER_REPORT) {
    const chunk = sorted.slice(i, i + MAX_PER_REPORT);
    const out = await sendLogged(ctx, { functionName: 'reportLosses', args: [taskId, chunk.map((p) => BigInt(p.step)), chunk.map((p) => lossBits(p.loss))] }, fields);
    if (!out.ok) return false;
  }
  return true;
}
