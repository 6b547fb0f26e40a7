// LevelDB key layout of the node. One byte of prefix per record family, then fixed-width binary
// fields, so a prefix scan over block numbers (8-byte big-endian) is a range in block order.
// The layout is documented in docs/node.md; never reuse a prefix for another meaning.
import type { Bytes, Hex } from '../../state-machine/crypto/hash.ts';
import { StoreError } from '../errors.ts';

/**
 * Fixed-width hex field (hash, address) → bytes. Cheaper than the general hexToBytes (no regex): it
 * runs several times per transaction on the ingest path. Node's hex decoder stops at the first bad
 * digit, so a short result means bad input.
 */
function field(h: Hex, bytes: number): Bytes {
  const b = Buffer.from(h.slice(2), 'hex');
  if (h.length !== 2 + 2 * bytes || b.length !== bytes) throw new StoreError(`not a ${bytes}-byte hex value: ${h.slice(0, 70)}`);
  return b;
}

export const PREFIX = {
  /** 'm' + name → metadata (head, genesis hash, chain id) */
  meta: 0x6d,
  /** 'b' + u64 number → block record */
  block: 0x62,
  /** 'H' + 32-byte block hash → u64 number */
  blockHash: 0x48,
  /** 'r' + u64 number → receipts of the block */
  receipts: 0x72,
  /** 't' + 32-byte tx hash → (number, index) */
  tx: 0x74,
  /** 'a' + 20-byte address + u64 number → empty: the block has a log from the address */
  logAddress: 0x61,
  /** 'k' + 32-byte topic + u64 number → empty: the block has a log with the topic (any position) */
  logTopic: 0x6b,
  /** 'l' + u64 number → empty: the block has at least one log (range scans skip empty blocks) */
  logBlock: 0x6c,
  /** 's' + u64 number → state snapshot after the block */
  snapshot: 0x73,
  /** 'j' + 32-byte tx hash → raw tx accepted into the pool, not yet in a block */
  journal: 0x6a,
} as const;

export function u64(n: bigint): Bytes {
  if (n < 0n || n >= 1n << 64n) throw new RangeError(`block number out of range: ${n}`);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

export function readU64(b: Bytes, offset = 0): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(offset);
}

function key(prefix: number, ...parts: Bytes[]): Bytes {
  let n = 1;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  out[0] = prefix;
  let o = 1;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const keys = {
  meta: (name: string): Bytes => key(PREFIX.meta, new TextEncoder().encode(name)),
  block: (n: bigint): Bytes => key(PREFIX.block, u64(n)),
  blockHash: (h: Hex): Bytes => key(PREFIX.blockHash, field(h, 32)),
  receipts: (n: bigint): Bytes => key(PREFIX.receipts, u64(n)),
  tx: (h: Hex): Bytes => key(PREFIX.tx, field(h, 32)),
  logAddress: (a: Hex, n: bigint): Bytes => key(PREFIX.logAddress, field(a, 20), u64(n)),
  logTopic: (t: Hex, n: bigint): Bytes => key(PREFIX.logTopic, field(t, 32), u64(n)),
  logBlock: (n: bigint): Bytes => key(PREFIX.logBlock, u64(n)),
  snapshot: (n: bigint): Bytes => key(PREFIX.snapshot, u64(n)),
  journal: (h: Hex): Bytes => key(PREFIX.journal, field(h, 32)),
  /** [lo, hi) bounds that cover every key with this prefix */
  range: (prefix: number, ...parts: Bytes[]): { gte: Bytes; lt: Bytes } => {
    const gte = key(prefix, ...parts);
    const lt = new Uint8Array(gte);
    // increment as a big-endian number; prefixes are < 0xff so this never overflows the first byte
    let i = lt.length - 1;
    while (i >= 0 && lt[i] === 0xff) lt[i--] = 0;
    lt[i]++;
    return { gte, lt };
  },
};
