// The value of a 'b' block record. A block with transactions is msgpack `{block, senders}`. An empty
// block (an idle chain seals one every interval) is a fixed 246-byte binary record: tag 0xc1 (a byte
// msgpack never uses, so the two forms cannot be confused) and the header fields that vary; the
// fields every empty block shares (tx and receipts roots of no txs, empty bloom, empty withdrawals
// root, gas used 0, no senders) are implied, and the number is the key's.
//   0xc1 ‖ hash 32 ‖ parentHash 32 ‖ stateRoot 32 ‖ l1OriginHash 32 ‖ sequencer 20 ‖ signature 65
//        ‖ timestamp u64 ‖ l1OriginNumber u64 ‖ gasLimit u64 ‖ baseFee u64
// A header that does not fit (a non-canonical hex field, an integer ≥ 2^64) keeps the msgpack form.
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import { bytesToHex, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { merkleRoot } from '../../state-machine/merkle/tree.ts';
import { EMPTY_BLOOM, EMPTY_WITHDRAWALS_ROOT, type Block, type BlockHeader } from '../../state-machine/index.ts';
import type { Address } from '../../state-machine/index.ts';
import { StoreError } from '../errors.ts';

/** A block as stored: the block plus the senders the sequencer recovered (lookups skip ecrecover). */
export interface StoredBlock {
  block: Block;
  senders: Address[];
}

/** First byte of a compact record and of a snapshot pointer: never the first byte of msgpack. */
export const COMPACT_TAG = 0xc1;
const EMPTY_ROOT: Hex = bytesToHex(merkleRoot([]));
const HEX_LAYOUT = [
  ['parentHash', 32],
  ['stateRoot', 32],
  ['l1OriginHash', 32],
  ['sequencer', 20],
  ['signature', 65],
] as const;
const UINT_LAYOUT = ['timestamp', 'l1OriginNumber', 'gasLimit', 'baseFee'] as const;
export const COMPACT_BLOCK_BYTES = 1 + 32 + HEX_LAYOUT.reduce((s, [, n]) => s + n, 0) + 8 * UINT_LAYOUT.length;

/** True when the header is that of an empty block in every implied field. */
function impliedFieldsMatch(h: BlockHeader): boolean {
  return h.gasUsed === 0n && h.txRoot === EMPTY_ROOT && h.receiptsRoot === EMPTY_ROOT && h.logsBloom === EMPTY_BLOOM && h.withdrawalsRoot === EMPTY_WITHDRAWALS_ROOT;
}

/** Writes lowercase hex of exactly `len` bytes at `o`; false when the field is not that. */
function putHex(out: Uint8Array, o: number, h: Hex, len: number): boolean {
  if (h.length !== 2 + 2 * len) return false;
  const b = Buffer.from(h.slice(2), 'hex');
  if (b.length !== len || `0x${b.toString('hex')}` !== h) return false;
  out.set(b, o);
  return true;
}

function compact(block: Block): Bytes | null {
  const h = block.header;
  if (block.transactions.length !== 0 || !impliedFieldsMatch(h)) return null;
  const out = new Uint8Array(COMPACT_BLOCK_BYTES);
  out[0] = COMPACT_TAG;
  if (!putHex(out, 1, block.hash, 32)) return null;
  let o = 33;
  for (const [f, len] of HEX_LAYOUT) {
    if (!putHex(out, o, h[f], len)) return null;
    o += len;
  }
  const dv = new DataView(out.buffer);
  for (const f of UINT_LAYOUT) {
    const v = h[f];
    if (v < 0n || v >= 1n << 64n) return null;
    dv.setBigUint64(o, v);
    o += 8;
  }
  return out;
}

export function encodeBlockRecord(stored: StoredBlock): Bytes {
  return (stored.senders.length === 0 && compact(stored.block)) || pack(stored);
}

export function decodeBlockRecord(n: bigint, v: Bytes): StoredBlock {
  if (v[0] !== COMPACT_TAG) return unpack<StoredBlock>(v);
  if (v.length !== COMPACT_BLOCK_BYTES) throw new StoreError(`block ${n}: compact record of ${v.length} bytes`);
  const header: BlockHeader = {
    number: n,
    parentHash: '0x',
    timestamp: 0n,
    l1OriginNumber: 0n,
    l1OriginHash: '0x',
    stateRoot: '0x',
    txRoot: EMPTY_ROOT,
    receiptsRoot: EMPTY_ROOT,
    withdrawalsRoot: EMPTY_WITHDRAWALS_ROOT,
    logsBloom: EMPTY_BLOOM,
    gasUsed: 0n,
    gasLimit: 0n,
    baseFee: 0n,
    sequencer: '0x',
    signature: '0x',
  };
  let o = 33;
  for (const [f, len] of HEX_LAYOUT) {
    header[f] = bytesToHex(v.subarray(o, o + len));
    o += len;
  }
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  for (const f of UINT_LAYOUT) {
    header[f] = dv.getBigUint64(o);
    o += 8;
  }
  return { block: { hash: bytesToHex(v.subarray(1, 33)), header, transactions: [] }, senders: [] };
}
