// State values are ABI-encoded; most are tuples of uint256 words. These read and write such words
// directly (same bytes as abi.encode(uint256, …)), without the per-byte bigint loops of the generic
// helpers: account reads and writes are on the hot path of every transaction.
import { UINT256_MAX } from '../errors.ts';
import type { Bytes } from '../crypto/hash.ts';

/** Word `i` (32 bytes at offset 32·i) of an ABI-encoded tuple of uint256. */
export function readWord(v: Bytes, i: number): bigint {
  const off = v.byteOffset + 32 * i;
  if (32 * (i + 1) > v.length) throw new RangeError(`word ${i} beyond a ${v.length}-byte value`);
  return BigInt(`0x${Buffer.from(v.buffer, off, 32).toString('hex')}`);
}

/** abi.encode(uint256 w0, uint256 w1, …). */
export function encodeWords(...words: bigint[]): Bytes {
  let hex = '';
  for (const w of words) {
    if (w < 0n || w > UINT256_MAX) throw new RangeError(`${w} is not a uint256`);
    hex += w.toString(16).padStart(64, '0');
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
