// Resolving block parameters: EIP-1898 {blockHash} objects become numbers, and numbers past the
// head fail with geth's "header not found" instead of silently reading the head.
import type { Block, SignedTx } from '../../state-machine/chain/types.ts';
import type { BlockTag, RpcBackend } from '../backend.ts';
import { RpcCode, RpcError } from '../errors.ts';
import { decodeBlockTransaction } from '../../state-machine/tx/decode.ts';
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

/**
 * The signed transactions of a block, in order. The backend's stored senders save the ecrecover;
 * without them each raw transaction is decoded and its sender recovered (libsecp256k1, ~12k/s).
 */
export async function blockTransactions(backend: RpcBackend, block: Block): Promise<SignedTx[]> {
  const stored = backend.getBlockTransactions ? await backend.getBlockTransactions(block.header.number) : undefined;
  if (stored && stored.length === block.transactions.length) return stored;
  return block.transactions.map((raw) => decodeBlockTransaction(raw, backend.chainId));
}
