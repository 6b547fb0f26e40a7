// The verity_* namespace: node sync state and state proofs that anyone can check with
// state-machine's verifyStateProof against a block's stateRoot.
import { invalidParams } from '../errors.ts';
import { qty, toJson } from '../format.ts';
import { blockRef, data } from '../params.ts';
import { resolveRef } from './block-ref.ts';
import { method, opt, req, type MethodTable } from './method.ts';

/** State keys are short namespaced byte strings; this bounds the work a request can ask for. */
export const MAX_STATE_KEY_BYTES = 1024;

export const verityMethods: MethodTable = {
  verity_syncStatus: method([], ({ backend }) => {
    const s = backend.syncStatus();
    return {
      role: s.role,
      headNumber: qty(s.headNumber),
      headHash: s.headHash,
      targetNumber: qty(s.targetNumber),
      pendingTxs: s.pendingTxs,
      snapshotNumber: s.snapshotNumber === null ? null : qty(s.snapshotNumber),
      distance: qty(s.targetNumber > s.headNumber ? s.targetNumber - s.headNumber : 0n),
      peers: s.peers ?? null,
    };
  }),
  verity_getProof: method([req('key', data), opt('block', blockRef, 'latest')], async ({ backend }, key, ref) => {
    if (key.length === 0 || key.length > MAX_STATE_KEY_BYTES) {
      throw invalidParams(`invalid argument 0 (key): want 1 to ${MAX_STATE_KEY_BYTES} bytes`);
    }
    const p = await backend.getProof(key, await resolveRef(backend, ref));
    return {
      key: p.key,
      value: p.value,
      stateRoot: p.stateRoot,
      blockNumber: qty(p.blockNumber),
      proof: toJson(p.proof),
    };
  }),
};
