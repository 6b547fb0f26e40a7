// parseTransaction against @ethereumjs/tx (the library it replaced on the hot path): on valid and
// hostile inputs it accepts only what the library accepts, with the same fields and signing hash,
// and refuses a canonical signed tx only where the library also refuses it.
import { RLP } from '@ethereumjs/rlp';
import { createTxFromRLP, type FeeMarket1559Tx, type LegacyTx } from '@ethereumjs/tx';
import { SECP256K1_ORDER, SECP256K1_ORDER_DIV_2 } from '@ethereumjs/util';
import fc from 'fast-check';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { devnetAccounts } from '../../genesis/devnet.ts';
import { bytesToHex, hexToBytes } from '../crypto/hash.ts';
import { mutatedBytes } from '../test/mutate.ts';
import { chainCommon } from './common.ts';
import { TxDecodeError } from './errors.ts';
import { parseTransaction, type ParsedTx } from './parse.ts';

const CHAIN = 271828n;
const [a0, a1] = devnetAccounts(2);
const signer = privateKeyToAccount(a1.privateKey);

function reference(raw: Uint8Array): LegacyTx | FeeMarket1559Tx | null {
  try {
    return createTxFromRLP<0 | 2>(raw, { common: chainCommon(CHAIN) }) as LegacyTx | FeeMarket1559Tx;
  } catch {
    return null;
  }
}

function ours(raw: Uint8Array): ParsedTx | null {
  try {
    return parseTransaction(raw, CHAIN);
  } catch (e) {
    expect(e).toBeInstanceOf(TxDecodeError);
    return null;
  }
}

function wellFormedAccessList(item: unknown): boolean {
  const isBytes = (b: unknown, n: number): boolean => b instanceof Uint8Array && b.length === n;
  return Array.isArray(item) && item.every((e: unknown) => Array.isArray(e) && e.length === 2 && isBytes(e[0], 20) && Array.isArray(e[1]) && e[1].every((k: unknown) => isBytes(k, 32)));
}

function agree(raw: Uint8Array): 'accepted' | 'refused' {
  if (raw.length === 0 || (raw[0] <= 0x7f && raw[0] !== 0x02)) return 'refused'; // decodeTransaction's envelope check
  const mine = ours(raw);
  const ref = reference(raw);
  if (mine !== null) {
    expect(ref).not.toBeNull();
    const t = ref as LegacyTx | FeeMarket1559Tx;
    expect(mine.type).toBe(t.type);
    expect(mine.nonce).toBe(t.nonce);
    expect(mine.gasLimit).toBe(t.gasLimit);
    expect(mine.value).toBe(t.value);
    expect(bytesToHex(mine.data)).toBe(bytesToHex(t.data));
    expect(mine.to === null ? undefined : bytesToHex(mine.to)).toBe(t.to?.toString());
    expect([mine.v, mine.r, mine.s]).toEqual([t.v, t.r, t.s]);
    expect(bytesToHex(mine.signingHash)).toBe(bytesToHex(t.getHashedMessageToSign()));
    if (t.type === 2) {
      const f = t as FeeMarket1559Tx;
      expect([mine.maxFeePerGas, mine.maxPriorityFeePerGas]).toEqual([f.maxFeePerGas, f.maxPriorityFeePerGas]);
      expect(mine.accessList).toEqual(f.accessList.map(([a, keys]) => ({ address: bytesToHex(a), storageKeys: keys.map(bytesToHex) })));
    } else {
      expect(mine.maxFeePerGas).toBe((t as LegacyTx).gasPrice);
    }
    return 'accepted';
  }
  // refused by us: the library must refuse it too, unless it is unsigned, unprotected, not canonical,
  // has an access list of the wrong shape (the library takes a byte string for an empty list, and a
  // list of 32 items for a storage key; geth does not), or an r or s outside [1, n), or a high s (the
  // library leaves those of legacy txs to recovery)
  const stringAccessList = ref?.type === 2 && !wellFormedAccessList((RLP.decode(raw.subarray(1)) as unknown[])[8]);
  const badRS = (t: LegacyTx | FeeMarket1559Tx): boolean => t.r === 0n || t.s === 0n || (t.r ?? 0n) >= SECP256K1_ORDER || (t.s ?? 0n) > SECP256K1_ORDER_DIV_2;
  if (ref !== null && ref.isSigned() && !(ref.type === 0 && (ref.v === 27n || ref.v === 28n)) && !stringAccessList && !badRS(ref)) {
    expect(bytesToHex(ref.serialize())).not.toBe(bytesToHex(raw));
  }
  return 'refused';
}

async function validRaws(): Promise<Uint8Array[]> {
  const to = a0.address;
  return [
    hexToBytes(await signer.signTransaction({ type: 'eip1559', chainId: Number(CHAIN), nonce: 3, to, value: 12345n, gas: 50_000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 2n, data: '0x00ff10', accessList: [{ address: to, storageKeys: [`0x${'11'.repeat(32)}`] }] })),
    hexToBytes(await signer.signTransaction({ type: 'eip1559', chainId: Number(CHAIN), nonce: 0, to, value: 0n, gas: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 0n })),
    hexToBytes(await signer.signTransaction({ type: 'legacy', chainId: Number(CHAIN), nonce: 9, to, value: 5n, gas: 21_000n, gasPrice: 7n })),
    hexToBytes(await signer.signTransaction({ type: 'legacy', chainId: Number(CHAIN), nonce: 300, to, value: 10n ** 30n, gas: 90_000n, gasPrice: 10n ** 12n, data: '0xabcdef' })),
  ];
}

const fieldValue: fc.Arbitrary<Uint8Array | Uint8Array[]> = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(new Uint8Array(0), new Uint8Array([0]), new Uint8Array([1]), new Uint8Array(20).fill(7), new Uint8Array(32).fill(0xff), new Uint8Array(8).fill(0xff)),
  fc.array(fc.uint8Array({ maxLength: 33 }), { maxLength: 3 }),
);

describe('parseTransaction', () => {
  it('accepts valid signed txs exactly like @ethereumjs/tx', async () => {
    for (const raw of await validRaws()) expect(agree(raw)).toBe('accepted');
  });

  it('agrees with @ethereumjs/tx on byte-mutated txs', async () => {
    const raws = await validRaws();
    fc.assert(
      fc.property(mutatedBytes(raws, 3, 2), (m) => {
        agree(m);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with @ethereumjs/tx when whole fields are replaced, added or dropped', async () => {
    const raws = await validRaws();
    fc.assert(
      fc.property(
        fc.nat(raws.length - 1),
        fc.array(fc.record({ field: fc.nat(12), value: fieldValue }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: -1, max: 1 }),
        (which, edits, countDelta) => {
          const base = raws[which];
          const typed = base[0] === 0x02;
          const fields = RLP.decode(typed ? base.subarray(1) : base) as (Uint8Array | Uint8Array[])[];
          for (const e of edits) fields[e.field % fields.length] = e.value;
          if (countDelta < 0) fields.pop();
          if (countDelta > 0) fields.push(new Uint8Array(0));
          const body = RLP.encode(fields);
          agree(typed ? new Uint8Array([2, ...body]) : body);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
