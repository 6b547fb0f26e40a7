// What travels between nodes: protocol ids, size limits, length-prefixed msgpack frames, and the
// shape checks that turn hostile bytes into typed values (or a PeerMessageError) before anything
// hashes or executes them.
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import { isHex, type Hex } from '../../state-machine/crypto/hash.ts';
import { MAX_TX_BYTES, blockHash, blockSigner, type Address, type Block, type BlockHeader, type Receipt } from '../../state-machine/index.ts';
import { PeerMessageError } from './errors.ts';

export const protocols = (chainId: bigint) => ({
  blocksTopic: `/verity/${chainId}/blocks/1`,
  /** pending txs the sequencer pooled: followers recover their senders before the block arrives */
  txsTopic: `/verity/${chainId}/txs/1`,
  status: `/verity/${chainId}/status/1`,
  blocksByRange: `/verity/${chainId}/blocks-by-range/1`,
  snapshot: `/verity/${chainId}/snapshot/1`,
});
export type Protocols = ReturnType<typeof protocols>;

export const LIMITS = {
  /**
   * a gossiped block message (a full 60M-gas block of transfers is ≈0.3 MiB); the sequencer does
   * not gossip a larger block (calldata-heavy, up to ≈3.8 MB): followers range-sync it
   */
  gossipBytes: 2 * 1024 * 1024,
  /** transactions in one tx gossip message, and its bytes */
  gossipTxs: 1024,
  gossipTxBytes: 1024 * 1024,
  /** transactions in one block: a 60M-gas block holds at most 2,857 transfers */
  blockTxs: 10_000,
  /** one request/response frame */
  frameBytes: 4 * 1024 * 1024,
  /** a request frame */
  requestBytes: 1024,
  /** blocks in one range request / response */
  rangeBlocks: 512,
  /** bytes in one range response */
  rangeBytes: 16 * 1024 * 1024,
  /** snapshot bytes a node accepts */
  snapshotBytes: 512 * 1024 * 1024,
  /** snapshot bytes per frame */
  snapshotChunk: 1024 * 1024,
  /** blocks ahead of the best known head a gossiped block may be before it is refused as far-future */
  aheadWindow: 1024n,
  /** request/response round trip (a range of 512 full blocks from a loaded peer takes seconds) */
  requestTimeoutMs: 30_000,
} as const;

// ---- frames: u32 big-endian length ‖ msgpack ----

export function frame(value: unknown): Uint8Array {
  const body = pack(value);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

/** Anything with subarray() (a Uint8Array or libp2p's Uint8ArrayList). */
interface Chunk {
  subarray(start?: number, end?: number): Uint8Array;
  byteLength: number;
}

/**
 * Reads frames off a stream of chunks, never buffering more than one frame of at most `maxFrame`
 * bytes: a longer declared length is refused before its bytes arrive.
 */
export async function* readFrames(source: AsyncIterable<Chunk>, maxFrame: number): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(0);
  for await (const chunk of source) {
    const c = chunk.subarray();
    const next = new Uint8Array(buf.length + c.length);
    next.set(buf);
    next.set(c, buf.length);
    buf = next;
    for (;;) {
      if (buf.length < 4) break;
      const len = new DataView(buf.buffer, buf.byteOffset, 4).getUint32(0);
      if (len > maxFrame) throw new PeerMessageError('oversize', `frame of ${len} bytes, limit ${maxFrame}`);
      if (buf.length < 4 + len) break;
      yield buf.slice(4, 4 + len);
      buf = buf.subarray(4 + len);
    }
  }
  if (buf.length > 0) throw new PeerMessageError('malformed', `stream ended inside a frame (${buf.length} bytes left)`);
}

export function decodeMsgpack(bytes: Uint8Array): unknown {
  try {
    return unpack(bytes);
  } catch (e) {
    throw new PeerMessageError('malformed', `malformed msgpack: ${String(e).slice(0, 120)}`);
  }
}

