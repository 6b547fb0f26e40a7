// Account and module state reads, eth_call and eth_estimateGas.
import { bytesToHex } from '../../state-machine/crypto/hash.ts';
import type { CallMsg } from '../../state-machine/chain/types.ts';
import type { RpcBackend } from '../backend.ts';
import { executionReverted, invalidParams } from '../errors.ts';
import { qty } from '../format.ts';
import { address, blockRef, callObject, quantity, type BlockRef, type Parser } from '../params.ts';
import { resolveRef } from './block-ref.ts';
import { method, opt, req, type MethodTable } from './method.ts';

const ZERO_WORD = `0x${'00'.repeat(32)}`;

/** eth_call's third parameter; Verity has no EVM state to override. */
const noOverrides: Parser<null> = (v, where) => {
  if (v !== undefined && v !== null) throw invalidParams(`invalid ${where}: state overrides are not supported`);
  return null;
};

async function callOrRevert(backend: RpcBackend, msg: CallMsg, ref: BlockRef) {
  const result = await backend.call(msg, await resolveRef(backend, ref));
  if (result.status === 0) throw executionReverted(bytesToHex(result.returnData), result.revertReason);
  return result;
}

export const stateMethods: MethodTable = {
  eth_getBalance: method([req('address', address), opt('block', blockRef, 'latest')], async ({ backend }, a, ref) =>
    qty(await backend.getBalance(a, await resolveRef(backend, ref))),
  ),
  eth_getTransactionCount: method(
    [req('address', address), opt('block', blockRef, 'latest')],
    async ({ backend }, a, ref) => qty(await backend.getNonce(a, await resolveRef(backend, ref))),
  ),
  eth_getCode: method([req('address', address), opt('block', blockRef, 'latest')], async ({ backend }, a, ref) =>
    backend.getCode(a, await resolveRef(backend, ref)),
  ),
  // Module state lives in Verity's keyed store (verity_getProof), not in EVM storage slots.
  eth_getStorageAt: method(
    [req('address', address), req('slot', quantity), opt('block', blockRef, 'latest')],
    async ({ backend }, _a, _slot, ref) => {
      await resolveRef(backend, ref);
      return ZERO_WORD;
    },
  ),
  eth_call: method(
    [req('transaction', callObject), opt('block', blockRef, 'latest'), opt('stateOverrides', noOverrides, null)],
    async ({ backend }, msg, ref, _overrides) => bytesToHex((await callOrRevert(backend, msg, ref)).returnData),
  ),
  // A reverting call fails with code 3 and the revert data, as geth's estimator does.
  eth_estimateGas: method(
    [req('transaction', callObject), opt('block', blockRef, 'latest'), opt('stateOverrides', noOverrides, null)],
    async ({ backend }, msg, ref, _overrides) => {
      await callOrRevert(backend, msg, ref);
      return qty(await backend.estimateGas(msg, await resolveRef(backend, ref)));
    },
  ),
  // Native modules read no EVM storage slots, so the list is always empty; gasUsed is the estimate.
  eth_createAccessList: method(
    [req('transaction', callObject), opt('block', blockRef, 'latest')],
    async ({ backend }, msg, ref) => {
      await callOrRevert(backend, msg, ref);
      return { accessList: [], gasUsed: qty(await backend.estimateGas(msg, await resolveRef(backend, ref))) };
    },
  ),
};
