// Submitting transactions and looking them up.
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { formatReceipt, formatTx } from '../format.ts';
import { data, hash } from '../params.ts';
import { method, req, type MethodTable } from './method.ts';

export const transactionMethods: MethodTable = {
  // Pool rejections are VerityErrors with geth's text ("nonce too low") and become -32000.
  eth_sendRawTransaction: method([req('transaction', data)], async ({ backend }, raw): Promise<Hex> =>
    backend.sendRawTransaction(raw),
  ),
  eth_getTransactionByHash: method([req('hash', hash)], async ({ backend }, h) => {
    const found = await backend.getTransaction(h);
    if (!found) return null;
    const loc = found.location;
    if (!loc) return formatTx(found.tx, null);
    const block = await backend.getBlock(loc.blockHash);
    if (!block) return null;
    return formatTx(found.tx, { ...loc, baseFee: block.header.baseFee });
  }),
  eth_getTransactionReceipt: method([req('hash', hash)], async ({ backend }, h) => {
    const found = await backend.getReceipt(h);
    if (!found) return null;
    const receipts = (await backend.getReceipts(found.location.blockNumber)) ?? [];
    let firstLog = 0;
    for (let i = 0; i < found.location.index && i < receipts.length; i++) firstLog += receipts[i].logs.length;
    return formatReceipt(found.receipt, found.tx, found.location, firstLog);
  }),
};
