// Sender recovery, the hot path of ingestion. libsecp256k1 through the `secp256k1` package's native
// binding (~20x @noble/curves); @noble/curves when the binding cannot load. The package's own entry
// silently falls back to a slow pure-JS `elliptic`, so the native binding is loaded directly.
import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { bytesToHex, keccak256, type Bytes } from '../crypto/hash.ts';
import type { Address } from '../types.ts';

/** The three curve operations the chain needs, over 32-byte digests (no hashing inside). */
export interface SecpBackend {
  readonly name: 'libsecp256k1' | 'noble';
  /** uncompressed (65-byte) public key from a compact r ‖ s signature; throws if none recovers */
  recover(sig64: Bytes, recid: number, digest: Bytes): Bytes;
  sign(digest: Bytes, privateKey: Bytes): { sig64: Bytes; recid: number };
  publicKey(privateKey: Bytes): Bytes;
}

type NativeSecp = typeof import('secp256k1');

function loadNative(): SecpBackend | null {
  let lib: NativeSecp;
  try {
    const require = createRequire(import.meta.url);
    lib = require('secp256k1/bindings.js') as NativeSecp;
  } catch {
    return null;
  }
  return {
    name: 'libsecp256k1',
    recover: (sig64, recid, digest) => lib.ecdsaRecover(sig64, recid, digest, false),
    sign: (digest, key) => {
      const { signature, recid } = lib.ecdsaSign(digest, key);
      return { sig64: signature, recid };
    },
    publicKey: (key) => lib.publicKeyCreate(key, false),
  };
}

export const nobleBackend: SecpBackend = {
  name: 'noble',
  recover: (sig64, recid, digest) => noble.Signature.fromBytes(sig64, 'compact').addRecoveryBit(recid).recoverPublicKey(digest).toBytes(false),
  sign: (digest, key) => {
    // noble's recovered format is recid ‖ r ‖ s
    const rec = noble.sign(digest, key, { prehash: false, format: 'recovered' });
    return { sig64: rec.subarray(1), recid: rec[0] };
  },
  publicKey: (key) => noble.getPublicKey(key, false),
};

/** libsecp256k1 when it loads, else noble. */
export const nativeBackend: SecpBackend | null = loadNative();
const secp: SecpBackend = nativeBackend ?? nobleBackend;

/** Which implementation recovers senders in this process. */
export const recoveryBackend: SecpBackend['name'] = secp.name;

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
export function recoverAddress(msgHash: Bytes, r: bigint, s: bigint, recid: number, backend: SecpBackend = secp): Address {
  return publicKeyToAddress(backend.recover(compactSignature(r, s), recid, msgHash));
}

/** Recoverable signature r ‖ s ‖ v (v = 27 + recovery id) of a 32-byte digest. */
export function signDigest(digest: Bytes, privateKey: Bytes, backend: SecpBackend = secp): Bytes {
  const { sig64, recid } = backend.sign(digest, privateKey);
  const out = new Uint8Array(65);
  out.set(sig64, 0);
  out[64] = 27 + recid;
  return out;
}

/** Signer of a 65-byte r ‖ s ‖ v signature made by signDigest; null when it does not recover. */
export function recoverDigestSigner(digest: Bytes, signature: Bytes, backend: SecpBackend = secp): Address | null {
  if (signature.length !== 65) return null;
  const v = signature[64];
  if (v !== 27 && v !== 28) return null;
  try {
    return publicKeyToAddress(backend.recover(signature.subarray(0, 64), v - 27, digest));
  } catch {
    return null;
  }
}

/** Address of a secp256k1 private key. */
export function privateKeyToAddress(privateKey: Bytes, backend: SecpBackend = secp): Address {
  return publicKeyToAddress(backend.publicKey(privateKey));
}
