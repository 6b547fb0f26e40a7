// Amounts as cast takes them, parsed exactly (no floats).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UINT256_MAX } from '../../state-machine/errors.ts';
import { AmountError, ether, parseAmount } from '../cli/amount.ts';
import { ppmPercent } from '../cli/task-view.ts';

const ETH = 10n ** 18n;

describe('parseAmount', () => {
  it.each([
    ['0', 0n],
    ['1000', 1000n],
    ['0x3e8', 1000n],
    ['1ether', ETH],
    ['1 ether', ETH],
    ['1ETH', ETH],
    ['0.5ether', ETH / 2n],
    ['.5ether', null],
    ['500gwei', 500n * 10n ** 9n],
    ['1.0000000001gwei', null],
    ['1.000000001gwei', 1_000_000_001n],
    ['1.5gwei', 1_500_000_000n],
    ['0.000000000000000001ether', 1n],
    ['1e18', ETH],
    ['1.5e3gwei', 1_500n * 10n ** 9n],
    ['2finney', 2n * 10n ** 15n],
    ['7wei', 7n],
    ['123456789012345678901234567890', 123456789012345678901234567890n],
  ])('%s', (input, want) => {
    if (want === null) expect(() => parseAmount(input)).toThrow(AmountError);
    else expect(parseAmount(input)).toBe(want);
  });

  it.each(['', '-1', '1.5', '1.5wei', '1 foo', 'ether', '1,000', '0.0000000000000000001ether', '1e2000', 'NaN', '1e-3ether'])(
    'rejects %j with a reason',
    (input) => {
      expect(() => parseAmount(input, '--reward')).toThrow(/--reward/);
    },
  );

  it('rejects more than 2^256 - 1 wei', () => {
    expect(parseAmount(UINT256_MAX.toString())).toBe(UINT256_MAX);
    expect(() => parseAmount((UINT256_MAX + 1n).toString())).toThrow(/2\^256/);
  });

  it('is exact: any wei amount written in ether or gwei parses back to itself', () => {
    const fmt = (wei: bigint, decimals: number): string => {
      const s = wei.toString().padStart(decimals + 1, '0');
      return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
    };
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (wei) => {
        expect(parseAmount(`${fmt(wei, 18)}ether`)).toBe(wei);
        expect(parseAmount(`${fmt(wei, 9)} gwei`)).toBe(wei);
        expect(parseAmount(wei.toString())).toBe(wei);
        expect(parseAmount(ether(wei).replace(' ETH', 'ether'))).toBe(wei);
      }),
    );
  });
});

describe('display', () => {
  it('ether and ppm', () => {
    expect(ether(ETH + ETH / 2n)).toBe('1.5 ETH');
    expect(ether(1n)).toBe('0.000000000000000001 ETH');
    expect(ppmPercent(0)).toBe('0 %');
    expect(ppmPercent(390_625)).toBe('39.0625 %');
    expect(ppmPercent(1_000_000)).toBe('100 %');
    expect(ppmPercent(1)).toBe('0.0001 %');
  });
});
