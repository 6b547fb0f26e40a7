// tensorHash(t) = sha256(utf8(dtype) ‖ 0x00 ‖ u32le(rank) ‖ u32le(dim)… ‖ little-endian element bytes),
// every f32 NaN canonicalised to 0x7fc00000 first. This is the leaf every trace commits to.
import { sha256, bytesToHex } from '../crypto/hash.ts';
import type { Bytes, Hex } from '../crypto/hash.ts';
import type { DType, Tensor } from './tensor.ts';
import { CANONICAL_NAN_BITS } from './f32.ts';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function tensorHeader(t: Tensor): Bytes {
  const dt = new TextEncoder().encode(t.dtype);
  const out = new Uint8Array(dt.length + 1 + 4 * (1 + t.shape.length));
  out.set(dt, 0);
  const view = new DataView(out.buffer);
  let o = dt.length + 1;
  view.setUint32(o, t.shape.length, true);
  o += 4;
  for (const d of t.shape) {
    view.setUint32(o, d, true);
    o += 4;
  }
  return out;
}

/** Element bytes in little-endian order with NaNs canonicalised (copies only when needed). */
export function tensorBytes(t: Tensor): Bytes {
  if (t.dtype === 'f32') {
    const u = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
    let copy: Uint32Array | null = null;
    for (let i = 0; i < u.length; i++) {
      // NaN: exponent all ones and a non-zero fraction
      if ((u[i] & 0x7fffffff) > 0x7f800000 && u[i] !== CANONICAL_NAN_BITS) {
        if (copy === null) copy = u.slice();
        copy[i] = CANONICAL_NAN_BITS;
      }
    }
    const src = copy ?? u;
    return toLittleEndian(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  }
  return toLittleEndian(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function toLittleEndian(b: Bytes): Bytes {
  if (LITTLE_ENDIAN) return b;
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i += 4) {
    out[i] = b[i + 3];
    out[i + 1] = b[i + 2];
    out[i + 2] = b[i + 1];
    out[i + 3] = b[i];
  }
  return out;
}

/**
 * The inverse of tensorBytes: a tensor of `shape` from little-endian element bytes (copied, so the
 * result owns an aligned buffer), bit for bit whatever the host's byte order. The caller checks
 * that `bytes` holds exactly numel(shape) elements.
 */
export function tensorFromBytes(dtype: DType, shape: readonly number[], bytes: Bytes): Tensor {
  const own = LITTLE_ENDIAN ? bytes.slice() : toLittleEndian(bytes);
  return dtype === 'f32'
    ? { dtype, shape: [...shape], data: new Float32Array(own.buffer, own.byteOffset, own.byteLength / 4) }
    : { dtype, shape: [...shape], data: new Int32Array(own.buffer, own.byteOffset, own.byteLength / 4) };
}

export function tensorHash(t: Tensor): Bytes {
  return sha256(tensorHeader(t), tensorBytes(t));
}

export function tensorHashHex(t: Tensor): Hex {
  return bytesToHex(tensorHash(t));
}
