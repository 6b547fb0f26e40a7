// State values are ABI-encoded; most are tuples of uint256 words. These read and write such words
// directly (same bytes as abi.encode(uint256, …)), without the per-byte bigint loops of the generic
// helpers: account reads and writes are on the hot path of every transaction.
import { UINT256_MAX } from '../errors.ts';
import type { Bytes } from '../crypto/hash.ts';

const MASK64 = (1n << 64n) - 1n;

/** Word `i` (32 bytes at offset 32·i) of an ABI-encoded tuple of uint256. */
export function readWord(v: Bytes, i: number): bigint {
  if (32 * (i + 1) > v.length) throw new RangeError(`word ${i} beyond a ${v.length}-byte value`);
  const dv = new DataView(v.buffer, v.byteOffset + 32 * i, 32);
  const hi = dv.getBigUint64(0) | dv.getBigUint64(8) | dv.getBigUint64(16);
  if (hi === 0n) return dv.getBigUint64(24); // nonces, balances below 18.4 ETH, counters
  return (dv.getBigUint64(0) << 192n) | (dv.getBigUint64(8) << 128n) | (dv.getBigUint64(16) << 64n) | dv.getBigUint64(24);
}

/** abi.encode(uint256 w0, uint256 w1, …). */
export function encodeWords(...words: bigint[]): Bytes {
  const out = new Uint8Array(32 * words.length);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w < 0n || w > UINT256_MAX) throw new RangeError(`${w} is not a uint256`);
    const off = 32 * i;
    if (w <= MASK64) {
      dv.setBigUint64(off + 24, w);
      continue;
    }
    dv.setBigUint64(off, w >> 192n);
    dv.setBigUint64(off + 8, (w >> 128n) & MASK64);
    dv.setBigUint64(off + 16, (w >> 64n) & MASK64);
    dv.setBigUint64(off + 24, w & MASK64);
  }
  return out;
}
