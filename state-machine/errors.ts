// The one error family. Every error Verity raises on purpose is a VerityError with a stable,
// machine-readable `code` (SCREAMING_SNAKE, never renamed once shipped) and optional structured data.
export class VerityError extends Error {
  readonly code: string;
  readonly data?: Record<string, unknown>;

  constructor(code: string, message: string, data?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

/** Thrown when an input fails validation; `field` names the offending field (dotted path). */
export class ValidationError extends VerityError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('INVALID_FIELD', `${field}: ${message}`, { field });
    this.field = field;
  }
}

/** Checked bigint arithmetic: economics never wrap or go negative silently. */
export class ArithmeticError extends VerityError {
  constructor(message: string) {
    super('ARITHMETIC', message);
  }
}

export const UINT256_MAX = (1n << 256n) - 1n;

export function checkedAdd(a: bigint, b: bigint, max: bigint = UINT256_MAX): bigint {
  const r = a + b;
  if (a < 0n || b < 0n || r > max) throw new ArithmeticError(`overflow: ${a} + ${b}`);
  return r;
}

export function checkedSub(a: bigint, b: bigint): bigint {
  if (a < 0n || b < 0n || b > a) throw new ArithmeticError(`underflow: ${a} - ${b}`);
  return a - b;
}

export function checkedMul(a: bigint, b: bigint, max: bigint = UINT256_MAX): bigint {
  const r = a * b;
  if (a < 0n || b < 0n || r > max) throw new ArithmeticError(`overflow: ${a} * ${b}`);
  return r;
}
