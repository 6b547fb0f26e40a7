// C_0: the initial state, one RepOps op per state tensor in canonical order (so the referee can
// recompute any tensor of C_0 with one op):
//   uniform(bound) → rand_uniform{shape, seed, stream = state index, low = -bound, high = bound}
//   constant 0     → zeros{shape}
//   constant c ≠ 0 → rand_uniform with low = high = c (fl(c + fl(0·u)) = c exactly)
import { bitsOf } from '../repops/f32.ts';
import { GraphBuilder } from './builder.ts';
import type { GraphOp } from './graph.ts';
import type { TaskSpec } from './spec.ts';
import { stateLayout } from './step-graph.ts';

export function initGraph(spec: TaskSpec): GraphOp[] {
  const b = new GraphBuilder();
  const seed = spec.seed.toString();
  stateLayout(spec).forEach((slot, i) => {
    const shape = slot.shape.slice();
    if (slot.init.kind === 'const' && slot.init.value === 0) {
      b.op('zeros', [], { shape });
      return;
    }
    const [low, high] = slot.init.kind === 'uniform' ? [-slot.init.bound, slot.init.bound] : [slot.init.value, slot.init.value];
    b.op('rand_uniform', [], { shape, seed, stream: i, low: bitsOf(low), high: bitsOf(high) });
  });
  return b.ops;
}
