// Hyperparameters arrive as JSON; the trainer and the chain must turn them into the SAME float32.
// Defined path: a JSON number (already decimal→f64, correctly rounded by JSON.parse) or a plain decimal
// string (decimal→f64 by Number(), correctly rounded) is rounded once more to f32 with Math.fround.
// That double rounding can differ from a direct decimal→f32 conversion in rare ties; it is the
// contract anyway. A "0x" + 8 hex digits string is taken as the exact f32 bit pattern.
import { ValidationError } from '../errors.ts';
import { f32 } from '../repops/f32.ts';

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BITS_RE = /^0x[0-9a-fA-F]{8}$/;

/** Parses a spec float into a finite f32 value; `field` names it in errors. */
export function parseF32(value: unknown, field: string): number {
  let x: number;
  if (typeof value === 'number') {
    x = Math.fround(value);
  } else if (typeof value === 'string' && BITS_RE.test(value)) {
    x = f32(Number.parseInt(value.slice(2), 16));
  } else if (typeof value === 'string' && DECIMAL_RE.test(value)) {
    x = Math.fround(Number(value));
  } else {
    throw new ValidationError(field, 'must be a number, a decimal string or a 0x float32 bit pattern');
  }
  if (!Number.isFinite(x)) throw new ValidationError(field, 'must be finite as a float32');
  return x;
}
