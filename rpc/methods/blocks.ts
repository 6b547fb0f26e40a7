// Block queries. Unknown blocks return null, as in geth; Verity has no uncles, so uncle queries
// answer 0 / null for any block that exists.
import type { Block } from '../../state-machine/chain/types.ts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import type { BlockTag, RpcBackend } from '../backend.ts';
import { formatBlock, formatReceipt, formatTx, qty, txHashOf, type Json } from '../format.ts';
import { blockRef, blockTag, bool, hash, quantity } from '../params.ts';
import { blockTransactions } from './block-ref.ts';
import { method, opt, req, type CallContext, type MethodTable } from './method.ts';

async function blockJson(ctx: CallContext, block: Block | undefined, full: boolean): Promise<Json> {
  if (!block) return null;
  return formatBlock(block, ctx.feeVault, full ? await blockTransactions(ctx.backend, block) : null);
}

async function txAtIndex(ctx: CallContext, block: Block | undefined, index: bigint): Promise<Json> {
  if (!block || index >= BigInt(block.transactions.length)) return null;
  const found = await ctx.backend.getTransaction(txHashOf(block.transactions[Number(index)]));
  if (!found) return null;
  const h = block.header;
  return formatTx(found.tx, { blockHash: block.hash, blockNumber: h.number, index: Number(index), baseFee: h.baseFee });
}

const countOf = (block: Block | undefined): Json => (block ? qty(block.transactions.length) : null);
const byTag = (backend: RpcBackend, tag: BlockTag | Hex) => backend.getBlock(tag);

export const blockMethods: MethodTable = {
  eth_getBlockByNumber: method([req('block', blockTag), opt('fullTransactions', bool, false)], async (ctx, tag, full) =>
    blockJson(ctx, await byTag(ctx.backend, tag), full),
  ),
  eth_getBlockByHash: method([req('blockHash', hash), opt('fullTransactions', bool, false)], async (ctx, h, full) =>
    blockJson(ctx, await byTag(ctx.backend, h), full),
  ),
  eth_getBlockTransactionCountByNumber: method([req('block', blockTag)], async ({ backend }, tag) =>
    countOf(await byTag(backend, tag)),
  ),
  eth_getBlockTransactionCountByHash: method([req('blockHash', hash)], async ({ backend }, h) =>
    countOf(await byTag(backend, h)),
  ),
  eth_getTransactionByBlockNumberAndIndex: method([req('block', blockTag), req('index', quantity)], async (ctx, tag, i) =>
    txAtIndex(ctx, await byTag(ctx.backend, tag), i),
  ),
  eth_getTransactionByBlockHashAndIndex: method([req('blockHash', hash), req('index', quantity)], async (ctx, h, i) =>
    txAtIndex(ctx, await byTag(ctx.backend, h), i),
  ),
  eth_getUncleCountByBlockNumber: method([req('block', blockTag)], async ({ backend }, tag) =>
    (await byTag(backend, tag)) ? '0x0' : null,
  ),
  eth_getUncleCountByBlockHash: method([req('blockHash', hash)], async ({ backend }, h) =>
    (await byTag(backend, h)) ? '0x0' : null,
  ),
  eth_getUncleByBlockNumberAndIndex: method([req('block', blockTag), req('index', quantity)], (_ctx, _tag, _index) => null),
  eth_getUncleByBlockHashAndIndex: method([req('blockHash', hash), req('index', quantity)], (_ctx, _hash, _index) => null),
  eth_getBlockReceipts: method([req('block', blockRef)], async ({ backend }, ref) => {
    const block = typeof ref === 'object' ? await backend.getBlock(ref.blockHash) : await backend.getBlock(ref);
    if (!block) return null;
    const [receipts, txs] = await Promise.all([backend.getReceipts(block.header.number), blockTransactions(backend, block)]);
    if (!receipts) return null;
    let firstLog = 0;
    return receipts.map((r, index) => {
      const json = formatReceipt(r, txs[index], { blockHash: block.hash, blockNumber: block.header.number, index }, firstLog);
      firstLog += r.logs.length;
      return json;
    });
  }),
};
