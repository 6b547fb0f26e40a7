// Field readers for parameter objects read from JSON (genesis, module params). Every error is a
// ValidationError naming the bad field as a dotted path; amounts are decimal or 0x strings (or safe
// integers) and become bigints, never floats.
import { UINT256_MAX, ValidationError } from '../errors.ts';
import type { Address } from '../types.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const DEC_RE = /^(0|[1-9][0-9]*)$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
export const MAX_U64 = (1n << 64n) - 1n;
/** Basis points: 10,000 = 100 %. */
export const BPS = 10_000n;

export function objectField(v: Json | undefined, field: string): JsonObject {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) {
    throw new ValidationError(field, 'must be an object');
  }
  return v;
}

export function bigintField(v: Json | undefined, field: string, min = 0n, max = UINT256_MAX): bigint {
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new ValidationError(field, 'must be an integer (use a string for large values)');
    n = BigInt(v);
  } else if (typeof v === 'string' && (DEC_RE.test(v) || HEX_RE.test(v))) {
    n = BigInt(v);
  } else {
    throw new ValidationError(field, 'must be a non-negative integer: a decimal or 0x-hex string');
  }
  if (n < min) throw new ValidationError(field, `must be at least ${min}`);
  if (n > max) throw new ValidationError(field, `must be at most ${max}`);
  return n;
}

export function addressField(v: Json | undefined, field: string): Address {
  if (typeof v !== 'string' || !ADDRESS_RE.test(v)) throw new ValidationError(field, 'must be a 0x-prefixed 20-byte hex address');
  return v.toLowerCase() as Address;
}

export function knownKeys(o: JsonObject, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new ValidationError(field ? `${field}.${k}` : k, 'unknown field');
  }
}

/** A map of address → amount (allocations, genesis bonds); addresses are case-insensitive. */
export function amountsByAddress(v: Json | undefined, field: string, reserved: ReadonlySet<string>): Record<Address, bigint> {
  const o = objectField(v, field);
  const out: Record<Address, bigint> = {};
  let sum = 0n;
  for (const [k, amount] of Object.entries(o)) {
    const f = `${field}.${k}`;
    const a = addressField(k, f);
    if (a in out) throw new ValidationError(f, 'duplicate address (addresses are case-insensitive)');
    if (reserved.has(a)) throw new ValidationError(f, 'module addresses cannot hold genesis amounts');
    out[a] = bigintField(amount, f);
    sum += out[a];
    if (sum > UINT256_MAX) throw new ValidationError(f, 'total exceeds 2^256-1');
  }
  return out;
}

/** Decimal strings for JSON, keys sorted: the canonical form of an amounts map. */
export function amountsToJson(m: Record<Address, bigint>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of Object.keys(m).sort()) out[a] = m[a as Address].toString(10);
  return out;
}

export function dec(n: bigint): string {
  return n.toString(10);
}

/** Reads each listed bigint field of `o` with its bounds; `defaults` fill absent ones. */
export function bigintFields<K extends string>(
  o: JsonObject,
  field: string,
  spec: Record<K, { min?: bigint; max?: bigint }>,
  defaults?: Record<K, bigint>,
): Record<K, bigint> {
  const out = {} as Record<K, bigint>;
  for (const k of Object.keys(spec) as K[]) {
    const v = o[k];
    if (v === undefined && defaults !== undefined) out[k] = defaults[k];
    else out[k] = bigintField(v, `${field}.${k}`, spec[k].min ?? 0n, spec[k].max ?? UINT256_MAX);
  }
  return out;
}

export function bigintsToJson<K extends string>(p: NoInfer<Record<K, bigint>>, keys: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of keys) out[k] = dec(p[k]);
  return out;
}
