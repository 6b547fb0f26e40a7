// float32 bit-level helpers shared by every TypeScript kernel. A float32 operation computed in double
// and rounded once with Math.fround is correctly rounded for + − × ÷ and sqrt, so `fl(a op b)` below is
// exactly the IEEE-754 binary32 result a C compiler produces without FMA or fast-math.
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

export const fl = Math.fround;

/** The float32 whose bit pattern is `bits` (constants are written this way, never as decimals). */
export function f32(bits: number): number {
  U32[0] = bits >>> 0;
  return F32[0];
}

/** The bit pattern of fl(x) as an unsigned 32-bit integer. */
export function bitsOf(x: number): number {
  F32[0] = x;
  return U32[0];
}

/** The one NaN that RepOps produces and hashes. */
export const CANONICAL_NAN_BITS = 0x7fc00000;
export const NAN_F32 = f32(CANONICAL_NAN_BITS);

/** 2^n as a double, exact for integer n in [-1074, 1023]. */
export function pow2(n: number): number {
  return 2 ** n;
}

/** Distance in units in the last place between two float32 values (0 when both are NaN). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(orderedBits(a) - orderedBits(b));
}

/** Maps float32 bits onto a monotone integer line (−0 and +0 are both 0). */
function orderedBits(x: number): number {
  const b = bitsOf(x);
  return b & 0x80000000 ? -(b & 0x7fffffff) : b;
}
