// The direct receipt encoder against the generic RLP encoder, on receipts of every shape.
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes } from '@ethereumjs/util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, hexToBytes, sha256Of, type Hex } from '../crypto/hash.ts';
import { EMPTY_BLOOM, logsBloomHex } from './bloom.ts';
import { encodeReceipt, receiptLeaf } from './receipt.ts';
import type { Receipt, TxType } from './types.ts';
import type { Address, Log } from '../types.ts';

function generic(r: Receipt, txType: TxType): Uint8Array {
  const body = RLP.encode([
    r.status === 1 ? new Uint8Array([1]) : new Uint8Array(0),
    bigIntToUnpaddedBytes(r.cumulativeGasUsed),
    hexToBytes(r.logsBloom),
    r.logs.map((l) => [hexToBytes(l.address), l.topics.map(hexToBytes), hexToBytes(l.data)]),
  ]);
  return txType === 0 ? body : concatBytes(new Uint8Array([txType]), body);
}

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => bytesToHex(b));
const log: fc.Arbitrary<Log> = fc.record({
  address: hex(20).map((h) => h as Address),
  topics: fc.array(hex(32), { maxLength: 4 }),
  data: fc.uint8Array({ maxLength: 300 }).map((b) => bytesToHex(b)),
});

describe('encodeReceipt', () => {
  it('gives the generic RLP encoding for any status, gas, bloom, logs and tx type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<0 | 1>(0, 1),
        fc.oneof(fc.bigInt({ min: 0n, max: 200n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
        fc.array(log, { maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom<TxType>(0, 2, 0x7e),
        (status, gas, logs, randomBloom, txType) => {
          const logsBloom: Hex = randomBloom ? bytesToHex(Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + Number(gas % 251n)) & 0xff)) : logsBloomHex(logs);
          const r: Receipt = { txHash: `0x${'00'.repeat(32)}`, status, gasUsed: 0n, cumulativeGasUsed: gas, effectiveGasPrice: 0n, logs, logsBloom };
          const want = generic(r, txType);
          const got = encodeReceipt(r, txType);
          expect(bytesToHex(got)).toBe(bytesToHex(want));
          expect(bytesToHex(receiptLeaf(r, txType))).toBe(bytesToHex(sha256Of(want)));
          // the returned encoding is the caller's: the next encoding does not overwrite it
          encodeReceipt({ ...r, status: r.status === 1 ? 0 : 1 }, txType);
          expect(bytesToHex(got)).toBe(bytesToHex(want));
        },
      ),
      { numRuns: 500 },
    );
    expect(logsBloomHex([])).toBe(EMPTY_BLOOM);
  });
});
