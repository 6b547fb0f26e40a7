// The one hash helper. keccak256 where Ethereum formats demand it (js-sha3: ≈ 2x @noble/hashes for
// the tx-sized inputs of sender recovery, 3.7 vs 7 µs), sha256 (node:crypto, ~10x noble) for Verity's
// own commitments: state tree, tensor hashes, trace and dataset Merkle trees.
import { createHash, hash as oneShotHash } from 'node:crypto';
import sha3 from 'js-sha3';

export type Bytes = Uint8Array;
export type Hex = `0x${string}`;

export const HASH_LENGTH = 32;
export const ZERO_HASH: Bytes = new Uint8Array(HASH_LENGTH);

export function keccak256(data: Bytes): Bytes {
  return new Uint8Array(sha3.keccak256.arrayBuffer(data));
}

/** sha256 over the concatenation of the parts (no copy of the parts is made). */
export function sha256(...parts: Bytes[]): Bytes {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  const d = h.digest();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/**
 * sha256 of one contiguous buffer through node's one-shot hash: 1.5–4x createHash for the small
 * inputs of Merkle nodes (65 bytes). Same digest as sha256(data).
 */
export function sha256Of(data: Bytes): Bytes {
  const d = oneShotHash('sha256', data, 'buffer');
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

export function concatBytes(...parts: Bytes[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function bytesToHex(b: Bytes): Hex {
  return `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;
}

const HEX_RE = /^0x([0-9a-fA-F]{2})*$/;

export function isHex(s: unknown): s is Hex {
  return typeof s === 'string' && HEX_RE.test(s);
}

/** Strict: requires 0x and an even number of hex digits. */
export function hexToBytes(s: string): Bytes {
  if (!isHex(s)) throw new TypeError(`not a 0x-prefixed even-length hex string: ${s.slice(0, 20)}`);
  return new Uint8Array(Buffer.from(s.slice(2), 'hex'));
}

/** Big-endian unsigned encoding of n in exactly `width` bytes. */
export function uintToBytes(n: bigint, width: number): Bytes {
  if (n < 0n) throw new RangeError('negative');
  const out = new Uint8Array(width);
  let v = n;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`${n} does not fit in ${width} bytes`);
  return out;
}

export function bytesToUint(b: Bytes): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
