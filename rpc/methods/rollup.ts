// The rollup namespace: the L1 side of the chain's configuration and the output root of any block,
// with its parts, as the proposer posts it: keccak256(uint8 0 ‖ stateRoot ‖ withdrawalsRoot ‖ blockHash).
import { concatBytes, bytesToHex, hexToBytes, keccak256 } from '../../state-machine/crypto/hash.ts';
import type { BridgeParams } from '../../state-machine/modules/bridge/params.ts';
import type { RpcBackend } from '../backend.ts';
import { RpcCode, RpcError } from '../errors.ts';
import { qty } from '../format.ts';
import { blockTag } from '../params.ts';
import { method, req, type MethodTable } from './method.ts';

/** A backend that knows the chain's rollup configuration (the genesis' bridge parameters). */
export interface RollupConfigSource {
  bridgeParams(): BridgeParams;
}

function rollupSource(b: RpcBackend): RollupConfigSource | null {
  const f = (b as Partial<RollupConfigSource>).bridgeParams;
  return typeof f === 'function' ? (b as unknown as RollupConfigSource) : null;
}

const OUTPUT_VERSION = new Uint8Array([0]);

export const rollupMethods: MethodTable = {
  verity_rollupConfig: method([], ({ backend }) => {
    const src = rollupSource(backend);
    if (src === null) throw new RpcError(RpcCode.methodNotFound, 'this node has no rollup configuration');
    const p = src.bridgeParams();
    return {
      l1ChainId: qty(p.l1ChainId),
      l2ChainId: qty(backend.chainId),
      portal: p.portal,
      outputOracle: p.outputOracle,
      batchInbox: p.batchInbox,
      l1StartBlock: qty(p.l1StartBlock),
      confirmations: qty(p.confirmations),
      finalizationWindowSeconds: qty(p.finalizationWindowSeconds),
      outputIntervalBlocks: qty(p.outputIntervalBlocks),
      maxSequencerDriftSeconds: qty(p.maxSequencerDriftSeconds),
    };
  }),
  verity_outputAtBlock: method([req('block', blockTag)], async ({ backend }, tag) => {
    if (typeof tag === 'bigint' && tag > backend.headNumber()) throw new RpcError(RpcCode.server, 'header not found');
    const b = await backend.getBlock(tag);
    if (b === undefined) throw new RpcError(RpcCode.server, 'header not found');
    const h = b.header;
    const root = keccak256(concatBytes(OUTPUT_VERSION, hexToBytes(h.stateRoot), hexToBytes(h.withdrawalsRoot), hexToBytes(b.hash)));
    return {
      blockNumber: qty(h.number),
      outputRoot: bytesToHex(root),
      version: '0x0',
      stateRoot: h.stateRoot,
      withdrawalsRoot: h.withdrawalsRoot,
      blockHash: b.hash,
    };
  }),
};
