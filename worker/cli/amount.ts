// Amounts of ether as `cast` takes them: plain wei (`1000`, `0x3e8`), or a number with a unit
// (`1ether`, `500gwei`, `0.5 ether`, `1e18`, `1.5e3gwei`), parsed exactly with bigint (no floats).
import { formatEther } from 'viem';
import { UINT256_MAX, VerityError } from '../../state-machine/errors.ts';

export class AmountError extends VerityError {
  constructor(what: string, input: string, reason: string) {
    super('INVALID_AMOUNT', `${what} ${JSON.stringify(input)}: ${reason}`, { what, input });
  }
}

/** Decimal exponent of each unit name (case-insensitive). */
export const UNITS: Readonly<Record<string, number>> = {
  wei: 0,
  kwei: 3,
  babbage: 3,
  mwei: 6,
  lovelace: 6,
  gwei: 9,
  nano: 9,
  nanoether: 9,
  shannon: 9,
  szabo: 12,
  twei: 12,
  micro: 12,
  microether: 12,
  finney: 15,
  pwei: 15,
  milli: 15,
  milliether: 15,
  ether: 18,
  eth: 18,
};

const AMOUNT = /^(\d+)(?:\.(\d+))?(?:e(\d+))?\s*([a-z]*)$/;

/** Parses an amount to wei; `what` names it in the error ("--reward"). */
export function parseAmount(input: string, what = 'amount'): bigint {
  const text = input.trim().toLowerCase();
  if (/^0x[0-9a-f]+$/.test(text)) return inRange(BigInt(text), input, what);
  const m = AMOUNT.exec(text);
  if (m === null) throw new AmountError(what, input, 'want wei (an integer) or a number with a unit, e.g. 1ether, 500gwei, 0.5ether');
  const [, whole, frac = '', exp = '0', unitName] = m;
  const unit = unitName === '' ? 0 : UNITS[unitName];
  if (unit === undefined) throw new AmountError(what, input, `unknown unit "${unitName}" (wei, gwei, ether, …)`);
  if (exp.length > 3) throw new AmountError(what, input, 'exponent too large');
  const scale = unit + Number(exp);
  // value = (whole ‖ frac) · 10^(scale − frac.length), exact when no non-zero digit falls below wei
  const digits = BigInt(whole + frac);
  const shift = scale - frac.length;
  if (shift >= 0) return inRange(digits * 10n ** BigInt(shift), input, what);
  const divisor = 10n ** BigInt(-shift);
  if (digits % divisor !== 0n) throw new AmountError(what, input, `not a whole number of wei (${unitName || 'wei'} allows ${scale} decimals)`);
  return inRange(digits / divisor, input, what);
}

function inRange(v: bigint, input: string, what: string): bigint {
  if (v > UINT256_MAX) throw new AmountError(what, input, 'above 2^256 - 1 wei');
  return v;
}

/** Wei as exact ether (`1.5 ETH`, `0.000000001 ETH`), through viem's string-based formatEther. */
export function ether(wei: bigint): string {
  return `${formatEther(wei)} ETH`;
}
