// Appends ops to a step graph and hands back references to their outputs.
import type { Attrs } from '../repops/ops/attrs.ts';
import type { GraphOp, InputRef } from './graph.ts';
import { opByName } from '../repops/opcodes.ts';

export type Ref = InputRef;
export type OpRef = Extract<InputRef, { kind: 'op' }>;

export const stateRef = (index: number): Ref => ({ kind: 'state', index });

export class GraphBuilder {
  readonly ops: GraphOp[] = [];

  op(name: string, inputs: Ref[], attrs: Attrs = {}): OpRef {
    this.ops.push({ opcode: opByName(name).opcode, name, attrs, inputs });
    return { kind: 'op', index: this.ops.length - 1 };
  }
}