// ---- shape checks ----

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function hexField(o: Record<string, unknown>, f: string, bytes: number): Hex {
  const v = o[f];
  if (typeof v !== 'string' || v.length !== 2 + 2 * bytes || !isHex(v)) throw new PeerMessageError('malformed', `field ${f}: want ${bytes} bytes of hex`);
  return v as Hex;
}

function uintField(o: Record<string, unknown>, f: string, max: bigint): bigint {
  const v = o[f];
  const b = typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
  if (typeof b !== 'bigint' || b < 0n || b > max) throw new PeerMessageError('malformed', `field ${f}: want an integer in [0, ${max}]`);
  return b;
}

const U64 = (1n << 64n) - 1n;

export function asHeader(v: unknown): BlockHeader {
  if (!isObject(v)) throw new PeerMessageError('malformed', 'header is not a map');
  return {
    number: uintField(v, 'number', U64),
    parentHash: hexField(v, 'parentHash', 32),
    timestamp: uintField(v, 'timestamp', U64),
    l1OriginNumber: uintField(v, 'l1OriginNumber', U64),
    l1OriginHash: hexField(v, 'l1OriginHash', 32),
    stateRoot: hexField(v, 'stateRoot', 32),
    txRoot: hexField(v, 'txRoot', 32),
    receiptsRoot: hexField(v, 'receiptsRoot', 32),
    withdrawalsRoot: hexField(v, 'withdrawalsRoot', 32),
    logsBloom: hexField(v, 'logsBloom', 256),
    gasUsed: uintField(v, 'gasUsed', U64),
    gasLimit: uintField(v, 'gasLimit', U64),
    baseFee: uintField(v, 'baseFee', U64),
    sequencer: hexField(v, 'sequencer', 20) as Address,
    signature: hexField(v, 'signature', 65),
  };
}

/** A block of the right shape and within the limits (nothing about its validity yet). */
export function asBlock(v: unknown): Block {
  if (!isObject(v)) throw new PeerMessageError('malformed', 'block is not a map');
  const header = asHeader(v.header);
  const hash = hexField(v, 'hash', 32);
  const txs = v.transactions;
  if (!Array.isArray(txs)) throw new PeerMessageError('malformed', 'transactions is not a list');
  if (txs.length > LIMITS.blockTxs) throw new PeerMessageError('oversize', `${txs.length} transactions in one block`);
  for (const t of txs) {
    if (!(t instanceof Uint8Array) || t.length === 0 || t.length > MAX_TX_BYTES) throw new PeerMessageError('malformed', 'a transaction is not 1..MAX_TX_BYTES bytes');
  }
  return { hash, header, transactions: txs as Uint8Array[] };
}

/** A receipt list of the right shape (checked against the header's receiptsRoot by the caller). */
export function asReceipts(v: unknown, count: number): Receipt[] {
  if (!Array.isArray(v) || v.length !== count) throw new PeerMessageError('malformed', `want ${count} receipts`);
  for (const r of v) {
    if (!isObject(r) || !Array.isArray(r.logs)) throw new PeerMessageError('malformed', 'malformed receipt');
  }
  return v as Receipt[];
}

/**
 * The cheap checks any block must pass before its sender's bytes cost us execution: the hash is the
 * header's, and the genesis sequencer signed it.
 */
export function checkSigned(block: Block, sequencer: Address): void {
  let hash: Hex;
  try {
    hash = blockHash(block.header);
  } catch {
    throw new PeerMessageError('malformed', 'header does not hash');
  }
  if (hash !== block.hash) throw new PeerMessageError('bad-signature', `block hash ${block.hash} is not its header's ${hash}`);
  const signer = blockSigner(block.header);
  if (signer === null || signer.toLowerCase() !== sequencer.toLowerCase()) {
    throw new PeerMessageError('bad-signature', `block ${block.header.number} signed by ${signer ?? 'nobody'}, not the sequencer`);
  }
}

