// Sender recovery, the hot path of ingestion. libsecp256k1 through the `secp256k1` package's native
// binding (~20x @noble/curves); @noble/curves when the binding cannot load. The package's own entry
// silently falls back to a slow pure-JS `elliptic`, so the native binding is loaded directly.
import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { bytesToHex, keccak256, type Bytes } from '../crypto/hash.ts';
import type { Address } from '../chain/types.ts';

type NativeSecp = typeof import('secp256k1');

function loadNative(): NativeSecp | null {
  try {
    const require = createRequire(import.meta.url);
    return require('secp256k1/bindings.js') as NativeSecp;
  } catch {
    return null;
  }
}

const native = loadNative();

/** Which implementation recovers senders in this process. */
export const recoveryBackend: 'libsecp256k1' | 'noble' = native ? 'libsecp256k1' : 'noble';

/** 64-byte compact signature r ‖ s (r, s < 2^256). */
export function compactSignature(r: bigint, s: bigint): Bytes {
  const hex = r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0');
  if (hex.length !== 128) throw new RangeError('signature component exceeds 32 bytes');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Ethereum address of an uncompressed (65-byte, 0x04-prefixed) public key. */
export function publicKeyToAddress(pub: Bytes): Address {
  return bytesToHex(keccak256(pub.subarray(1)).subarray(12));
}

/**
 * Address that signed `msgHash` with (r, s, recid). Throws (a plain Error from the curve library) on
 * a signature that recovers no point; callers turn that into their own typed error.
 */
export function recoverAddress(msgHash: Bytes, r: bigint, s: bigint, recid: number): Address {
  const sig = compactSignature(r, s);
  if (native) return publicKeyToAddress(native.ecdsaRecover(sig, recid, msgHash, false));
  const point = noble.Signature.fromBytes(sig, 'compact').addRecoveryBit(recid).recoverPublicKey(msgHash);
  return publicKeyToAddress(point.toBytes(false));
}

/** Recoverable signature r ‖ s ‖ v (v = 27 + recovery id) of a 32-byte digest. */
export function signDigest(digest: Bytes, privateKey: Bytes): Bytes {
  const out = new Uint8Array(65);
  if (native) {
    const { signature, recid } = native.ecdsaSign(digest, privateKey);
    out.set(signature, 0);
    out[64] = 27 + recid;
    return out;
  }
  const rec = noble.sign(digest, privateKey, { prehash: false, format: 'recovered' });
  // noble's recovered format is recid ‖ r ‖ s
  out.set(rec.subarray(1), 0);
  out[64] = 27 + rec[0];
  return out;
}

/** Signer of a 65-byte r ‖ s ‖ v signature made by signDigest; null when it does not recover. */
export function recoverDigestSigner(digest: Bytes, signature: Bytes): Address | null {
  if (signature.length !== 65) return null;
  const v = signature[64];
  if (v !== 27 && v !== 28) return null;
  let r = 0n;
  let s = 0n;
  for (let i = 0; i < 32; i++) {
    r = (r << 8n) | BigInt(signature[i]);
    s = (s << 8n) | BigInt(signature[32 + i]);
  }
  try {
    return recoverAddress(digest, r, s, v - 27);
  } catch {
    return null;
  }
}

/** Address of a secp256k1 private key. */
export function privateKeyToAddress(privateKey: Bytes): Address {
  const pub = native ? native.publicKeyCreate(privateKey, false) : noble.getPublicKey(privateKey, false);
  return publicKeyToAddress(pub);
}
