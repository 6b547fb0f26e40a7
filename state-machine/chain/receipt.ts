// Receipts in Ethereum's consensus encoding (for receiptsRoot):
//   legacy: RLP([status, cumulativeGasUsed, logsBloom, logs]); typed (2, 0x7e): type ‖ that RLP
//   log: [address, [topics…], data]
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes } from '@ethereumjs/util';
import { concatBytes, hexToBytes, type Bytes } from '../crypto/hash.ts';
import { BLOOM_BYTES, EMPTY_BLOOM } from './bloom.ts';
import type { Receipt, TxType } from './types.ts';

const EMPTY_BLOOM_BYTES = new Uint8Array(BLOOM_BYTES);

export function encodeReceipt(receipt: Receipt, txType: TxType): Bytes {
  const body = RLP.encode([
    receipt.status === 1 ? new Uint8Array([1]) : new Uint8Array(0),
    bigIntToUnpaddedBytes(receipt.cumulativeGasUsed),
    receipt.logsBloom === EMPTY_BLOOM ? EMPTY_BLOOM_BYTES : hexToBytes(receipt.logsBloom),
    receipt.logs.map((l) => [hexToBytes(l.address), l.topics.map(hexToBytes), hexToBytes(l.data)]),
  ]);
  return txType === 0 ? body : concatBytes(new Uint8Array([txType]), body);
}
