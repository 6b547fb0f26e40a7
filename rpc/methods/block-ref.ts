// Resolving block parameters: EIP-1898 {blockHash} objects become numbers, and numbers past the
// head fail with geth's "header not found" instead of silently reading the head.
import type { Block, SignedTx } from '../../state-machine/chain/types.ts';
import type { BlockTag, RpcBackend } from '../backend.ts';
import { RpcCode, RpcError } from '../errors.ts';
import { txHashOf } from '../format.ts';
import type { BlockRef } from '../params.ts';

export async function resolveRef(backend: RpcBackend, ref: BlockRef): Promise<BlockTag> {
  if (typeof ref === 'object') {
    const block = await backend.getBlock(ref.blockHash);
    if (!block) throw new RpcError(RpcCode.server, `header for hash ${ref.blockHash} not found`);
    return block.header.number;
  }
  if (typeof ref === 'bigint' && ref > backend.headNumber()) throw new RpcError(RpcCode.server, 'header not found');
  return ref;
}

/** The signed transactions of a block, in order (the block stores raw bytes; the index has them decoded). */
export async function blockTransactions(backend: RpcBackend, block: Block): Promise<SignedTx[]> {
  return Promise.all(
    block.transactions.map(async (raw) => {
      const hash = txHashOf(raw);
      const found = await backend.getTransaction(hash);
      if (!found) throw new Error(`block ${block.header.number} transaction ${hash} missing from the index`);
      return found.tx;
    }),
  );
}
