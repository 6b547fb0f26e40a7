// What every model builder provides to the step graph.
import type { GraphBuilder, OpRef, Ref } from '../builder.ts';

export interface ModelGraph {
  /** appends the forward pass over input x (a batch of `rows` samples); returns the logits [rows', classes] */
  forward(b: GraphBuilder, x: Ref, rows: number): Ref;
  /**
   * Appends forward + backward; `lossOf(logits)` appends the loss and its gradient. Returns the loss
   * and the parameter gradients in canonical parameter order.
   */
  forwardBackward(b: GraphBuilder, x: Ref, rows: number, lossOf: (logits: Ref) => { loss: OpRef; dLogits: Ref }): { loss: OpRef; grads: Ref[] };
}

/**
 * Uniform initialisation bound: sqrt(6 / fan_in) for layers followed by ReLU (Kaiming-uniform),
 * sqrt(3 / fan_in) otherwise (unit-variance preserving); each step rounded to f32.
 */
export function fanInBound(fanIn: number, relu: boolean): number {
  return Math.fround(Math.sqrt(Math.fround((relu ? 6 : 3) / fanIn)));
}
