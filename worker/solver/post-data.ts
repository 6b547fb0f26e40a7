// The solver's answer to a data-availability challenge: checkpoint leaf `leaf` posted on chain,
// every state tensor in canonical order as raw little-endian float32 bytes, in chunks of at most
// 24 KiB (postData), then completeData with the leaf's sibling path in the trace tree. The chain
// keeps the posting position, so after a crash the solver reads how far it got (tensorsPosted, and
// the CheckpointData events of the partly posted tensor) and continues from there.
import { bytesToHex, hexToBytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { tensorBytes } from '../../state-machine/repops/tensor-hash.ts';
import { traceTree } from '../../state-machine/training/commitments.ts';
import type { DataChallenge } from '../chain/client.ts';
import { sendLogged, type WorkerContext } from '../chain/context.ts';

export const CHUNK_BYTES = 24 * 1024;
/** how far back to look for the request when the worker did not see it happen */
const REQUEST_LOOKBACK = 2_000n;

/** Bytes of `tensor` of the current data challenge already on chain. */
async function postedOffset(ctx: WorkerContext, id: bigint, leaf: number, tensor: number, since: bigint, head: bigint): Promise<number> {
  const events = await ctx.client.taskEvents(since, head, id);
  let lastRequest = -1;
  events.forEach((e, i) => {
    if (e.eventName === 'DataRequested') lastRequest = i;
  });
  let offset = 0;
  for (const e of events.slice(lastRequest + 1)) {
    if (e.eventName === 'CheckpointData' && e.args.leaf === leaf && e.args.tensor === tensor) offset = e.args.offset + (e.args.data.length - 2) / 2;
  }
  return offset;
}

export async function postCheckpoint(
  ctx: WorkerContext,
  id: bigint,
  ch: DataChallenge,
  roots: readonly Hex[],
  requestBlock: bigint | undefined,
  head: bigint,
): Promise<void> {
  const leaf = ch.leaf;
  const state = ctx.store.get(roots[leaf]);
  if (state.length !== ch.tensors) throw new Error(`checkpoint ${leaf} has ${state.length} tensors, the chain wants ${ch.tensors}`);
  const since = requestBlock ?? (head > REQUEST_LOOKBACK ? head - REQUEST_LOOKBACK : 0n);
  const first = ch.tensorsPosted;
  const offset = first < ch.tensors ? await postedOffset(ctx, id, leaf, first, since, head) : 0;
  ctx.log.info({ task: id.toString(), leaf, fromTensor: first, offset, tensors: ch.tensors }, 'posting checkpoint on chain (data request)');
  let chunks = 0;
  for (let i = first; i < state.length; i++) {
    const bytes = tensorBytes(state[i]);
    for (let off = i === first ? offset : 0; off < bytes.length; off += CHUNK_BYTES) {
      const data = bytesToHex(bytes.subarray(off, Math.min(off + CHUNK_BYTES, bytes.length)));
      const out = await sendLogged(ctx, { functionName: 'postData', args: [id, i, off, data] }, { task: id.toString(), tensor: i, offset: off });
      if (!out.ok) throw new Error(`postData(tensor ${i}, offset ${off}) reverted: ${out.message}`);
      chunks++;
    }
  }
  const proof = traceTree(roots.map(hexToBytes)).proof(leaf).siblings.map((s) => bytesToHex(s));
  const out = await sendLogged(ctx, { functionName: 'completeData', args: [id, proof] }, { task: id.toString(), leaf });
  if (!out.ok) throw new Error(`completeData reverted: ${out.message}`);
  ctx.log.info({ task: id.toString(), leaf, chunks, root: roots[leaf] }, 'checkpoint posted on chain');
}
