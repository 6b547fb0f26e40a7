import { RLP } from '@ethereumjs/rlp';
import fc from 'fast-check';
import { keccak256 as viemKeccak, numberToHex, parseSignature, serializeTransaction, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { devnetAccounts } from '../../genesis/devnet.ts';
import { bytesToHex, hexToBytes } from '../crypto/hash.ts';
import type { SignedTx } from '../chain/types.ts';
import { mutatedBytes } from '../test/mutate.ts';
import { MAX_TX_BYTES, decodeTransaction, recoverSenders } from './decode.ts';
import { TxDecodeError } from './errors.ts';
import { recoveryBackend } from './recover.ts';

const CHAIN = 271828n;
const [a0, a1] = devnetAccounts(2);
const signer = privateKeyToAccount(a1.privateKey);
const to = a0.address;
const SECP_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TxDecodeError);
    expect((e as TxDecodeError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, decoded fine`);
}

async function sign1559(extra: Partial<{ nonce: number; value: bigint; data: Hex; chainId: number }> = {}): Promise<Hex> {
  return signer.signTransaction({
    type: 'eip1559',
    chainId: Number(CHAIN),
    nonce: 3,
    to,
    value: 12345n,
    gas: 50_000n,
    maxFeePerGas: 3_000_000_000n,
    maxPriorityFeePerGas: 2n,
    data: '0x00ff10',
    accessList: [{ address: to, storageKeys: [`0x${'11'.repeat(32)}`] }],
    ...extra,
  });
}

function reserialize(tx: SignedTx): Hex {
  const base = { nonce: Number(tx.nonce), to: tx.to ?? undefined, value: tx.value, data: bytesToHex(tx.data), gas: tx.gasLimit };
  if (tx.type === 2) {
    return serializeTransaction(
      {
        ...base,
        type: 'eip1559',
        chainId: Number(tx.chainId),
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
        accessList: (tx.accessList ?? []).map((a) => ({ address: a.address, storageKeys: a.storageKeys })),
      },
      { r: numberToHex(tx.r, { size: 32 }), s: numberToHex(tx.s, { size: 32 }), yParity: Number(tx.v) },
    );
  }
  return serializeTransaction(
    { ...base, type: 'legacy', chainId: Number(tx.chainId), gasPrice: tx.maxFeePerGas },
    { r: numberToHex(tx.r, { size: 32 }), s: numberToHex(tx.s, { size: 32 }), v: tx.v },
  );
}

describe('decodeTransaction', () => {
  it('uses the native libsecp256k1 binding', () => {
    expect(recoveryBackend).toBe('libsecp256k1');
  });

  it('round-trips an EIP-1559 transaction signed by viem, with the right sender and hash', async () => {
    const raw = await sign1559();
    const tx = decodeTransaction(hexToBytes(raw), CHAIN);
    expect(tx.from).toBe(a1.address);
    expect(tx.hash).toBe(viemKeccak(raw));
    expect(tx).toMatchObject({ type: 2, nonce: 3n, to: to.toLowerCase(), value: 12345n, gasLimit: 50_000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 2n });
    expect(tx.accessList).toEqual([{ address: to.toLowerCase(), storageKeys: [`0x${'11'.repeat(32)}`] }]);
    expect(Buffer.from(tx.data).toString('hex')).toBe('00ff10');
  });

  it('round-trips a legacy EIP-155 transaction', async () => {
    const raw = await signer.signTransaction({ type: 'legacy', chainId: Number(CHAIN), nonce: 0, to, value: 1n, gas: 21_000n, gasPrice: 7n });
    const tx = decodeTransaction(hexToBytes(raw), CHAIN);
    expect(tx).toMatchObject({ type: 0, from: a1.address, maxFeePerGas: 7n, maxPriorityFeePerGas: 7n, accessList: [] });
  });

  it('trusts a sender passed in instead of recovering', async () => {
    const tx = decodeTransaction(hexToBytes(await sign1559()), CHAIN, a0.address);
    expect(tx.from).toBe(a0.address);
  });

  it('rejects wrong chain ids, unprotected legacy, other types, creation, high-s and oversized input', async () => {
    expectCode(() => decodeTransaction(new Uint8Array(0), CHAIN), 'TX_EMPTY');
    expectCode(() => decodeTransaction('0x02' as unknown as Uint8Array, CHAIN), 'TX_MALFORMED');
    expectCode(() => decodeTransaction(hexToBytes(`0x02${'00'.repeat(MAX_TX_BYTES)}` as Hex), CHAIN), 'TX_TOO_LARGE');
    const good = await sign1559();
    expectCode(() => decodeTransaction(hexToBytes(good), 1n), 'TX_WRONG_CHAIN');
    const legacyOther = await signer.signTransaction({ type: 'legacy', chainId: 1, nonce: 0, to, value: 1n, gas: 21_000n, gasPrice: 7n });
    expectCode(() => decodeTransaction(hexToBytes(legacyOther), CHAIN), 'TX_WRONG_CHAIN');
    const eip1559Other = await sign1559({ chainId: 1 });
    expectCode(() => decodeTransaction(hexToBytes(eip1559Other), CHAIN), 'TX_WRONG_CHAIN');

    const unsignedLegacy = { type: 'legacy' as const, nonce: 0, to, value: 1n, gas: 21_000n, gasPrice: 7n };
    const sig = parseSignature(await signer.sign({ hash: viemKeccak(serializeTransaction(unsignedLegacy)) }));
    const preEip155 = serializeTransaction(unsignedLegacy, { r: sig.r, s: sig.s, v: 27n + BigInt(sig.yParity ?? 0) });
    expectCode(() => decodeTransaction(hexToBytes(preEip155), CHAIN), 'TX_UNPROTECTED');

    const t2930 = await signer.signTransaction({ type: 'eip2930', chainId: Number(CHAIN), nonce: 0, to, gas: 21_000n, gasPrice: 7n, accessList: [] });
    expectCode(() => decodeTransaction(hexToBytes(t2930), CHAIN), 'TX_TYPE_UNSUPPORTED');
    expectCode(() => decodeTransaction(new Uint8Array([0x04, 0xc0]), CHAIN), 'TX_TYPE_UNSUPPORTED');

    const create = await signer.signTransaction({ type: 'eip1559', chainId: Number(CHAIN), nonce: 0, gas: 100_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, data: '0x6000' });
    expectCode(() => decodeTransaction(hexToBytes(create), CHAIN), 'TX_CONTRACT_CREATION');

    // The same signature with s' = n - s (and the other parity) is valid ECDSA but malleable.
    const unsigned = { type: 'eip1559' as const, chainId: Number(CHAIN), nonce: 0, to, value: 1n, gas: 21_000n, maxFeePerGas: 9n, maxPriorityFeePerGas: 1n };
    const s2 = parseSignature(await signer.sign({ hash: viemKeccak(serializeTransaction(unsigned)) }));
    const low = serializeTransaction(unsigned, { r: s2.r, s: s2.s, yParity: s2.yParity });
    expect(decodeTransaction(hexToBytes(low), CHAIN).from).toBe(a1.address);
    const highS = `0x${(SECP_N - BigInt(s2.s)).toString(16).padStart(64, '0')}` as Hex;
    const high = serializeTransaction(unsigned, { r: s2.r, s: highS, yParity: 1 - (s2.yParity ?? 0) });
    expectCode(() => decodeTransaction(hexToBytes(high), CHAIN), 'TX_BAD_SIGNATURE');
  });

  it('rejects non-canonical encodings of a valid transaction', async () => {
    const raw = hexToBytes(await sign1559());
    const fields = RLP.decode(raw.subarray(1)) as Uint8Array[];
    const withPaddedValue = fields.slice();
    withPaddedValue[5] = new Uint8Array([0, ...fields[5]]); // value with a leading zero byte
    expectCode(() => decodeTransaction(new Uint8Array([2, ...RLP.encode(withPaddedValue)]), CHAIN), 'TX_MALFORMED');
    expectCode(() => decodeTransaction(new Uint8Array([...raw, 0x80]), CHAIN), 'TX_MALFORMED');
    // a one-byte string < 0x80 written with a length prefix
    const nonceAt = raw.indexOf(0x03, 4);
    const longNonce = new Uint8Array([...raw.subarray(0, nonceAt), 0x81, ...raw.subarray(nonceAt)]);
    expect(() => decodeTransaction(longNonce, CHAIN)).toThrow(TxDecodeError);
  });

  it('turns random bytes into TxDecodeError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeTransaction(bytes, CHAIN);
        } catch (e) {
          expect(e).toBeInstanceOf(TxDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid transactions decode or fail with TxDecodeError; recoverSenders maps failures to null', async () => {
    const raws = [hexToBytes(await sign1559()), hexToBytes(await signer.signTransaction({ type: 'legacy', chainId: Number(CHAIN), nonce: 9, to, value: 5n, gas: 21_000n, gasPrice: 7n }))];
    fc.assert(
      fc.property(mutatedBytes(raws, 4, 3), (m) => {
        try {
          const tx = decodeTransaction(m, CHAIN);
          expect(tx.from).toMatch(/^0x[0-9a-f]{40}$/);
          // whatever decodes is canonical: viem re-serialises it to the same bytes (one tx, one hash)
          expect(reserialize(tx)).toBe(bytesToHex(m));
        } catch (e) {
          expect(e).toBeInstanceOf(TxDecodeError);
        }
        const [sender] = recoverSenders([m], CHAIN);
        expect(sender === null || /^0x[0-9a-f]{40}$/.test(sender)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(recoverSenders([...raws, new Uint8Array([1, 2, 3])], CHAIN)).toEqual([a1.address, a1.address, null]);
  });
});
