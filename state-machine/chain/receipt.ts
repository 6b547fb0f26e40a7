// Receipts in Ethereum's consensus encoding (for receiptsRoot):
//   legacy: RLP([status, cumulativeGasUsed, logsBloom, logs]); typed (2, 0x7e): type ‖ that RLP
//   log: [address, [topics…], data]
// Written straight into one reused buffer: the generic RLP encoder builds and copies nested arrays
// (≈ 7 µs per receipt, most of a block's receipts root), and a fresh buffer per receipt costs an
// off-heap allocation. The logs, when there are any, still go through the generic encoder.
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes } from '@ethereumjs/util';
import { hexToBytes, sha256Of, type Bytes } from '../crypto/hash.ts';
import { BLOOM_BYTES, EMPTY_BLOOM } from './bloom.ts';
import type { Receipt, TxType } from './types.ts';

const EMPTY_BLOOM_BYTES = new Uint8Array(BLOOM_BYTES);
/** RLP of the empty list: a receipt without logs */
const NO_LOGS = new Uint8Array([0xc0]);
/** Encoding scratch space, grown on demand; callers copy or hash what they need before returning. */
let scratch = new Uint8Array(1024);

export function encodeReceipt(receipt: Receipt, txType: TxType): Bytes {
  return scratch.slice(0, encodeIntoScratch(receipt, txType));
}

/** sha256 of the consensus encoding: a receipts-root leaf. */
export function receiptLeaf(receipt: Receipt, txType: TxType): Bytes {
  return sha256Of(scratch.subarray(0, encodeIntoScratch(receipt, txType)));
}

function encodeIntoScratch(receipt: Receipt, txType: TxType): number {
  const gas = unpadded(receipt.cumulativeGasUsed);
  const gasSingle = gas.length === 1 && gas[0] < 0x80;
  const gasLen = gasSingle ? 1 : 1 + gas.length;
  const bloom = receipt.logsBloom === EMPTY_BLOOM ? EMPTY_BLOOM_BYTES : hexToBytes(receipt.logsBloom);
  const logs = receipt.logs.length === 0 ? NO_LOGS : RLP.encode(receipt.logs.map((l) => [hexToBytes(l.address), l.topics.map(hexToBytes), hexToBytes(l.data)]));
  // status (one byte: 0x01, or 0x80 for the empty string), gas, bloom (0xb9 0x01 0x00 ‖ 256 bytes), logs
  const payload = 1 + gasLen + 3 + BLOOM_BYTES + logs.length;
  const lenOfLen = payload < 56 ? 0 : byteLength(payload);
  const typed = txType === 0 ? 0 : 1;
  const total = typed + 1 + lenOfLen + payload;
  if (scratch.length < total) scratch = new Uint8Array(2 * total);
  const out = scratch;
  let o = 0;
  if (typed) out[o++] = txType;
  if (lenOfLen === 0) {
    out[o++] = 0xc0 + payload;
  } else {
    out[o++] = 0xf7 + lenOfLen;
    for (let i = lenOfLen - 1; i >= 0; i--) out[o++] = (payload >>> (8 * i)) & 0xff;
  }
  out[o++] = receipt.status === 1 ? 0x01 : 0x80;
  if (gasSingle) {
    out[o++] = gas[0];
  } else {
    out[o++] = 0x80 + gas.length;
    out.set(gas, o);
    o += gas.length;
  }
  out[o++] = 0xb9;
  out[o++] = BLOOM_BYTES >> 8;
  out[o++] = BLOOM_BYTES & 0xff;
  out.set(bloom, o);
  o += BLOOM_BYTES;
  out.set(logs, o);
  return total;
}

const U32 = 0x1_0000_0000n;
const U64 = 1n << 64n;
const LOW32 = 0xffff_ffffn;

/** Big-endian bytes without leading zeros (0 → none); bit operations on 32-bit halves below 2^64. */
function unpadded(v: bigint): Bytes {
  if (v >= U64) return bigIntToUnpaddedBytes(v);
  // cumulative gas is below 2^32 in any block under a 4.29 G gas limit: one conversion
  const hi = v < U32 ? 0 : Number(v >> 32n);
  const lo = v < U32 ? Number(v) : Number(v & LOW32);
  const len = hi !== 0 ? 4 + byteLength(hi) : byteLength(lo);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const shift = 8 * (len - 1 - i);
    out[i] = shift >= 32 ? (hi >>> (shift - 32)) & 0xff : (lo >>> shift) & 0xff;
  }
  return out;
}

/** Bytes needed for a non-negative integer below 2^32. */
function byteLength(n: number): number {
  return n === 0 ? 0 : n < 0x100 ? 1 : n < 0x1_0000 ? 2 : n < 0x100_0000 ? 3 : 4;
}
