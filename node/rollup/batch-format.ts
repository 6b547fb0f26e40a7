// The batch format the batcher posts to BatchInbox and derivation reads back:
//   version 0x01 ‖ first L2 block u64 BE ‖ block count u32 BE ‖ brotli(msgpack(WireBlock[]))
// The 13-byte plain header lets a restarted batcher learn the last posted block without
// decompressing. Header hex fields travel as bytes (half the size before compression).
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants } from 'node:zlib';

// compression runs on libuv's thread pool: a batch of 200 blocks must not hold the sealing thread
const compress = promisify(brotliCompress);
import { decodeFunctionData, getAbiItem, keccak256, type Address, type Hex, type PublicClient } from 'viem';
import { batchInboxAbi } from '../../bridge/artifacts.ts';
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import { bytesToHex, hexToBytes, type Bytes } from '../../state-machine/crypto/hash.ts';
import type { Block, BlockHeader } from '../../state-machine/index.ts';
import { l1Garbage } from './errors.ts';

export const BATCH_VERSION = 1;
export const BATCH_HEADER_BYTES = 13;
/** Decompressed payloads above this are refused (a hostile batch cannot blow up memory). */
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
export const BATCH_SUBMITTED = getAbiItem({ abi: batchInboxAbi, name: 'BatchSubmitted' });

const HEX_FIELDS = ['parentHash', 'l1OriginHash', 'stateRoot', 'txRoot', 'receiptsRoot', 'withdrawalsRoot', 'logsBloom', 'sequencer', 'signature'] as const;
type HexField = (typeof HEX_FIELDS)[number];
type WireHeader = Omit<BlockHeader, HexField> & Record<HexField, Bytes>;
interface WireBlock {
  hash: Bytes;
  header: WireHeader;
  transactions: Bytes[];
}

function toWire(b: Block): WireBlock {
  const h = { ...b.header } as unknown as Record<string, unknown>;
  for (const f of HEX_FIELDS) h[f] = hexToBytes(b.header[f]);
  return { hash: hexToBytes(b.hash), header: h as unknown as WireHeader, transactions: b.transactions };
}

function fromWire(w: WireBlock): Block {
  const h = { ...w.header } as unknown as Record<string, unknown>;
  for (const f of HEX_FIELDS) {
    const v = w.header[f];
    if (!(v instanceof Uint8Array)) throw l1Garbage(`batch block field ${f} is not bytes`);
    h[f] = bytesToHex(v);
  }
  for (const f of ['number', 'timestamp', 'l1OriginNumber', 'gasUsed', 'gasLimit', 'baseFee'] as const) {
    if (typeof w.header[f] !== 'bigint' && typeof w.header[f] !== 'number') throw l1Garbage(`batch block field ${f} is not an integer`);
    h[f] = BigInt(w.header[f]);
  }
  if (!(w.hash instanceof Uint8Array) || !Array.isArray(w.transactions) || !w.transactions.every((t) => t instanceof Uint8Array)) throw l1Garbage('batch block is malformed');
  return { hash: bytesToHex(w.hash), header: h as unknown as BlockHeader, transactions: w.transactions };
}

/** Raw bytes before compression (msgpack payload) and the frame. */
export async function encodeBatch(blocks: Block[]): Promise<{ frame: Bytes; rawBytes: number }> {
  if (blocks.length === 0) throw new RangeError('empty batch');
  const payload = pack(blocks.map(toWire));
  const body = await compress(payload, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: payload.length } });
  const frame = new Uint8Array(BATCH_HEADER_BYTES + body.length);
  const dv = new DataView(frame.buffer);
  frame[0] = BATCH_VERSION;
  dv.setBigUint64(1, blocks[0].header.number);
  dv.setUint32(9, blocks.length);
  frame.set(body, BATCH_HEADER_BYTES);
  return { frame, rawBytes: payload.length };
}

export interface BatchHeader {
  first: bigint;
  count: number;
}

export function decodeBatchHeader(frame: Bytes): BatchHeader {
  if (frame.length < BATCH_HEADER_BYTES || frame[0] !== BATCH_VERSION) throw l1Garbage('batch with an unknown version or too short');
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const count = dv.getUint32(9);
  if (count === 0) throw l1Garbage('batch of zero blocks');
  return { first: dv.getBigUint64(1), count };
}

export function decodeBatch(frame: Bytes): Block[] {
  const { first, count } = decodeBatchHeader(frame);
  let payload: Buffer;
  try {
    payload = brotliDecompressSync(frame.subarray(BATCH_HEADER_BYTES), { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch {
    throw l1Garbage('batch does not decompress');
  }
  let wire: unknown;
  try {
    wire = unpack(payload);
  } catch {
    throw l1Garbage('batch payload is not msgpack');
  }
  if (!Array.isArray(wire) || wire.length !== count) throw l1Garbage('batch block count differs from its header');
  const blocks = (wire as WireBlock[]).map(fromWire);
  blocks.forEach((b, i) => {
    if (b.header.number !== first + BigInt(i)) throw l1Garbage('batch blocks are not consecutive from its header');
  });
  return blocks;
}

export interface PostedBatch {
  index: bigint;
  l1BlockNumber: bigint;
  l1TxHash: Hex;
  frame: Bytes;
}

/** The frame of a BatchSubmitted log: the submitBatch calldata of its tx, checked against dataHash. */
export async function batchOfLog(
  pub: PublicClient,
  inbox: Address,
  log: { transactionHash: Hex | null; blockNumber: bigint | null; args: { index?: bigint; dataHash?: Hex } },
): Promise<PostedBatch> {
  const { index, dataHash } = log.args;
  if (log.transactionHash === null || log.blockNumber === null || index === undefined || dataHash === undefined) throw l1Garbage('incomplete BatchSubmitted log');
  const tx = await pub.getTransaction({ hash: log.transactionHash });
  if (tx.to?.toLowerCase() !== inbox.toLowerCase()) throw l1Garbage(`batch ${index}: transaction is not to the inbox`);
  let data: Hex;
  try {
    const call = decodeFunctionData({ abi: batchInboxAbi, data: tx.input });
    if (call.functionName !== 'submitBatch') throw new Error('not submitBatch');
    data = call.args[0];
  } catch {
    throw l1Garbage(`batch ${index}: calldata is not submitBatch`);
  }
  if (keccak256(data) !== dataHash.toLowerCase()) throw l1Garbage(`batch ${index}: calldata does not hash to the logged dataHash`);
  return { index, l1BlockNumber: log.blockNumber, l1TxHash: log.transactionHash, frame: hexToBytes(data) };
}
