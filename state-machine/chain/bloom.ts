// Ethereum's 2048-bit logs bloom: for the address and each topic of every log, three 11-bit values
// taken from byte pairs (0,1), (2,3), (4,5) of keccak256(item) each set one bit, counted from the
// end of the 256-byte array.
import { bytesToHex, hexToBytes, keccak256, type Bytes, type Hex } from '../crypto/hash.ts';
import type { Log } from '../types.ts';

export const BLOOM_BYTES = 256;
/** The bloom of no logs (most receipts). */
export const EMPTY_BLOOM: Hex = bytesToHex(new Uint8Array(BLOOM_BYTES));

export function bloomAdd(bloom: Bytes, item: Bytes): void {
  const h = keccak256(item);
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i] << 8) | h[i + 1]) & 2047;
    bloom[BLOOM_BYTES - 1 - (bit >> 3)] |= 1 << (bit & 7);
  }
}

export function logsBloom(logs: readonly Log[]): Bytes {
  const bloom = new Uint8Array(BLOOM_BYTES);
  for (const log of logs) {
    bloomAdd(bloom, hexToBytes(log.address));
    for (const t of log.topics) bloomAdd(bloom, hexToBytes(t));
  }
  return bloom;
}

/** 0x-hex bloom of `logs`; the shared EMPTY_BLOOM string when there are none. */
export function logsBloomHex(logs: readonly Log[]): Hex {
  return logs.length === 0 ? EMPTY_BLOOM : bytesToHex(logsBloom(logs));
}

/** Bitwise OR of blooms (the block bloom is the OR of its receipts'). */
export function bloomOr(blooms: readonly Hex[]): Hex {
  const out = new Uint8Array(BLOOM_BYTES);
  for (const b of blooms) {
    const x = hexToBytes(b);
    for (let i = 0; i < BLOOM_BYTES; i++) out[i] |= x[i];
  }
  return bytesToHex(out);
}

/** True when `item` may be in the set the bloom summarises (false means it is certainly not). */
export function bloomMayContain(bloom: Hex, item: Bytes): boolean {
  const b = hexToBytes(bloom);
  const probe = new Uint8Array(BLOOM_BYTES);
  bloomAdd(probe, item);
  for (let i = 0; i < BLOOM_BYTES; i++) if ((probe[i] & b[i]) !== probe[i]) return false;
  return true;
}
