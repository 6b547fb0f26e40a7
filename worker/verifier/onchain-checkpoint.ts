// Rebuilds a checkpoint a solver was forced to post on chain: the CheckpointData events of the data
// challenge for checkpoint leaf `leaf` (after its DataRequested, up to its DataPosted), tensor by
// tensor in canonical order, each tensor's chunks contiguous from offset 0. The result is checked
// against the layout and the root DataPosted announced (which the chain proved against traceRoot).
import { bytesToHex, hexToBytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { numel, type Tensor } from '../../state-machine/repops/tensor.ts';
import { stateRoot } from '../../state-machine/training/commitments.ts';
import type { StateSlot } from '../../state-machine/training/graph.ts';
import type { ChainClient, TaskEvent } from '../chain/client.ts';
import { tensorFromBytes } from '../../state-machine/repops/tensor-hash.ts';

export class OnChainDataError extends Error {}

const RANGE = 2_000n;

async function eventsBetween(client: ChainClient, id: bigint, from: bigint, to: bigint): Promise<TaskEvent[]> {
  const out: TaskEvent[] = [];
  for (let a = from; a <= to; a += RANGE) out.push(...(await client.taskEvents(a, a + RANGE - 1n < to ? a + RANGE - 1n : to, id)));
  return out;
}

export async function checkpointFromChain(
  client: ChainClient,
  id: bigint,
  leaf: number,
  layout: readonly StateSlot[],
  /** first block to search (the DataRequested block, or an earlier one) */
  fromBlock: bigint,
  /** the block of DataPosted */
  postedBlock: bigint,
): Promise<{ root: Hex; state: Tensor[] }> {
  const events = await eventsBetween(client, id, fromBlock, postedBlock);
  let start = -1;
  let end = -1;
  events.forEach((e, i) => {
    if (e.eventName === 'DataRequested' && e.args.leaf === leaf) start = i;
    if (e.eventName === 'DataPosted' && e.args.leaf === leaf && start >= 0 && end < start) end = i;
  });
  if (start < 0 || end < 0) throw new OnChainDataError(`no complete data answer for leaf ${leaf} in blocks ${fromBlock}..${postedBlock}`);
  const posted = events[end];
  if (posted.eventName !== 'DataPosted') throw new OnChainDataError('unreachable');
  const parts: Uint8Array[][] = layout.map(() => []);
  const filled = layout.map(() => 0);
  for (const e of events.slice(start + 1, end)) {
    if (e.eventName !== 'CheckpointData' || e.args.leaf !== leaf) continue;
    const { tensor, offset } = e.args;
    if (tensor >= layout.length) throw new OnChainDataError(`tensor ${tensor} beyond the layout's ${layout.length}`);
    if (offset !== filled[tensor]) throw new OnChainDataError(`tensor ${tensor}: chunk at ${offset}, expected ${filled[tensor]}`);
    const bytes = hexToBytes(e.args.data);
    parts[tensor].push(bytes);
    filled[tensor] += bytes.length;
  }
  const state = layout.map((slot, i) => {
    const size = 4 * numel(slot.shape);
    if (filled[i] !== size) throw new OnChainDataError(`tensor ${i}: ${filled[i]} bytes posted, want ${size}`);
    const bytes = new Uint8Array(size);
    let o = 0;
    for (const p of parts[i]) {
      bytes.set(p, o);
      o += p.length;
    }
    return tensorFromBytes('f32', slot.shape, bytes);
  });
  const root = bytesToHex(stateRoot(state));
  if (root !== posted.args.checkpointRoot.toLowerCase()) throw new OnChainDataError(`posted tensors hash to ${root}, DataPosted says ${posted.args.checkpointRoot}`);
  return { root, state };
}
