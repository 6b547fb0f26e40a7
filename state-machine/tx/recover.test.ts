import fc from 'fast-check';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { bytesToHex, keccak256 } from '../crypto/hash.ts';
import { nativeBackend, nobleBackend, privateKeyToAddress, recoverDigestSigner, signDigest, type SecpBackend } from './recover.ts';

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => k.some((b) => b !== 0) && k[0] < 0xff);
const backends: SecpBackend[] = [nobleBackend, ...(nativeBackend ? [nativeBackend] : [])];

describe('secp256k1 backends', () => {
  it('the native binding loaded', () => {
    expect(nativeBackend?.name).toBe('libsecp256k1');
  });

  it.each(backends.map((b) => [b.name, b] as const))('%s: signs and recovers like viem, and agrees with the other backend', (_, b) => {
    fc.assert(
      fc.property(key, fc.uint8Array({ minLength: 1, maxLength: 64 }), (k, msg) => {
        const digest = keccak256(msg);
        const address = privateKeyToAddress(k, b);
        expect(address).toBe(privateKeyToAccount(bytesToHex(k)).address.toLowerCase());
        const sig = signDigest(digest, k, b);
        for (const other of backends) expect(recoverDigestSigner(digest, sig, other)).toBe(address);
        const tampered = sig.slice();
        tampered[64] ^= 1; // other recovery id: another key or none
        expect(recoverDigestSigner(digest, tampered, b)).not.toBe(address);
        expect(recoverDigestSigner(digest, sig.subarray(0, 64), b)).toBeNull();
      }),
      { numRuns: 40 },
    );
  });
});