// ---- messages ----

/** The gossip envelope: the chain id and the block. */
export function encodeGossipBlock(chainId: bigint, block: Block): Uint8Array {
  return pack({ chainId, block });
}

export function encodeGossipTxs(chainId: bigint, txs: readonly Uint8Array[]): Uint8Array {
  return pack({ chainId, txs });
}

/** Raw txs of a tx gossip message; each is decoded (and may still fail) by the receiver's own decoder. */
export function decodeGossipTxs(data: Uint8Array, chainId: bigint): Uint8Array[] {
  if (data.length > LIMITS.gossipTxBytes) throw new PeerMessageError('oversize', `tx gossip message of ${data.length} bytes`);
  const v = decodeMsgpack(data);
  if (!isObject(v)) throw new PeerMessageError('malformed', 'tx gossip message is not a map');
  if (v.chainId !== chainId) throw new PeerMessageError('wrong-chain', `message for chain ${String(v.chainId)}`);
  const txs = v.txs;
  if (!Array.isArray(txs) || txs.length === 0 || txs.length > LIMITS.gossipTxs) throw new PeerMessageError('malformed', `tx gossip holds 1..${LIMITS.gossipTxs} txs`);
  for (const t of txs) {
    if (!(t instanceof Uint8Array) || t.length === 0 || t.length > MAX_TX_BYTES) throw new PeerMessageError('malformed', 'a gossiped tx is not 1..MAX_TX_BYTES bytes');
  }
  return txs as Uint8Array[];
}

export function decodeGossipBlock(data: Uint8Array, chainId: bigint): Block {
  if (data.length > LIMITS.gossipBytes) throw new PeerMessageError('oversize', `gossip message of ${data.length} bytes`);
  const v = decodeMsgpack(data);
  if (!isObject(v)) throw new PeerMessageError('malformed', 'gossip message is not a map');
  if (v.chainId !== chainId) throw new PeerMessageError('wrong-chain', `message for chain ${String(v.chainId)}`);
  return asBlock(v.block);
}

export interface StatusMessage {
  head: bigint;
  hash: Hex;
  /** newest block with a snapshot this node serves, null when none */
  snapshot: bigint | null;
}

export function asStatus(v: unknown): StatusMessage {
  if (!isObject(v)) throw new PeerMessageError('malformed', 'status is not a map');
  const head = uintField(v, 'head', U64);
  const hash = hexField(v, 'hash', 32);
  const snapshot = v.snapshot === null ? null : uintField(v, 'snapshot', U64);
  return { head, hash, snapshot };
}

export interface RangeRequest {
  from: bigint;
  count: number;
  /** also send each block's receipts and senders (snapshot sync writes the log without executing) */
  receipts: boolean;
}

export function asRangeRequest(v: unknown): RangeRequest {
  if (!isObject(v)) throw new PeerMessageError('malformed', 'range request is not a map');
  const from = uintField(v, 'from', U64);
  const count = Number(uintField(v, 'count', BigInt(LIMITS.rangeBlocks)));
  return { from, count, receipts: v.receipts === true };
}

/** One block of a range response. */
export interface RangeItem {
  block: Block;
  receipts?: Receipt[];
}

export function asRangeItem(v: unknown, withReceipts: boolean): RangeItem {
  if (!isObject(v)) throw new PeerMessageError('malformed', 'range item is not a map');
  const block = asBlock(v.block);
  if (!withReceipts) return { block };
  return { block, receipts: asReceipts(v.receipts, block.transactions.length) };
}

/** First frame of a snapshot response. */
export interface SnapshotHead {
  block: Block;
  size: number;
}

export function asSnapshotHead(v: unknown): SnapshotHead {
  if (!isObject(v)) throw new PeerMessageError('malformed', 'snapshot head is not a map');
  const size = Number(uintField(v, 'size', BigInt(LIMITS.snapshotBytes)));
  return { block: asBlock(v.block), size };
}
